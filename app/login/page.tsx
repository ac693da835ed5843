import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { DemoNotice } from "@/components/auth/demo-notice";
import { LoginForm } from "@/components/auth/login-form";
import { resolveCallbackPath } from "@/lib/domain/auth/callback-url";
import { homePathForRole } from "@/lib/domain/auth/permissions";
import { getViewer } from "@/lib/server/auth/guard";
import { demoLoginsShown, demoWorldEnabled } from "@/lib/server/config/demo-world";
import { publicApiBaseUrl } from "@/lib/server/queries/startup-keys";
import { DEMO_ACCOUNTS } from "@/lib/server/seed/demo-accounts";

export const metadata: Metadata = { title: "Sign in" };

/**
 * Only a path on this site survives (an open redirect after sign-in is a phishing tool): resolved
 * against the origin the browser reached, anything else is dropped and the user goes to their
 * role's home. The form checks it again against the browser's own origin before it navigates.
 */
async function safeCallbackPath(value: string | string[] | undefined): Promise<string | undefined> {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const siteOrigin = new URL(publicApiBaseUrl(await headers())).origin;
  return resolveCallbackPath(raw, siteOrigin) ?? undefined;
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await getViewer();
  if (viewer) redirect(homePathForRole(viewer.role));
  const params = await searchParams;
  const showDemo = demoLoginsShown();
  return (
    <main className="grid min-h-screen place-items-center bg-muted/40 px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <div className="space-y-2 text-center">
          <img src="/logo.svg" alt="" className="mx-auto h-10 w-10" />
          <h1 className="text-2xl font-semibold tracking-tight">Sign in to Blockable</h1>
          <p className="text-sm text-muted-foreground">Compute credits you can finance, spend and, when it matters, block.</p>
        </div>
        {demoWorldEnabled() ? <DemoNotice /> : null}
        <LoginForm
          callbackUrl={await safeCallbackPath(params.callbackUrl)}
          demoAccounts={showDemo ? DEMO_ACCOUNTS.map((a) => ({ label: a.label, email: a.email, password: a.password })) : undefined}
        />
      </div>
    </main>
  );
}
