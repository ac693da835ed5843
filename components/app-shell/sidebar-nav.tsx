"use client";

import { useEffect, useState } from "react";
import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import {
  Activity,
  Banknote,
  Bell,
  Boxes,
  Briefcase,
  Building2,
  ChartLine,
  ClipboardCheck,
  FileText,
  HeartPulse,
  KeyRound,
  Landmark,
  LayoutDashboard,
  Menu,
  ScrollText,
  Server,
  Settings,
  Webhook,
  type LucideIcon,
} from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { cn } from "@/lib/utils";
import { adminQueueQuery, lenderAlertSummaryQuery, queryKeys } from "@/lib/client/query-keys";
import type { AdminQueueSummaryDto } from "@/lib/server/queries/admin-queue";
import type { AlertSummaryDto } from "@/lib/server/queries/lender-alerts";
import { activeNavHref, navBadgeText, navItemAccessibleName, type NavCountName, type NavIconName, type NavItem } from "./nav-items";

const ICONS: Record<NavIconName, LucideIcon> = {
  "layout-dashboard": LayoutDashboard,
  activity: Activity,
  "key-round": KeyRound,
  landmark: Landmark,
  briefcase: Briefcase,
  "file-text": FileText,
  bell: Bell,
  webhook: Webhook,
  "clipboard-check": ClipboardCheck,
  server: Server,
  "chart-line": ChartLine,
  "building-2": Building2,
  "heart-pulse": HeartPulse,
  "scroll-text": ScrollText,
  banknote: Banknote,
  boxes: Boxes,
  settings: Settings,
};

/** Server-read starting values for the nav's live counts, so the first paint already shows them. */
export type NavCountsInitial = { alertSummary?: AlertSummaryDto; adminQueue?: AdminQueueSummaryDto };

/**
 * The nav's counts, polled (lib/client/query-keys.ts) and refetched when a decision invalidates them.
 * Only the queries the names need run: a lender never asks for the admin queue, nor an admin for alerts.
 */
function useNavCounts(names: NavCountName[], initial: NavCountsInitial | undefined): Record<NavCountName, number | undefined> {
  const queryClient = useQueryClient();
  // A server render after a decision (router.refresh, revalidatePath) brings fresher counts than the
  // last poll: take them at once rather than waiting for the next one.
  useEffect(() => {
    if (initial?.adminQueue) queryClient.setQueryData(queryKeys.adminQueue(), initial.adminQueue);
  }, [queryClient, initial?.adminQueue]);
  useEffect(() => {
    if (initial?.alertSummary) queryClient.setQueryData(queryKeys.lenderAlertSummary(), initial.alertSummary);
  }, [queryClient, initial?.alertSummary]);
  const alerts = useQuery({ ...lenderAlertSummaryQuery(), initialData: initial?.alertSummary, enabled: names.includes("open-alerts") });
  const queue = useQuery({ ...adminQueueQuery(), initialData: initial?.adminQueue, enabled: names.some((name) => name !== "open-alerts") });
  return {
    "open-alerts": alerts.data?.open.total,
    "pending-applications": queue.data?.pendingApplications,
    "pending-payments": queue.data?.pendingPayments,
  };
}

type NavLinkProps = { item: NavItem; isActive: boolean; onNavigate?: () => void; count?: number };

function NavLink({ item, isActive, onNavigate, count }: NavLinkProps) {
  const Icon = ICONS[item.icon];
  const badge = navBadgeText(count);
  // The link's name is "Alerts, 3 open": the rest of the name rides inline after the label, clipped
  // out of sight, while the visible badge is hidden from assistive tech. (An aria-label would fail
  // axe's label-in-name check, and an absolutely positioned sr-only span makes Chrome read "Alerts , 3".)
  const nameSuffix = badge ? navItemAccessibleName(item, count).slice(item.label.length) : "";
  return (
    <Link
      href={item.href}
      aria-current={isActive ? "page" : undefined}
      onClick={onNavigate}
      className={cn(
        "flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm font-medium text-muted-foreground transition-colors outline-none",
        "hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
        isActive && "bg-primary/10 text-primary hover:bg-primary/10 hover:text-primary",
      )}
    >
      <Icon aria-hidden="true" className="size-4 shrink-0" />
      <span>
        {item.label}
        {nameSuffix ? <span className="text-[1px] whitespace-nowrap text-transparent select-none [clip-path:inset(50%)]">{nameSuffix}</span> : null}
      </span>
      {badge ? (
        <span aria-hidden="true" data-testid={`nav-count-${item.count}`} className="num ml-auto min-w-5 rounded-full bg-primary px-1.5 py-0.5 text-center text-xs leading-none font-semibold text-primary-foreground">
          {badge}
        </span>
      ) : null}
    </Link>
  );
}

function CountedNavLink({ initialCounts, ...props }: NavLinkProps & { initialCounts?: NavCountsInitial }) {
  const name = props.item.count!;
  const count = useNavCounts([name], initialCounts)[name];
  return <NavLink {...props} count={count} />;
}

export function SidebarNav({
  items,
  initialCounts,
  onNavigate,
  className,
}: {
  items: NavItem[];
  initialCounts?: NavCountsInitial;
  onNavigate?: () => void;
  className?: string;
}) {
  // Typed nullable once the app also has a pages/ directory (the routing API's Pages API routes);
  // always set under the App Router.
  const pathname = usePathname() ?? "";
  const activeHref = activeNavHref(items, pathname);
  return (
    <ul className={cn("flex flex-col gap-0.5", className)}>
      {items.map((item) => (
        <li key={item.href}>
          {item.count ? (
            <CountedNavLink item={item} isActive={item.href === activeHref} onNavigate={onNavigate} initialCounts={initialCounts} />
          ) : (
            <NavLink item={item} isActive={item.href === activeHref} onNavigate={onNavigate} />
          )}
        </li>
      ))}
    </ul>
  );
}

/** A dot on the phone's menu button while an item has something to count; the links inside say what. */
function MenuCountDot({ names, initialCounts }: { names: NavCountName[]; initialCounts?: NavCountsInitial }) {
  const counts = useNavCounts(names, initialCounts);
  if (!names.some((name) => navBadgeText(counts[name]))) return null;
  return <span aria-hidden="true" className="absolute top-1.5 right-1.5 size-2 rounded-full bg-primary ring-2 ring-background" />;
}

/** Under `md` the sidebar folds into a menu button that opens the same links as a top sheet. */
export function MobileNav({ items, initialCounts }: { items: NavItem[]; initialCounts?: NavCountsInitial }) {
  const [open, setOpen] = useState(false);
  const countNames = items.flatMap((item) => (item.count ? [item.count] : []));
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="relative md:hidden" aria-label="Open navigation">
          <Menu aria-hidden="true" />
          {countNames.length ? <MenuCountDot names={countNames} initialCounts={initialCounts} /> : null}
        </Button>
      </DialogTrigger>
      <DialogContent className="top-0 left-0 max-w-none translate-x-0 translate-y-0 gap-3 rounded-none border-x-0 border-t-0 p-4 sm:max-w-none">
        <DialogTitle className="text-sm">Navigation</DialogTitle>
        <DialogDescription className="sr-only">Pages available to your role</DialogDescription>
        <nav aria-label="Main">
          <SidebarNav items={items} initialCounts={initialCounts} onNavigate={() => setOpen(false)} />
        </nav>
      </DialogContent>
    </Dialog>
  );
}
