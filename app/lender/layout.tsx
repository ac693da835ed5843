import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell/app-shell";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getLenderAlertSummary } from "@/lib/server/queries/lender-alerts";

export default async function LenderLayout({ children }: { children: ReactNode }) {
  const viewer = await requirePageViewer("portfolio.read");
  // The sidebar's open-alert badge starts from this read and then polls /api/lender/alerts/summary.
  const alertSummary = await getLenderAlertSummary(db, viewer.orgId);
  return (
    <AppShell user={{ name: viewer.name, email: viewer.email, role: viewer.role }} orgName={viewer.orgName} initialCounts={{ alertSummary }}>
      {children}
    </AppShell>
  );
}
