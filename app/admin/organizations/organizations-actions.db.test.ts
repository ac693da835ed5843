// The Organisations screen's server actions and the change-password action, with the real guard
// (only the session and Next's cache are stubbed), on real SQLite and PostgreSQL: a disabled user
// is nobody on their next request; a reset ends the sessions signed in before it; a user with a
// temporary password can only change it (other actions answer 403 "Change your temporary password
// first", pages send them to /account/password) and then reaches their home; bad input gets a
// message on its field and writes nothing; only admins may call the admin actions.
import { beforeEach, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/server/auth/passwords";
import { useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";

/** The stubbed session cookie: who, and which server-side session (the real guard checks that row). */
const session: { userId: string | null; sessionId: string | null } = { userId: null, sessionId: null };
vi.mock("next-auth", () => ({ getServerSession: async () => (session.userId ? { userId: session.userId, sessionId: session.sessionId } : null) }));
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { getViewer, requirePageViewer } = await import("@/lib/server/auth/guard");
const { createOrganizationAction } = await import("./create-organization-action");
const { createFacilityAction } = await import("./create-facility-action");
const { createUserAction } = await import("./create-user-action");
const { resetUserPasswordAction } = await import("./reset-password-action");
const { setUserDisabledAction } = await import("./set-user-disabled-action");
const { changePasswordAction } = await import("@/app/account/password/change-password-action");
const { startUserSession } = await import("@/lib/server/auth/sessions");

type Browser = { userId: string; sessionId: string };

/** Presents a browser's session cookie on the next calls (null: nobody is signed in). */
function useBrowser(browser: Browser | null) {
  session.userId = browser?.userId ?? null;
  session.sessionId = browser?.sessionId ?? null;
}

function unwrap<T>(result: { ok: true; data: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(`action refused: ${result.error.message}`);
  return result.data;
}

await describeEachProvider("admin Organisations actions", (provider) => {
  let adminId: string;
  let startupUserId: string;
  let sequence = 0;

  const test = useActionDatabase(provider, {
    async setUp(db) {
      const platform = await db.organization.create({ data: { name: "Blockable", slug: "blockable", kind: "PLATFORM" } });
      adminId = (await db.user.create({ data: { orgId: platform.id, email: "admin@example.test", name: "Admin", passwordHash: "x", role: "admin" } })).id;
      const startup = await db.organization.create({ data: { name: "Acme", slug: "acme", kind: "STARTUP" } });
      startupUserId = (await db.user.create({ data: { orgId: startup.id, email: "cto@acme.test", name: "CTO", passwordHash: await hashPassword("acme-password-1"), role: "startup" } })).id;
    },
  });
  beforeEach(() => useBrowser(null));

  /** Signs `userId` in on a new browser (a new server-side session) and uses it; answers it, to come back to. */
  async function signIn(userId: string | null): Promise<Browser | null> {
    const browser = userId ? { userId, sessionId: await startUserSession(test.db, { userId, now: new Date(), ipAddress: null, userAgent: "vitest" }) } : null;
    useBrowser(browser);
    return browser;
  }

  const email = () => `new${++sequence}-${provider}@example.test`;

  it("admin creates a startup and a user in it; the user signs in with the temporary password, must change it, then reaches /startup", async () => {
    await signIn(adminId);
    const org = unwrap(await createOrganizationAction({ name: `Nimbus Labs ${provider}`, kind: "STARTUP" }));
    expect(org.slug).toBe(`nimbus-labs-${provider}`);
    const created = unwrap(await createUserAction({ orgId: org.id, name: "Nia", email: email() }));
    expect(created.role).toBe("startup");

    // Signed in with the temporary password: pages redirect, actions refuse with a clear 403.
    await signIn(created.id);
    expect((await getViewer())?.mustChangePassword).toBe(true);
    await expect(requirePageViewer("credits.read")).rejects.toMatchObject({ digest: expect.stringContaining("/account/password") });
    // Even with the admin role, the temporary password comes first.
    await test.db.user.update({ where: { id: created.id }, data: { role: "admin" } });
    expect(await createOrganizationAction({ name: "Sneaky", kind: "STARTUP" })).toEqual({ ok: false, error: { message: "Change your temporary password first.", code: "forbidden", field: null } });
    await test.db.user.update({ where: { id: created.id }, data: { role: "startup" } });

    // The change-password form's checks, then the change itself.
    expect(await changePasswordAction({ currentPassword: created.temporaryPassword, newPassword: "short", confirmPassword: "short" })).toMatchObject({ ok: false, error: { field: "newPassword" } });
    expect(await changePasswordAction({ currentPassword: created.temporaryPassword, newPassword: "long-enough-password", confirmPassword: "long-enough-passwort" })).toMatchObject({ ok: false, error: { field: "confirmPassword" } });
    expect(await changePasswordAction({ currentPassword: "wrong", newPassword: "long-enough-password", confirmPassword: "long-enough-password" })).toMatchObject({ ok: false, error: { field: "currentPassword" } });
    expect(unwrap(await changePasswordAction({ currentPassword: created.temporaryPassword, newPassword: "long-enough-password", confirmPassword: "long-enough-password" }))).toEqual({ homePath: "/startup" });
    expect((await getViewer())?.mustChangePassword).toBe(false);
    await expect(requirePageViewer("credits.read")).resolves.toMatchObject({ userId: created.id, role: "startup" });
  });

  it("change password needs a session", async () => {
    expect(await changePasswordAction({ currentPassword: "a", newPassword: "long-enough-password", confirmPassword: "long-enough-password" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
  });

  it("a disabled user is nobody on their next request; enabled again, the old session stays void", async () => {
    const startupBrowser = await signIn(startupUserId);
    expect((await getViewer())?.userId).toBe(startupUserId);

    await signIn(adminId);
    unwrap(await setUserDisabledAction({ userId: startupUserId, isDisabled: true }));
    useBrowser(startupBrowser);
    expect(await getViewer()).toBeNull();
    await expect(requirePageViewer()).rejects.toMatchObject({ digest: expect.stringContaining("/login") });

    await signIn(adminId);
    unwrap(await setUserDisabledAction({ userId: startupUserId, isDisabled: false }));
    useBrowser(startupBrowser);
    expect(await getViewer()).toBeNull();
    await signIn(startupUserId); // a fresh sign-in works
    expect((await getViewer())?.userId).toBe(startupUserId);
  });

  it("a reset ends the sessions signed in before it and hands back a temporary password", async () => {
    const startupBrowser = await signIn(startupUserId);
    await signIn(adminId);
    const reset = unwrap(await resetUserPasswordAction({ userId: startupUserId }));
    expect(reset.temporaryPassword.length).toBeGreaterThanOrEqual(12);
    useBrowser(startupBrowser);
    expect(await getViewer()).toBeNull();
    await signIn(startupUserId);
    expect((await getViewer())?.mustChangePassword).toBe(true);
    unwrap(await changePasswordAction({ currentPassword: reset.temporaryPassword, newPassword: "acme-password-2", confirmPassword: "acme-password-2" }));
  });

  it("an admin cannot disable themselves: a clear message, still enabled", async () => {
    await signIn(adminId);
    expect(await setUserDisabledAction({ userId: adminId, isDisabled: true })).toEqual({
      ok: false,
      error: { message: "You cannot disable your own account: another admin has to do it.", code: "cannot_disable_self", field: null },
    });
    expect((await test.db.user.findUniqueOrThrow({ where: { id: adminId } })).isDisabled).toBe(false);
  });

  it("a duplicate organisation name is refused on the name field; bad user input on its field; nothing written", async () => {
    await signIn(adminId);
    unwrap(await createOrganizationAction({ name: `Twin Co ${provider}`, kind: "LENDER" }));
    const before = await Promise.all([test.db.organization.count(), test.db.user.count(), test.db.auditLog.count()]);
    expect(await createOrganizationAction({ name: `twin co ${provider}!`, kind: "STARTUP" })).toMatchObject({ ok: false, error: { code: "org_slug_taken", field: "name" } });
    expect(await createOrganizationAction({ name: "Bad kind", kind: "BANK" as never })).toMatchObject({ ok: false, error: { field: "kind" } });
    expect(await createUserAction({ orgId: "", name: "X", email: email() })).toMatchObject({ ok: false, error: { field: "orgId", message: "orgId: Choose an organisation." } });
    expect(await createUserAction({ orgId: "whatever", name: "X", email: "not-an-email" })).toMatchObject({ ok: false, error: { field: "email" } });
    expect(await createUserAction({ orgId: "whatever", name: "X", email: "cto@acme.test" })).toMatchObject({ ok: false, error: { code: "org_not_found" } });
    expect(await Promise.all([test.db.organization.count(), test.db.user.count(), test.db.auditLog.count()])).toEqual(before);
  });

  it("a facility from the form's text: '2,500,000' USD and '12.5' % become exact µUSD and bps; bad amounts are refused on their field", async () => {
    await signIn(adminId);
    const lender = unwrap(await createOrganizationAction({ name: `Harbor ${provider}`, kind: "LENDER" }));
    const facility = unwrap(await createFacilityAction({ orgId: lender.id, name: "Growth I", limitUsd: "$2,500,000", defaultAprPercent: "12.5" }));
    expect(await test.db.lenderFacility.findUniqueOrThrow({ where: { id: facility.id } })).toMatchObject({ limitMicros: 2_500_000_000_000n, defaultAprBps: 1_250 });
    expect(await createFacilityAction({ orgId: lender.id, name: "Bad", limitUsd: "0", defaultAprPercent: "5" })).toMatchObject({ ok: false, error: { field: "limitUsd" } });
    expect(await createFacilityAction({ orgId: lender.id, name: "Bad", limitUsd: "1,00", defaultAprPercent: "5" })).toMatchObject({ ok: false, error: { field: "limitUsd" } });
    expect(await createFacilityAction({ orgId: lender.id, name: "Bad", limitUsd: "100", defaultAprPercent: "101" })).toMatchObject({ ok: false, error: { field: "defaultAprPercent" } });
    expect(await createFacilityAction({ orgId: lender.id, name: "Bad", limitUsd: "100", defaultAprPercent: "" })).toMatchObject({ ok: false, error: { field: "defaultAprPercent" } });
    expect(await test.db.lenderFacility.count({ where: { lenderOrgId: lender.id } })).toBe(1);
  });

  it("only admins: a startup user calling an admin action gets 403, anonymous gets 401", async () => {
    await signIn(startupUserId);
    expect(await createOrganizationAction({ name: "Nope", kind: "STARTUP" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await setUserDisabledAction({ userId: adminId, isDisabled: true })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    await signIn(null);
    expect(await resetUserPasswordAction({ userId: startupUserId })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
  });
});
