import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { activeNavHref, navBadgeText, navItemAccessibleName, navItemsForRole } from "./nav-items";

describe("the lender's nav", () => {
  test("lists Portfolio, Alerts (with the open-alert count) and Settings", () => {
    expect(navItemsForRole("lender").map((item) => [item.label, item.href, item.count ?? null])).toEqual([
      ["Portfolio", "/lender", null],
      ["Alerts", "/lender/alerts", "open-alerts"],
      ["Settings", "/lender/settings", null],
    ]);
  });

  test.each([
    ["/lender", "/lender"],
    ["/lender/alerts", "/lender/alerts"],
    ["/lender/loans/abc", "/lender"],
    ["/lender/settings", "/lender/settings"],
  ])("on %s the active item is %s", (pathname, href) => {
    expect(activeNavHref(navItemsForRole("lender"), pathname)).toBe(href);
  });
});

describe("the count badge", () => {
  const alerts = { label: "Alerts", count: "open-alerts" as const };
  test.each([
    ["3 open alerts", 3, "Alerts, 3 open", "3"],
    ["1,234 open alerts cap the badge", 1_234, "Alerts, 1,234 open", "99+"],
    ["99 still fits", 99, "Alerts, 99 open", "99"],
    ["none: no badge, the plain label", 0, "Alerts", null],
    ["not loaded yet: no badge", undefined, "Alerts", null],
  ])("%s", (_label, count, name, badge) => {
    expect(navItemAccessibleName(alerts, count)).toBe(name);
    expect(navBadgeText(count)).toBe(badge);
  });

  test("an item without a count keeps its label", () => {
    expect(navItemAccessibleName({ label: "Portfolio" }, 5)).toBe("Portfolio");
  });
});

describe("the admin's nav", () => {
  test("puts what waits on an admin first, each queue with its count", () => {
    expect(navItemsForRole("admin").map((item) => [item.label, item.href, item.count ?? null])).toEqual([
      ["Overview", "/admin", null],
      ["Applications", "/admin/applications", "pending-applications"],
      ["Loans", "/admin/loans", null],
      ["Payments", "/admin/payments", "pending-payments"],
      ["Providers", "/admin/providers", null],
      ["Models and prices", "/admin/models", null],
      ["GPU index", "/admin/gpu-index", null],
      ["Organisations", "/admin/organizations", null],
      ["Audit log", "/admin/audit", null],
      ["Ledger health", "/admin/ledger-health", null],
    ]);
  });

  test.each([
    ["/admin/applications/abc", "/admin/applications"],
    ["/admin/loans/abc", "/admin/loans"],
    ["/admin", "/admin"],
  ])("on %s the active item is %s", (pathname, href) => {
    expect(activeNavHref(navItemsForRole("admin"), pathname)).toBe(href);
  });

  test("a waiting count reads as such", () => {
    expect(navItemAccessibleName({ label: "Applications", count: "pending-applications" }, 2)).toBe("Applications, 2 waiting");
  });
});

describe("the startup's nav", () => {
  test("lists Overview, Usage, API keys and Financing", () => {
    expect(navItemsForRole("startup").map((item) => [item.label, item.href])).toEqual([
      ["Overview", "/startup"],
      ["Usage", "/startup/usage"],
      ["API keys", "/startup/keys"],
      ["Financing", "/startup/financing"],
    ]);
  });

  test.each([
    ["/startup/financing/abc", "/startup/financing"],
    ["/startup/usage", "/startup/usage"],
    ["/startup", "/startup"],
  ])("on %s the active item is %s", (pathname, href) => {
    expect(activeNavHref(navItemsForRole("startup"), pathname)).toBe(href);
  });
});

/** The page file an href is served by, looking through route groups like app/lender/(portfolio)/. */
function pageExists(href: string): boolean {
  const appDir = path.join(process.cwd(), "app");
  const segments = href.split("/").filter(Boolean);
  const search = (dir: string, rest: string[]): boolean => {
    if (rest.length === 0 && existsSync(path.join(dir, "page.tsx"))) return true;
    const groups = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && /^\(.+\)$/.test(entry.name));
    if (groups.some((group) => search(path.join(dir, group.name), rest))) return true;
    return rest.length > 0 && existsSync(path.join(dir, rest[0])) && search(path.join(dir, rest[0]), rest.slice(1));
  };
  return search(appDir, segments);
}

test.each(["startup", "lender", "admin"] as const)("the %s nav links only to pages that exist", (role) => {
  const missing = navItemsForRole(role).filter((item) => !pageExists(item.href));
  expect(missing.map((item) => item.href)).toEqual([]);
});
