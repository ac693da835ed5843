export type Role = "startup" | "lender" | "admin";

/** Lucide icon names; `sidebar-nav.tsx` maps them to components so items stay serialisable. */
export type NavIconName =
  | "layout-dashboard"
  | "activity"
  | "key-round"
  | "landmark"
  | "briefcase"
  | "file-text"
  | "bell"
  | "webhook"
  | "clipboard-check"
  | "server"
  | "chart-line"
  | "building-2"
  | "heart-pulse"
  | "scroll-text"
  | "banknote"
  | "boxes"
  | "settings";

/** A live count a nav item carries as a badge; `sidebar-nav.tsx` maps each to its query. */
export type NavCountName = "open-alerts" | "pending-applications" | "pending-payments";

export type NavItem = { href: string; label: string; icon: NavIconName; count?: NavCountName };

// Only pages that exist; each feature adds its item when its screen lands.
const NAV_ITEMS: Record<Role, NavItem[]> = {
  startup: [
    { href: "/startup", label: "Overview", icon: "layout-dashboard" },
    { href: "/startup/usage", label: "Usage", icon: "activity" },
    { href: "/startup/keys", label: "API keys", icon: "key-round" },
    { href: "/startup/financing", label: "Financing", icon: "landmark" },
  ],
  lender: [
    { href: "/lender", label: "Portfolio", icon: "briefcase" },
    { href: "/lender/alerts", label: "Alerts", icon: "bell", count: "open-alerts" },
    { href: "/lender/settings", label: "Settings", icon: "settings" },
  ],
  admin: [
    { href: "/admin", label: "Overview", icon: "layout-dashboard" },
    { href: "/admin/applications", label: "Applications", icon: "clipboard-check", count: "pending-applications" },
    { href: "/admin/loans", label: "Loans", icon: "landmark" },
    { href: "/admin/payments", label: "Payments", icon: "banknote", count: "pending-payments" },
    { href: "/admin/providers", label: "Providers", icon: "server" },
    { href: "/admin/models", label: "Models and prices", icon: "boxes" },
    { href: "/admin/gpu-index", label: "GPU index", icon: "chart-line" },
    { href: "/admin/organizations", label: "Organisations", icon: "building-2" },
    { href: "/admin/audit", label: "Audit log", icon: "scroll-text" },
    { href: "/admin/ledger-health", label: "Ledger health", icon: "heart-pulse" },
  ],
};

export function navItemsForRole(role: Role): NavItem[] {
  return NAV_ITEMS[role];
}

/** The item for `pathname`: the longest href equal to it or a parent of it, so nested pages light up their section. */
export function activeNavHref(items: NavItem[], pathname: string): string | undefined {
  return items
    .filter((item) => pathname === item.href || pathname.startsWith(`${item.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
}

const COUNT_NOUN: Record<NavCountName, string> = { "open-alerts": "open", "pending-applications": "waiting", "pending-payments": "waiting" };

/**
 * The accessible name of an item with a count: "Alerts, 3 open"; just the label while the count is
 * unknown or zero (no badge shows then either).
 */
export function navItemAccessibleName(item: Pick<NavItem, "label" | "count">, count: number | undefined): string {
  if (!item.count || !count) return item.label;
  return `${item.label}, ${count.toLocaleString("en-US")} ${COUNT_NOUN[item.count]}`;
}

/** What the badge shows: the count, capped at "99+" so it keeps its size; null hides it. */
export function navBadgeText(count: number | undefined): string | null {
  if (!count || count < 1) return null;
  return count > 99 ? "99+" : String(count);
}
