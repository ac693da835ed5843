import type { Metadata } from "next";
import { ApiTokensSection } from "@/components/lender/settings/api-tokens-section";
import { FacilitiesSection } from "@/components/lender/settings/facilities-section";
import { PaymentInstructionsSection } from "@/components/lender/settings/payment-instructions-section";
import { WebhooksSection } from "@/components/lender/settings/webhooks-section";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { findPaymentInstructions } from "@/lib/server/loans/payment-instructions";
import { getLenderSettings } from "@/lib/server/queries/lender-settings";
import { MAX_ENDPOINTS_PER_ORG } from "@/lib/server/webhooks/endpoints";
import { createWebhookEndpointAction } from "./add-endpoint-action";
import { createLenderApiTokenAction } from "./create-token-action";
import { deleteWebhookEndpointAction } from "./delete-endpoint-action";
import { revokeLenderApiTokenAction } from "./revoke-token-action";
import { rotateWebhookSecretAction } from "./rotate-secret-action";
import { sendTestWebhookAction } from "./send-test-event-action";
import { setPaymentInstructionsAction } from "./set-payment-instructions-action";
import { setWebhookEndpointEnabledAction } from "./set-endpoint-enabled-action";

export const metadata: Metadata = { title: "Settings" };

export default async function LenderSettingsPage() {
  const viewer = await requirePageViewer("lenderToken.manage");
  const [settings, paymentInstructions] = await Promise.all([getLenderSettings(db, viewer.orgId), findPaymentInstructions(db, viewer.orgId)]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="text-sm text-muted-foreground">{viewer.orgName}: API tokens for your systems, webhooks that push events to them, your facilities, and how borrowers repay you.</p>
      </div>
      <ApiTokensSection tokens={settings.tokens} createToken={createLenderApiTokenAction} revokeToken={revokeLenderApiTokenAction} />
      <WebhooksSection
        endpoints={settings.endpoints}
        maxEndpoints={MAX_ENDPOINTS_PER_ORG}
        actions={{
          addEndpoint: createWebhookEndpointAction,
          deleteEndpoint: deleteWebhookEndpointAction,
          setEndpointEnabled: setWebhookEndpointEnabledAction,
          rotateSecret: rotateWebhookSecretAction,
          sendTestEvent: sendTestWebhookAction,
        }}
      />
      <FacilitiesSection facilities={settings.facilities} />
      <PaymentInstructionsSection instructions={paymentInstructions} save={setPaymentInstructionsAction} />
    </div>
  );
}
