import { describe, expect, it } from "vitest";
import { areaRoleForPath, can, homePathForRole, isPermission, isRole, PERMISSIONS, permissionsForRole, roleForOrgKind, ROLES, type OrgKind, type Permission, type Role } from "./permissions";

// The spec, written out independently of the table it checks.
const EXPECTED: Record<Permission, Role[]> = {
  "credits.read": ["startup"],
  "usage.read": ["startup"],
  "apiKey.manage": ["startup"],
  "loan.apply": ["startup"],
  "loan.pay": ["startup"],
  "loan.pledge": ["startup"],
  "credits.purchase": ["startup"],
  "lender.settings": ["lender"],
  "portfolio.read": ["lender"],
  "loan.freeze": ["lender"],
  "loan.unfreeze": ["lender"],
  "loan.liquidate": ["lender", "admin"],
  "alert.acknowledge": ["lender"],
  "lenderToken.manage": ["lender"],
  "webhook.manage": ["lender"],
  "application.decide": ["admin"],
  "payment.record": ["admin"],
  "provider.manage": ["admin"],
  "gpuIndex.manage": ["admin"],
  "org.manage": ["admin"],
  "user.manage": ["admin"],
  "audit.read": ["admin"],
  "platform.loans.read": ["admin"],
  "ledger.health": ["admin"],
  "session.manage": ["startup", "lender", "admin"],
};

const matrix = (Object.keys(EXPECTED) as Permission[]).flatMap((permission) => ROLES.map((role) => [role, permission, EXPECTED[permission].includes(role)] as const));

describe("can(role, permission)", () => {
  it.each(matrix)("%s may %s: %s", (role, permission, expected) => {
    expect(can(role, permission)).toBe(expected);
  });

  it("the table has exactly the specified permissions", () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("every permission names at least one known role", () => {
    for (const [permission, roles] of Object.entries(PERMISSIONS)) {
      expect(roles.length, permission).toBeGreaterThan(0);
      for (const role of roles) expect(ROLES).toContain(role);
    }
  });

  it("denies a permission name that is not in the table", () => {
    expect(can("admin", "everything" as Permission)).toBe(false);
    expect(can("admin", "toString" as Permission)).toBe(false);
  });
});

describe("permissionsForRole", () => {
  it.each([
    ["startup", 8],
    ["lender", 9],
    ["admin", 11],
  ] as const)("%s has %s permissions", (role, count) => {
    expect(permissionsForRole(role)).toHaveLength(count);
  });
});

describe("guards", () => {
  it.each([
    ["startup", true, false],
    ["admin", true, false],
    ["Admin", false, false],
    ["loan.freeze", false, true],
    ["constructor", false, false],
  ])("%j is a role: %s, a permission: %s", (value, roleExpected, permissionExpected) => {
    expect(isRole(value)).toBe(roleExpected);
    expect(isPermission(value)).toBe(permissionExpected);
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

  it("refuses an unknown organisation kind", () => {
    expect(() => roleForOrgKind("BANK" as OrgKind)).toThrow(RangeError);
  });

  it.each([
    ["/startup", "startup"],
    ["/startup/keys", "startup"],
    ["/lender/loans/abc", "lender"],
    ["/lender/", "lender"],
    ["/admin", "admin"],
    ["/admin/audit", "admin"],
    ["/administrator", null],
    ["/startups", null],
    ["/api/v1/models", null],
    ["/login", null],
    ["/", null],
    ["", null],
  ])("%j is in the %s area", (path, role) => {
    expect(areaRoleForPath(path)).toBe(role);
  });
});
