import { notFound } from "next/navigation";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { StatCard } from "@/components/dashboard/stat-card";
import { Bps, Money } from "@/components/money";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { findStartupLoan } from "@/lib/server/queries/startup";

export default async function StartupLoanPage({ params }: { params: Promise<{ loanId: string }> }) {
  const viewer = await requirePageViewer("credits.read");
  const { loanId } = await params;
  const loan = await findStartupLoan(db, viewer.orgId, loanId);
  if (!loan) notFound();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{loan.reference}</h1>
        <LoanStateBadge state={loan.state} />
      </div>
      {loan.state === "REJECTED" ? (
        <section aria-labelledby="rejection-title" className="rounded-lg border border-destructive/40 bg-destructive/5 p-4">
          <h2 id="rejection-title" className="font-semibold">
            The platform rejected this application{loan.decidedAt ? ` on ${loan.decidedAt.toISOString().slice(0, 10)}` : ""}
          </h2>
          <p className="mt-1 text-sm">Reason: {loan.rejectionReason ?? "none given"}</p>
        </section>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard label="Principal" value={<Money micros={loan.principalMicros.toString()} />} />
        <StatCard label="Debt (principal + interest)" value={<Money micros={(loan.principalOutstandingMicros + loan.interestAccruedMicros).toString()} />} />
        <StatCard label="Coverage" value={<Bps bps={loan.coverage[0]?.coverageBps ?? null} />} hint={`Maintenance ${(loan.maintenanceCoverageBps / 100).toFixed(0)}%`} />
        <StatCard label="Lender" value={loan.lender?.name ?? "Awaiting approval"} />
      </div>
      {loan.installments.length ? (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>#</TableHead>
              <TableHead>Due</TableHead>
              <TableHead className="text-right">Amount</TableHead>
              <TableHead>Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {loan.installments.map((installment) => (
              <TableRow key={installment.id}>
                <TableCell>{installment.seq}</TableCell>
                <TableCell>{installment.dueDate.toISOString().slice(0, 10)}</TableCell>
                <TableCell className="text-right">
                  <Money micros={installment.amountMicros.toString()} />
                </TableCell>
                <TableCell>{installment.status.toLowerCase()}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </div>
  );
}
