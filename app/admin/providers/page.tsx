import type { Metadata } from "next";
import { ProvidersScreen } from "@/components/admin/catalog/providers-screen";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { listProvidersForAdmin } from "@/lib/server/catalog-admin/queries";
import { db } from "@/lib/server/db/client";
import { createProviderAction } from "./create-provider-action";
import { setProviderEnabledAction } from "./set-provider-enabled-action";
import { testConnectionAction } from "./test-connection-action";
import { updateProviderAction } from "./update-provider-action";

export const metadata: Metadata = { title: "Providers" };
// The circuit column is this instance's live state: never a cached render.
export const dynamic = "force-dynamic";

export default async function AdminProvidersPage() {
  await requirePageViewer("provider.manage");
  const providers = await listProvidersForAdmin(db);
  return (
    <ProvidersScreen
      providers={providers}
      actions={{ createProvider: createProviderAction, updateProvider: updateProviderAction, setProviderEnabled: setProviderEnabledAction, testConnection: testConnectionAction }}
    />
  );
}
