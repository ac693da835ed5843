// Who may do what, as data. Every page, server action and route handler asks `can()`.

export const ROLES = ["startup", "lender", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  "credits.read": ["startup"],
  "usage.read": ["startup"],
  "apiKey.manage": ["startup"],
  "loan.apply": ["startup"],
  "loan.pay": ["startup"],
  "loan.pledge": ["startup"],
  "portfolio.read": ["lender"],
  "loan.freeze": ["lender"],
  "loan.unfreeze": ["lender"],
  "loan.liquidate": ["lender", "admin"],
  "alert.acknowledge": ["lender"],
  "lenderToken.manage": ["lender"],
  "webhook.manage": ["lender"],
  "application.decide": ["admin"],
  "provider.manage": ["admin"],
  "gpuIndex.manage": ["admin"],
  "org.manage": ["admin"],
  "user.manage": ["admin"],
  "audit.read": ["admin"],
  "ledger.health": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

const ROLE_BY_ORG_KIND = { STARTUP: "startup", LENDER: "lender", PLATFORM: "admin" } as const satisfies Record<string, Role>;

export function roleForOrgKind(kind: keyof typeof ROLE_BY_ORG_KIND): Role {
  return ROLE_BY_ORG_KIND[kind];
}

const HOME_BY_ROLE = { startup: "/startup", lender: "/lender", admin: "/admin" } as const satisfies Record<Role, string>;

export function homePathForRole(role: Role): (typeof HOME_BY_ROLE)[Role] {
  return HOME_BY_ROLE[role];
}

/** The role whose area a path is in ("/lender/loans" → lender), or null outside the areas. */
export function areaRoleForPath(pathname: string): Role | null {
  const area = ROLES.find((role) => pathname === `/${role}` || pathname.startsWith(`/${role}/`));
  return area ?? null;
}
