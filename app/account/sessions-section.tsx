"use client";

import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { describeUserAgent } from "@/lib/domain/auth/user-agent";
import type { UserSessionDto } from "@/lib/server/auth/sessions";
import type { ActionResult } from "@/lib/server/http/action";

export type RevokeSession = (input: { sessionId: string }) => Promise<ActionResult<{ id: string }>>;
export type SignOutEverywhere = (input: Record<string, never>) => Promise<ActionResult<{ endedSessions: number }>>;

/** "2026-03-01 12:00 UTC": the same on the server render and in the browser. */
function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

/** The browsers signed in to this account: where, since when, last seen; revoke one, or all. */
export function SessionsSection({ sessions, revokeSession, signOutEverywhere }: { sessions: UserSessionDto[]; revokeSession: RevokeSession; signOutEverywhere: SignOutEverywhere }) {
  return (
    <section aria-labelledby="sessions-heading">
      <Card>
        <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
          <div className="space-y-1.5">
            <h2 id="sessions-heading" className="text-lg leading-none font-semibold tracking-tight">
              Sessions
            </h2>
            <CardDescription>
              Every browser signed in to your account ({plural(sessions.length, "session")}). Revoke one you do not recognise: it is signed out on its next request. A session ends by itself after 12 hours
              without use.
            </CardDescription>
          </div>
          <SignOutEverywhereButton count={sessions.length} signOutEverywhere={signOutEverywhere} />
        </CardHeader>
        <CardContent>
          <div className="rounded-lg border">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Device</TableHead>
                  <TableHead>Address</TableHead>
                  <TableHead>Signed in (UTC)</TableHead>
                  <TableHead>Last seen (UTC)</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {sessions.map((session) => (
                  <SessionRow key={session.id} session={session} revokeSession={revokeSession} />
                ))}
              </TableBody>
            </Table>
          </div>
        </CardContent>
      </Card>
    </section>
  );
}

function SessionRow({ session, revokeSession }: { session: UserSessionDto; revokeSession: RevokeSession }) {
  const router = useRouter();
  const device = describeUserAgent(session.userAgent);
  const address = session.ipAddress ?? "Unknown address";
  return (
    <TableRow>
      <TableCell className="font-medium">
        <span className="inline-flex flex-wrap items-center gap-2">
          <span title={session.userAgent ?? undefined}>{device}</span>
          {session.isCurrent ? <Badge variant="info">This device</Badge> : null}
        </span>
      </TableCell>
      <TableCell className="num">{address}</TableCell>
      <TableCell className="num">{formatUtc(session.createdAt)}</TableCell>
      <TableCell className="num">{formatUtc(session.lastSeenAt)}</TableCell>
      <TableCell className="text-right">
        {session.isCurrent ? null : (
          <ConfirmDialog
            trigger={
              <Button type="button" size="sm" variant="outline" aria-label={`Revoke session: ${device}, ${address}, signed in ${formatUtc(session.createdAt)}`}>
                Revoke
              </Button>
            }
            title="Revoke this session?"
            description={`${device} at ${address}, signed in ${formatUtc(session.createdAt)} and last seen ${formatUtc(session.lastSeenAt)}, is signed out on its next request. Whoever uses it must sign in again.`}
            confirmLabel="Revoke session"
            pendingLabel="Revoking…"
            onConfirm={async () => {
              const result = await revokeSession({ sessionId: session.id });
              if (!result.ok) {
                toast.error(result.error.message);
                router.refresh();
                return false;
              }
              toast.success(`Session revoked: ${device} is signed out.`);
              router.refresh();
              return true;
            }}
          />
        )}
      </TableCell>
    </TableRow>
  );
}

function SignOutEverywhereButton({ count, signOutEverywhere }: { count: number; signOutEverywhere: SignOutEverywhere }) {
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" variant="outline">
          Sign out everywhere
        </Button>
      }
      title="Sign out everywhere?"
      description={`All ${plural(count, "session")} of your account end, this one included: every browser must sign in again with your password.`}
      confirmLabel="Sign out everywhere"
      pendingLabel="Signing out…"
      onConfirm={async () => {
        const result = await signOutEverywhere({});
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        // This browser's session has ended on the server; this also clears its cookie.
        await signOut({ callbackUrl: "/login" });
        return true;
      }}
    />
  );
}
