import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell/app-shell";
import { NotificationBell } from "@/components/startup/notifications/notification-bell";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { listNotifications } from "@/lib/server/notifications/notifications";
import { markNotificationsReadAction } from "./mark-notifications-read-action";

export default async function StartupLayout({ children }: { children: ReactNode }) {
  const viewer = await requirePageViewer("credits.read");
  // The bell starts from this read and then polls /api/startup/notifications.
  const notifications = await listNotifications(db, viewer.orgId);
  return (
    <AppShell
      user={{ name: viewer.name, email: viewer.email, role: viewer.role }}
      orgName={viewer.orgName}
      headerActions={<NotificationBell initial={notifications} markRead={markNotificationsReadAction} />}
    >
      {children}
    </AppShell>
  );
}
