import type { Metadata } from "next";
import Link from "next/link";
import { AppShell } from "@/components/app-shell/app-shell";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardDescription, CardHeader } from "@/components/ui/card";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { listUserSessions } from "@/lib/server/auth/sessions";
import { db } from "@/lib/server/db/client";
import { revokeSessionAction } from "./revoke-session-action";
import { SessionsSection } from "./sessions-section";
import { signOutEverywhereAction } from "./sign-out-everywhere-action";

export const metadata: Metadata = { title: "Account" };

/** Any signed-in user's own account: their password and the browsers signed in to it. */
export default async function AccountPage() {
  const viewer = await requirePageViewer("session.manage");
  const sessions = await listUserSessions(db, { userId: viewer.userId, currentSessionId: viewer.sessionId, now: new Date() });
  return (
    <AppShell user={{ name: viewer.name, email: viewer.email, role: viewer.role }} orgName={viewer.orgName}>
      <div className="space-y-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
          <p className="text-sm text-muted-foreground">
            Signed in as {viewer.email} ({viewer.orgName}).
          </p>
        </div>
        <section aria-labelledby="password-heading">
          <Card>
            <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
              <div className="space-y-1.5">
                <h2 id="password-heading" className="text-lg leading-none font-semibold tracking-tight">
                  Password
                </h2>
                <CardDescription>Changing it keeps this browser signed in and signs out every other session.</CardDescription>
              </div>
              <Link href="/account/password" className={buttonVariants({ variant: "outline" })}>
                Change password
              </Link>
            </CardHeader>
          </Card>
        </section>
        <SessionsSection sessions={sessions} revokeSession={revokeSessionAction} signOutEverywhere={signOutEverywhereAction} />
      </div>
    </AppShell>
  );
}
