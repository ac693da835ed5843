import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell/app-shell";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getAdminQueueSummary } from "@/lib/server/queries/admin-queue";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const viewer = await requirePageViewer("org.manage");
  const adminQueue = await getAdminQueueSummary(db);
  return (
    <AppShell user={{ name: viewer.name, email: viewer.email, role: viewer.role }} orgName={viewer.orgName} initialCounts={{ adminQueue }}>
      {children}
    </AppShell>
  );
}
