import { describe, expect, it } from "vitest";
import { areaRoleForPath, can, homePathForRole, PERMISSIONS, roleForOrgKind, ROLES, type Permission } from "./permissions";

describe("can(role, permission)", () => {
  it.each([
    ["startup", "credits.read", true],
    ["startup", "apiKey.manage", true],
    ["startup", "loan.freeze", false],
    ["startup", "application.decide", false],
    ["lender", "loan.freeze", true],
    ["lender", "credits.read", false],
    ["lender", "user.manage", false],
    ["lender", "loan.liquidate", true],
    ["admin", "loan.liquidate", true],
    ["admin", "application.decide", true],
    ["admin", "loan.freeze", false],
    ["admin", "portfolio.read", false],
  ] as const)("%s may %s: %s", (role, permission, expected) => {
    expect(can(role, permission)).toBe(expected);
  });

  it("every permission names at least one known role", () => {
    for (const [permission, roles] of Object.entries(PERMISSIONS) as [Permission, readonly string[]][]) {
      expect(roles.length, permission).toBeGreaterThan(0);
      for (const role of roles) expect(ROLES).toContain(role);
    }
  });
});

describe("role helpers", () => {
  it.each([
    ["STARTUP", "startup", "/startup"],
    ["LENDER", "lender", "/lender"],
    ["PLATFORM", "admin", "/admin"],
  ] as const)("a %s organisation's users are %s and land on %s", (kind, role, home) => {
    expect(roleForOrgKind(kind)).toBe(role);
    expect(homePathForRole(role)).toBe(home);
  });

  it.each([
    ["/lender/loans/abc", "lender"],
    ["/startup", "startup"],
    ["/admin/audit", "admin"],
    ["/administrator", null],
    ["/login", null],
  ])("%s is in the %s area", (path, role) => {
    expect(areaRoleForPath(path)).toBe(role);
  });
});
