"use client";

import { useState } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import {
  Activity,
  Bell,
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
  Webhook,
  type LucideIcon,
} from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { cn } from "@/lib/utils";
import { activeNavHref, type NavIconName, type NavItem } from "./nav-items";

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
};

export function SidebarNav({ items, onNavigate, className }: { items: NavItem[]; onNavigate?: () => void; className?: string }) {
  // Typed nullable once the app also has a pages/ directory (the routing API's Pages API routes);
  // always set under the App Router.
  const pathname = usePathname() ?? "";
  const activeHref = activeNavHref(items, pathname);
  return (
    <ul className={cn("flex flex-col gap-0.5", className)}>
      {items.map((item) => {
        const Icon = ICONS[item.icon];
        const isActive = item.href === activeHref;
        return (
          <li key={item.href}>
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
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/** Under `md` the sidebar folds into a menu button that opens the same links as a top sheet. */
export function MobileNav({ items }: { items: NavItem[] }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation">
          <Menu aria-hidden="true" />
        </Button>
      </DialogTrigger>
      <DialogContent className="top-0 left-0 max-w-none translate-x-0 translate-y-0 gap-3 rounded-none border-x-0 border-t-0 p-4 sm:max-w-none">
        <DialogTitle className="text-sm">Navigation</DialogTitle>
        <DialogDescription className="sr-only">Pages available to your role</DialogDescription>
        <nav aria-label="Main">
          <SidebarNav items={items} onNavigate={() => setOpen(false)} />
        </nav>
      </DialogContent>
    </Dialog>
  );
}
