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

test("admin and startup navs link only to pages that exist", () => {
  expect(navItemsForRole("admin").map((item) => item.href)).toEqual(["/admin", "/admin/organizations", "/admin/ledger-health", "/admin/audit"]);
  expect(navItemsForRole("startup").map((item) => item.href)).toEqual(["/startup", "/startup/financing"]);
});
