import type { Metadata } from "next";
import Link from "next/link";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { Money } from "@/components/money";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { listStartupLoans } from "@/lib/server/queries/startup";

export const metadata: Metadata = { title: "Financing" };

export default async function StartupFinancingPage() {
  const viewer = await requirePageViewer("credits.read");
  const loans = await listStartupLoans(db, viewer.orgId);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Financing</h1>
        <p className="text-sm text-muted-foreground">Your applications and loans, newest first.</p>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Arrangements</CardTitle>
          <CardDescription>A lender finances credits at 1.25–1.5× the principal; unspent credits are the collateral.</CardDescription>
        </CardHeader>
        <CardContent>
          {loans.length === 0 ? (
            <p className="text-sm text-muted-foreground">No financing yet.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Reference</TableHead>
                  <TableHead>State</TableHead>
                  <TableHead>Lender</TableHead>
                  <TableHead className="text-right">Principal</TableHead>
                  <TableHead className="text-right">Multiplier</TableHead>
                  <TableHead>Term</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {loans.map((loan) => (
                  <TableRow key={loan.id}>
                    <TableCell>
                      <Link className="text-primary underline underline-offset-4" href={`/startup/financing/${loan.id}`}>
                        {loan.reference}
                      </Link>
                    </TableCell>
                    <TableCell>
                      <LoanStateBadge state={loan.state} />
                      {loan.state === "REJECTED" && loan.rejectionReason ? <p className="mt-1 max-w-xs text-xs text-muted-foreground">Reason: {loan.rejectionReason}</p> : null}
                    </TableCell>
                    <TableCell>{loan.lender?.name ?? "—"}</TableCell>
                    <TableCell className="text-right">
                      <Money micros={loan.principalMicros.toString()} />
                    </TableCell>
                    <TableCell className="num text-right">{(loan.multiplierBps / 10_000).toFixed(2)}×</TableCell>
                    <TableCell>{loan.termMonths} months</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
