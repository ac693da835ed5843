import type { Metadata } from "next";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { listAuditLog, type AuditEntryView } from "@/lib/server/queries/admin";

export const metadata: Metadata = { title: "Audit log" };

/** Who acted, by name and email: a person, a lender API token (and who made it), or the system. */
function AuditActor({ entry }: { entry: AuditEntryView }) {
  const org = entry.orgName ? <span className="block text-xs text-muted-foreground">{entry.orgName}</span> : null;
  if (entry.token) {
    const maker = entry.token.createdBy;
    return (
      <div className="min-w-48">
        <span className="block">
          API token “{entry.token.name}” <span className="font-mono text-xs text-muted-foreground">{entry.token.prefix}…</span>
        </span>
        <span className="block text-xs text-muted-foreground">{maker ? `made by ${maker.name} · ${maker.email}` : "maker unknown"}</span>
        {org}
      </div>
    );
  }
  if (entry.user) {
    return (
      <div className="min-w-48">
        <span className="block">{entry.user.name}</span>
        <span className="block text-xs text-muted-foreground">{entry.user.email}</span>
        {org}
      </div>
    );
  }
  if (entry.actorKind === "system") return <span>System</span>;
  return (
    <div className="min-w-48">
      <span className="block">Unknown {entry.actorKind === "api" ? "API token" : "user"}</span>
      {org}
    </div>
  );
}

export default async function AuditLogPage() {
  await requirePageViewer("audit.read");
  const entries = await listAuditLog(db);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
      <Card>
        <CardHeader>
          <CardTitle>Latest 200 entries</CardTitle>
          <CardDescription>Who did what, when, to what. Entries are written in the same transaction as the change.</CardDescription>
        </CardHeader>
        <CardContent>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>When (UTC)</TableHead>
                <TableHead>Actor</TableHead>
                <TableHead>Action</TableHead>
                <TableHead>Target</TableHead>
                <TableHead>Detail</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {entries.map((entry) => (
                <TableRow key={entry.id}>
                  <TableCell className="whitespace-nowrap">{entry.at.toISOString().replace("T", " ").slice(0, 19)}</TableCell>
                  <TableCell>
                    <AuditActor entry={entry} />
                  </TableCell>
                  <TableCell>{entry.action}</TableCell>
                  <TableCell>{entry.targetType}</TableCell>
                  <TableCell className="max-w-md truncate font-mono text-xs">{entry.detailJson}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </div>
  );
}
