import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/app-shell/sign-out-button";
import { buttonVariants } from "@/components/ui/button";
import { getViewer } from "@/lib/server/auth/guard";
import { changePasswordAction } from "./change-password-action";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Change password" };

/**
 * The one page a user with a temporary password can use (every other page sends them here); any
 * signed-in user may change their password here too.
 */
export default async function ChangePasswordPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?callbackUrl=%2Faccount%2Fpassword");
  return (
    <main className="grid min-h-screen place-items-center bg-muted/40 px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <div className="space-y-2 text-center">
          <h1 className="text-2xl font-semibold tracking-tight">{viewer.mustChangePassword ? "Choose your password" : "Change your password"}</h1>
          <p className="text-sm text-muted-foreground">
            {viewer.mustChangePassword
              ? `You signed in as ${viewer.email} with a temporary password. Choose your own before you continue.`
              : `Signed in as ${viewer.email}.`}
          </p>
        </div>
        <ChangePasswordForm email={viewer.email} isTemporary={viewer.mustChangePassword} changePassword={changePasswordAction} />
        <div className="flex items-center justify-center gap-2">
          {viewer.mustChangePassword ? null : (
            <Link href="/account" className={buttonVariants({ variant: "ghost", size: "sm" })}>
              Your sessions
            </Link>
          )}
          <SignOutButton />
        </div>
      </div>
    </main>
  );
}
