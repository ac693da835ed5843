import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell/app-shell";
import { requirePageViewer } from "@/lib/server/auth/guard";

export default async function LenderLayout({ children }: { children: ReactNode }) {
  const viewer = await requirePageViewer("portfolio.read");
  return (
    <AppShell user={{ name: viewer.name, email: viewer.email, role: viewer.role }} orgName={viewer.orgName}>
      {children}
    </AppShell>
  );
}
