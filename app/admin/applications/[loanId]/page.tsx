import Link from "next/link";
import { notFound } from "next/navigation";
import { ApplicationOverview } from "@/components/admin/applications/application-overview";
import { ApprovalPanel } from "@/components/admin/applications/approval-panel";
import { dateTimeText, multiplierText, usd } from "@/components/admin/applications/format";
import { RejectDialog } from "@/components/admin/applications/reject-dialog";
import { LoanStateBadge } from "@/components/dashboard/loan-state-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getApplicationPage } from "@/lib/server/queries/admin-applications";

/** One application: the borrower's burn, balances and history, the terms with their live preview, Approve and Reject. */
export default async function ApplicationPage({ params }: { params: Promise<{ loanId: string }> }) {
  const viewer = await requirePageViewer("application.decide");
  const { loanId } = await params;
  const page = await getApplicationPage(db, loanId);
  if (!page) notFound();
  const { application } = page;
  const isOpen = application.state === "SUBMITTED";
  return (
    <div className="space-y-6">
      <Link href="/admin/applications" className="text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
        Back to applications
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">
            {application.startupName} · {application.reference}
          </h1>
          <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
            <LoanStateBadge state={application.state} />
            <span>Submitted {dateTimeText(application.submittedAt)}</span>
          </p>
        </div>
        {isOpen ? <RejectDialog loanId={application.id} reference={application.reference} startupName={application.startupName} /> : null}
      </div>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>The application</h2>
          </CardTitle>
          <CardDescription>{application.purpose}</CardDescription>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
            <div>
              <dt className="text-muted-foreground">Principal</dt>
              <dd className="num text-lg font-semibold">{usd(application.principalMicros)}</dd>
            </div>
            <div>
              <dt className="text-muted-foreground">Multiplier asked</dt>
              <dd className="num text-lg font-semibold">{multiplierText(application.multiplierBps)}</dd>
            </div>
            <div>
              <dt className="text-muted-foreground">Term</dt>
              <dd className="num text-lg font-semibold">{application.termMonths} months</dd>
            </div>
            <div>
              <dt className="text-muted-foreground">Own credits to pledge</dt>
              <dd className="num text-lg font-semibold">{usd(application.pledgedMicros)}</dd>
            </div>
          </dl>
          {!isOpen ? (
            <p className="mt-4 text-sm" role="status">
              {application.state === "REJECTED"
                ? `Rejected${application.decidedBy ? ` by ${application.decidedBy}` : ""}${application.decidedAt ? ` on ${dateTimeText(application.decidedAt)}` : ""}: ${application.rejectionReason ?? ""}`
                : application.state === "WITHDRAWN"
                  ? "The startup withdrew this application."
                  : `Approved${application.decidedBy ? ` by ${application.decidedBy}` : ""}${application.facilityName ? ` on ${application.facilityName}` : ""}${application.lenderName ? ` (${application.lenderName})` : ""}; the loan is ${application.state.replace(/_/g, " ").toLowerCase()}.`}
            </p>
          ) : null}
        </CardContent>
      </Card>

      {isOpen ? <ApprovalPanel page={page} viewerUserId={viewer.userId} /> : null}
      <ApplicationOverview page={page} />
    </div>
  );
}
