import type { Metadata } from "next";
import Link from "next/link";
import { ApplicationsTable } from "@/components/startup/financing/applications-table";
import { ApplyDialog } from "@/components/startup/financing/apply-dialog";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { formatMicros } from "@/lib/domain/money";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getStartupFinancing } from "@/lib/server/queries/startup-financing";

export const metadata: Metadata = { title: "Financing" };

/** The startup's applications and loans, and "Apply" with a live preview of what it would receive. */
export default async function StartupFinancingPage() {
  const viewer = await requirePageViewer("credits.read");
  const data = await getStartupFinancing(db, viewer.orgId, new Date());
  const blocked = data.apply.blockedBy;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">Financing</h1>
          <p className="text-sm text-muted-foreground">Apply for credits financed by a lender, follow your applications, and manage your loan.</p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <ApplyDialog context={data.apply} />
          {blocked ? (
            <p className="max-w-xs text-right text-xs text-muted-foreground">
              One financing at a time:{" "}
              <Link className="text-primary underline underline-offset-4" href={`/startup/financing/${blocked.id}`}>
                {blocked.reference}
              </Link>{" "}
              is {blocked.state === "SUBMITTED" ? "waiting for a decision (withdraw it to apply again)" : "still open"}.
            </p>
          ) : (
            <p className="max-w-xs text-right text-xs text-muted-foreground">You hold {formatMicros(BigInt(data.apply.ownPledgeableMicros))} of your own credits to pledge.</p>
          )}
        </div>
      </div>
      <section aria-labelledby="arrangements-heading">
        <Card>
          <CardHeader>
            <h2 id="arrangements-heading" className="text-lg leading-none font-semibold tracking-tight">
              Applications and loans
            </h2>
            <CardDescription>A lender finances credits at 1.25–1.5× the principal; unspent credits are the collateral. Newest first; a rejected application says why.</CardDescription>
          </CardHeader>
          <CardContent>
            {data.loans.length === 0 ? (
              <EmptyState title="No financing yet">Apply to receive credits financed by a lender; an admin approves the terms, usually within a day.</EmptyState>
            ) : (
              <ApplicationsTable loans={data.loans} />
            )}
          </CardContent>
        </Card>
      </section>
    </div>
  );
}
