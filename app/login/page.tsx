import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { homePathForRole } from "@/lib/domain/auth/permissions";
import { getViewer } from "@/lib/server/auth/guard";
import { DEMO_ACCOUNTS } from "@/lib/server/seed/demo-accounts";

export const metadata: Metadata = { title: "Sign in" };

function safeCallbackUrl(value: string | string[] | undefined): string | undefined {
  const url = Array.isArray(value) ? value[0] : value;
  // Only same-site paths: an open redirect after sign-in is a phishing tool.
  return url && url.startsWith("/") && !url.startsWith("//") ? url : undefined;
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await getViewer();
  if (viewer) redirect(homePathForRole(viewer.role));
  const params = await searchParams;
  const showDemo = process.env.BLOCKABLE_DEMO_LOGINS !== "off";
  return (
    <main className="grid min-h-screen place-items-center bg-muted/40 px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <div className="space-y-2 text-center">
          <img src="/logo.svg" alt="" className="mx-auto h-10 w-10" />
          <h1 className="text-2xl font-semibold tracking-tight">Sign in to Blockable</h1>
          <p className="text-sm text-muted-foreground">Compute credits you can finance, spend and, when it matters, block.</p>
        </div>
        <LoginForm
          callbackUrl={safeCallbackUrl(params.callbackUrl)}
          demoAccounts={showDemo ? DEMO_ACCOUNTS.map((a) => ({ label: a.label, email: a.email, password: a.password })) : undefined}
        />
      </div>
    </main>
  );
}
