// Who may do what, as data. Every page, server action and route handler asks `can()`; changing who
// may do something is changing this table, nothing else.

export const ROLES = ["startup", "lender", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  "credits.read": ["startup"],
  "usage.read": ["startup"],
  "apiKey.manage": ["startup"],
  "loan.apply": ["startup"],
  "loan.pay": ["startup"],
  "loan.pledge": ["startup"],
  // Asking to buy credits; they are issued only when an admin confirms the payment (payment.record).
  "credits.purchase": ["startup"],
  // A lender's own settings read by its borrowers (payment instructions).
  "lender.settings": ["lender"],
  "portfolio.read": ["lender"],
  "loan.freeze": ["lender"],
  "loan.unfreeze": ["lender"],
  "loan.liquidate": ["lender", "admin"],
  "alert.acknowledge": ["lender"],
  "lenderToken.manage": ["lender"],
  "webhook.manage": ["lender"],
  "application.decide": ["admin"],
  // Recording a payment the platform received for a loan (a wire): money, not a credit decision.
  "payment.record": ["admin"],
  "provider.manage": ["admin"],
  "gpuIndex.manage": ["admin"],
  "org.manage": ["admin"],
  "user.manage": ["admin"],
  "audit.read": ["admin"],
  // Every lender's loans, read-only: the platform's oversight.
  "platform.loans.read": ["admin"],
  "ledger.health": ["admin"],
  // Every signed-in user's own sessions: list them, revoke one, sign out everywhere.
  "session.manage": ["startup", "lender", "admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export function can(role: Role, permission: Permission): boolean {
  // Guard the lookup: a permission name from outside the type system must deny, not crash.
  if (!isPermission(permission)) return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function permissionsForRole(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => can(role, permission));
}

const ROLE_BY_ORG_KIND = { STARTUP: "startup", LENDER: "lender", PLATFORM: "admin" } as const satisfies Record<string, Role>;
export type OrgKind = keyof typeof ROLE_BY_ORG_KIND;

/** A user's role follows from their organisation's kind: one org kind, one role. */
export function roleForOrgKind(kind: OrgKind): Role {
  // Kinds are stored as strings; an unknown one must not silently become "no role".
  if (!Object.hasOwn(ROLE_BY_ORG_KIND, kind)) throw new RangeError(`Unknown organisation kind "${kind}".`);
  return ROLE_BY_ORG_KIND[kind];
}

const HOME_BY_ROLE = { startup: "/startup", lender: "/lender", admin: "/admin" } as const satisfies Record<Role, string>;

export function homePathForRole(role: Role): (typeof HOME_BY_ROLE)[Role] {
  return HOME_BY_ROLE[role];
}

/** The role whose area a path is in ("/lender/loans" → lender), or null outside the areas. */
export function areaRoleForPath(pathname: string): Role | null {
  // Segment match, so "/administrator" or "/startups" are not taken for an area.
  return ROLES.find((role) => pathname === `/${role}` || pathname.startsWith(`/${role}/`)) ?? null;
}
