// The platform organisation and its admins, made from the command line or the environment (no one
// is signed in yet to make them in the console): `npm run admin:create` and BLOCKABLE_ADMIN_* on start.
import { hashPassword } from "../../lib/server/auth/passwords";
import type { AdminAccountInput } from "../../lib/server/config/admin-account";
import type { Db, DbTx } from "../../lib/server/db/client";
import { recordAudit } from "../../lib/server/services/audit";

export const PLATFORM_ORG = { name: "Blockable", slug: "blockable", kind: "PLATFORM" } as const;

/** How an admin came to be, in the audit row: the command, or the variables start read. */
export type AdminSource = "admin:create" | "BLOCKABLE_ADMIN_EMAIL";

export type CreateAdminResult =
  | { kind: "created"; userId: string; orgId: string; orgCreated: boolean }
  | { kind: "exists"; role: string; orgName: string };

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** The oldest PLATFORM organisation, or a new "Blockable" one (audited as the system's act). */
async function findOrCreatePlatformOrg(tx: DbTx, source: AdminSource | "start"): Promise<{ id: string; name: string; created: boolean }> {
  const existing = await tx.organization.findFirst({ where: { kind: PLATFORM_ORG.kind }, orderBy: { createdAt: "asc" }, select: { id: true, name: true } });
  if (existing) return { ...existing, created: false };
  const org = await tx.organization.create({ data: { ...PLATFORM_ORG } });
  await recordAudit(tx, {
    orgId: org.id,
    actorKind: "system",
    action: "org.created",
    targetType: "Organization",
    targetId: org.id,
    detail: { before: null, after: { name: org.name, slug: org.slug, kind: org.kind }, via: source },
    requestId: null,
  });
  return { id: org.id, name: org.name, created: true };
}

/**
 * The platform organisation a deployment without the demo world needs (its admins belong to it).
 * Safe to run from several starting instances at once: the unique slug lets one create it.
 */
export async function ensurePlatformOrg(db: Db): Promise<{ id: string; created: boolean }> {
  try {
    return await db.$transaction((tx) => findOrCreatePlatformOrg(tx, "start"));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const org = await db.organization.findFirstOrThrow({ where: { kind: PLATFORM_ORG.kind }, orderBy: { createdAt: "asc" }, select: { id: true } });
    return { id: org.id, created: false };
  }
}

/**
 * A platform admin with the given password (argon2id), in the platform organisation (made if
 * missing), with a `user.created` audit row that names the source and never the password. An email
 * that already has an account is left exactly as it is.
 */
export async function createAdminAccount(db: Db, input: AdminAccountInput & { source: AdminSource; mustChangePassword?: boolean }): Promise<CreateAdminResult> {
  const email = input.email.trim().toLowerCase();
  const existing = async (): Promise<CreateAdminResult | null> => {
    const user = await db.user.findUnique({ where: { email }, select: { role: true, org: { select: { name: true } } } });
    return user ? { kind: "exists", role: user.role, orgName: user.org.name } : null;
  };
  const before = await existing();
  if (before) return before;
  const passwordHash = await hashPassword(input.password);
  const mustChangePassword = input.mustChangePassword ?? false;
  try {
    return await db.$transaction(async (tx) => {
      const org = await findOrCreatePlatformOrg(tx, input.source);
      const user = await tx.user.create({ data: { orgId: org.id, email, name: input.name, role: "admin", passwordHash, mustChangePassword } });
      await recordAudit(tx, {
        orgId: org.id,
        actorKind: "system",
        action: "user.created",
        targetType: "User",
        targetId: user.id,
        detail: { before: null, after: { email, name: user.name, role: "admin", orgName: org.name, mustChangePassword }, via: input.source },
        requestId: null,
      });
      return { kind: "created", userId: user.id, orgId: org.id, orgCreated: org.created } as const;
    });
  } catch (error) {
    // Made meanwhile (two runs at once): the unique email decides, and the answer is the same.
    if (isUniqueViolation(error)) {
      const after = await existing();
      if (after) return after;
    }
    throw error;
  }
}

export type FirstAdminOutcome =
  | { kind: "created"; email: string; userId: string }
  | { kind: "skipped-admin-exists"; email: string; existingAdmins: number }
  | { kind: "exists"; email: string; role: string };

/**
 * BLOCKABLE_ADMIN_EMAIL on start: creates that admin only while the database has no admin at all,
 * never touching an existing account. The password from the environment is a first sign-in
 * password — the admin is asked to choose their own at once — so a copy left in a deployment's
 * configuration stops opening the console.
 */
export async function createFirstAdmin(db: Db, account: AdminAccountInput): Promise<FirstAdminOutcome> {
  const existingAdmins = await db.user.count({ where: { role: "admin" } });
  if (existingAdmins > 0) return { kind: "skipped-admin-exists", email: account.email, existingAdmins };
  const result = await createAdminAccount(db, { ...account, source: "BLOCKABLE_ADMIN_EMAIL", mustChangePassword: true });
  if (result.kind === "exists") return { kind: "exists", email: account.email, role: result.role };
  return { kind: "created", email: account.email, userId: result.userId };
}
