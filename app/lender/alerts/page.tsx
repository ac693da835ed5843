import type { Metadata } from "next";
import { AlertsInbox } from "@/components/lender/alerts/alerts-inbox";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { ALERT_INBOX_VIEWS, getLenderAlertSummary, listLenderAlertInboxPage, type AlertInboxView } from "@/lib/server/queries/lender-alerts";
import { acknowledgeAlertsAction } from "./acknowledge-action";

export const metadata: Metadata = { title: "Alerts" };

function viewFrom(value: string | string[] | undefined): AlertInboxView {
  const text = Array.isArray(value) ? value[0] : value;
  return (ALERT_INBOX_VIEWS as readonly string[]).includes(text ?? "") ? (text as AlertInboxView) : "open";
}

export default async function LenderAlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requirePageViewer("portfolio.read");
  const view = viewFrom((await searchParams).view);
  // The first page and the counts come with the HTML; the inbox then polls both (lib/client/query-keys.ts).
  const loadedAtMs = Date.now();
  const [initialPage, initialSummary] = await Promise.all([listLenderAlertInboxPage(db, viewer.orgId, { view }), getLenderAlertSummary(db, viewer.orgId)]);
  return <AlertsInbox initialView={view} initialPage={initialPage} loadedAtMs={loadedAtMs} initialSummary={initialSummary} acknowledge={acknowledgeAlertsAction} />;
}
