import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { checkLedgerHealth } from "@/lib/server/ledger/health";

export const metadata: Metadata = { title: "Ledger health" };
export const dynamic = "force-dynamic";

export default async function LedgerHealthPage() {
  await requirePageViewer("ledger.health");
  const report = await checkLedgerHealth(db);
  const isHealthy = report.violations.length === 0;
  return (
    <div className="space-y-6">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Ledger health</h1>
        <Badge variant={isHealthy ? "success" : "destructive"} data-testid="ledger-health-status">
          {isHealthy ? "All invariants hold" : `${report.violations.length} violation${report.violations.length === 1 ? "" : "s"}`}
        </Badge>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>What was checked</CardTitle>
          <CardDescription>
            {report.accountCount.toLocaleString("en-US")} accounts, {report.transferCount.toLocaleString("en-US")} transfers and {report.lotCount.toLocaleString("en-US")} credit lots in one snapshot, in {report.durationMs} ms, at{" "}
            {report.checkedAt.toISOString()}.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ul className="list-disc space-y-1 pl-5 text-sm text-muted-foreground">
            <li>Each transfer has two entries that sum to zero.</li>
            <li>Every account balance equals the sum of its entries.</li>
            <li>Spendable, held and frozen credits are never negative.</li>
            <li>Each startup&apos;s credit lots add up to its spendable + held and frozen balances.</li>
          </ul>
        </CardContent>
      </Card>
      {!isHealthy ? (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Rule</TableHead>
              <TableHead>Subject</TableHead>
              <TableHead>Detail</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {report.violations.slice(0, 200).map((violation, index) => (
              <TableRow key={index}>
                <TableCell>{violation.code}</TableCell>
                <TableCell className="font-mono text-xs">{violation.subjectId}</TableCell>
                <TableCell>{violation.message}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </div>
  );
}
