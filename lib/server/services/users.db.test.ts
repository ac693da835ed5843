// Users as an admin creates, resets, disables and enables them, and as they replace a temporary
// password, on real SQLite and PostgreSQL. The role follows the organisation's kind; a temporary
// password is returned once and works, the old one stops working, sessions are revoked (every
// session row of the user for a reset or a disable; all but the current one for the user's own
// change); an admin cannot disable themselves; no password or hash ever reaches the audit log.
import { afterAll, beforeAll, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/server/auth/passwords";
import { startUserSession } from "@/lib/server/auth/sessions";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { setUserDisabled } from "./set-user-access";
import { changeOwnPassword, createUser, resetUserPassword } from "./users";

await describeEachProvider("users", (provider) => {
  let test: TestDatabase;
  let adminId: string;
  const orgIds = { STARTUP: "", LENDER: "", PLATFORM: "" };
  let sequence = 0;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    for (const kind of ["STARTUP", "LENDER", "PLATFORM"] as const) {
      orgIds[kind] = (await test.db.organization.create({ data: { name: `Org ${kind}`, slug: `org-${kind.toLowerCase()}`, kind } })).id;
    }
    adminId = (await test.db.user.create({ data: { orgId: orgIds.PLATFORM, email: "root@example.test", name: "Root", passwordHash: await hashPassword("root-password-1"), role: "admin" } })).id;
  });
  afterAll(async () => {
    await test?.drop();
  });

  const email = () => `person${++sequence}-${provider}@example.test`;

  async function auditOf(targetId: string) {
    return test.db.auditLog.findMany({ where: { targetId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  }

  /** A user as an admin creates them, then as if they had chosen `password` already. */
  async function existingUser(password = "their-own-password") {
    const { user } = await createUser(test.db, { actorUserId: adminId, orgId: orgIds.STARTUP, name: "Existing", email: email() });
    return test.db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password), mustChangePassword: false } });
  }

  it.each([
    ["STARTUP", "startup"],
    ["LENDER", "lender"],
    ["PLATFORM", "admin"],
  ] as const)("a user created in a %s organisation gets the %s role and a temporary password to change", async (kind, role) => {
    const address = email();
    const { user, temporaryPassword } = await createUser(test.db, { actorUserId: adminId, orgId: orgIds[kind], name: "New Person", email: `  ${address.toUpperCase()} ` });
    expect(user).toMatchObject({ orgId: orgIds[kind], email: address, role, mustChangePassword: true, isDisabled: false });
    expect(temporaryPassword).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    const row = await test.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(row.passwordHash, temporaryPassword)).toBe(true);

    const [audit] = await auditOf(user.id);
    expect(audit).toMatchObject({ action: "user.created", actorUserId: adminId, orgId: orgIds[kind] });
    expect(JSON.parse(audit.detailJson)).toEqual({ before: null, after: { email: address, name: "New Person", role, orgName: `Org ${kind}`, mustChangePassword: true } });
    expect(audit.detailJson).not.toContain(temporaryPassword);
    expect(audit.detailJson).not.toContain(row.passwordHash);
  });

  it("refuses an email that already has an account, on the email field, writing nothing", async () => {
    const address = email();
    await createUser(test.db, { actorUserId: adminId, orgId: orgIds.STARTUP, name: "First", email: address });
    const [users, audit] = await Promise.all([test.db.user.count(), test.db.auditLog.count()]);
    await expect(createUser(test.db, { actorUserId: adminId, orgId: orgIds.LENDER, name: "Second", email: address.toUpperCase() })).rejects.toMatchObject({ status: 409, code: "email_taken", param: "email" });
    await expect(createUser(test.db, { actorUserId: adminId, orgId: "no-such-org", name: "Third", email: email() })).rejects.toMatchObject({ status: 404, code: "org_not_found" });
    expect([await test.db.user.count(), await test.db.auditLog.count()]).toEqual([users, audit]);
  });

  it("a password reset: the old password fails, the temporary one works, the flag is set and sessions are revoked", async () => {
    const user = await existingUser("old-password-123");
    const now = new Date("2026-03-01T12:00:00.000Z");
    const { user: reset, temporaryPassword } = await resetUserPassword(test.db, { actorUserId: adminId, userId: user.id, now });
    expect(reset).toMatchObject({ mustChangePassword: true, sessionsRevokedAt: now });
    const row = await test.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(row.passwordHash, "old-password-123")).toBe(false);
    expect(await verifyPassword(row.passwordHash, temporaryPassword)).toBe(true);

    const audit = (await auditOf(user.id)).at(-1)!;
    expect(audit).toMatchObject({ action: "user.password_reset", actorUserId: adminId, orgId: user.orgId });
    expect(JSON.parse(audit.detailJson)).toEqual({
      email: user.email,
      before: { mustChangePassword: false, sessionsRevokedAt: null },
      after: { mustChangePassword: true, sessionsRevokedAt: now.toISOString() },
    });
    expect(audit.detailJson).not.toContain(temporaryPassword);
    expect(audit.detailJson).not.toContain(row.passwordHash);
  });

  it("an admin cannot reset their own password here, and an unknown user is not found", async () => {
    await expect(resetUserPassword(test.db, { actorUserId: adminId, userId: adminId })).rejects.toMatchObject({ status: 400, code: "cannot_reset_self" });
    await expect(resetUserPassword(test.db, { actorUserId: adminId, userId: "nobody" })).rejects.toMatchObject({ status: 404, code: "user_not_found" });
  });

  it("disable then enable: audited with before and after; disabling revokes sessions, enabling does not revive them", async () => {
    const user = await existingUser();
    const disabled = await setUserDisabled(test.db, { actorUserId: adminId, userId: user.id, isDisabled: true });
    expect(disabled.isDisabled).toBe(true);
    expect(disabled.sessionsRevokedAt).toBeInstanceOf(Date);
    const enabled = await setUserDisabled(test.db, { actorUserId: adminId, userId: user.id, isDisabled: false });
    expect(enabled).toMatchObject({ isDisabled: false, sessionsRevokedAt: disabled.sessionsRevokedAt });
    // Enabling an enabled user changes nothing and records nothing.
    await setUserDisabled(test.db, { actorUserId: adminId, userId: user.id, isDisabled: false });

    const audit = (await auditOf(user.id)).filter((row) => row.action !== "user.created");
    expect(audit.map((row) => row.action)).toEqual(["user.disabled", "user.enabled"]);
    const revokedAt = disabled.sessionsRevokedAt!.toISOString();
    expect(JSON.parse(audit[0].detailJson)).toEqual({ email: user.email, before: { isDisabled: false, sessionsRevokedAt: null }, after: { isDisabled: true, sessionsRevokedAt: revokedAt } });
    expect(JSON.parse(audit[1].detailJson)).toEqual({ email: user.email, before: { isDisabled: true, sessionsRevokedAt: revokedAt }, after: { isDisabled: false, sessionsRevokedAt: revokedAt } });
  });

  it("an admin cannot disable themselves: refused with a clear message, nothing written", async () => {
    const audit = await test.db.auditLog.count();
    await expect(setUserDisabled(test.db, { actorUserId: adminId, userId: adminId, isDisabled: true })).rejects.toMatchObject({
      status: 400,
      code: "cannot_disable_self",
      message: "You cannot disable your own account: another admin has to do it.",
    });
    expect((await test.db.user.findUniqueOrThrow({ where: { id: adminId } })).isDisabled).toBe(false);
    expect(await test.db.auditLog.count()).toBe(audit);
  });

  it("changing a temporary password: the current one must match and the new one differ; then the flag clears", async () => {
    const { user, temporaryPassword } = await createUser(test.db, { actorUserId: adminId, orgId: orgIds.LENDER, name: "Newcomer", email: email() });
    await expect(changeOwnPassword(test.db, { userId: user.id, currentPassword: "not-the-temp-password", newPassword: "a-brand-new-password", keepSessionId: "none" })).rejects.toMatchObject({ status: 400, code: "wrong_password", param: "currentPassword" });
    await expect(changeOwnPassword(test.db, { userId: user.id, currentPassword: temporaryPassword, newPassword: temporaryPassword, keepSessionId: "none" })).rejects.toMatchObject({ status: 400, code: "password_unchanged", param: "newPassword" });
    expect((await test.db.user.findUniqueOrThrow({ where: { id: user.id } })).mustChangePassword).toBe(true);

    const changed = await changeOwnPassword(test.db, { userId: user.id, currentPassword: temporaryPassword, newPassword: "a-brand-new-password", keepSessionId: "none" });
    expect(changed.mustChangePassword).toBe(false);
    expect(await verifyPassword(changed.passwordHash, "a-brand-new-password")).toBe(true);
    expect(await verifyPassword(changed.passwordHash, temporaryPassword)).toBe(false);

    const audit = (await auditOf(user.id)).at(-1)!;
    expect(audit).toMatchObject({ action: "user.password_changed", actorUserId: user.id });
    expect(JSON.parse(audit.detailJson)).toEqual({ email: user.email, before: { mustChangePassword: true }, after: { mustChangePassword: false } });
    expect(audit.detailJson).not.toContain("a-brand-new-password");
  });

  it("a disabled user cannot change their password", async () => {
    const user = await existingUser("still-my-password");
    await setUserDisabled(test.db, { actorUserId: adminId, userId: user.id, isDisabled: true });
    await expect(changeOwnPassword(test.db, { userId: user.id, currentPassword: "still-my-password", newPassword: "another-password-1", keepSessionId: "none" })).rejects.toMatchObject({ status: 401 });
  });

  /** `count` live sessions of the user (as after signing in on that many browsers), and their ids. */
  async function signedInSessions(userId: string, count: number) {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) ids.push(await startUserSession(test.db, { userId, now: new Date(), ipAddress: "203.0.113.7", userAgent: `browser ${index}` }));
    return ids;
  }

  async function revokedAtOf(ids: string[]) {
    const rows = await test.db.userSession.findMany({ where: { id: { in: ids } } });
    return ids.map((id) => rows.find((row) => row.id === id)!.revokedAt);
  }

  it("an admin's password reset ends every session of the user, and no one else's", async () => {
    const user = await existingUser();
    const bystander = await existingUser();
    const sessions = await signedInSessions(user.id, 3);
    const [bystanderSession] = await signedInSessions(bystander.id, 1);
    const now = new Date("2026-03-02T08:00:00.000Z");
    await resetUserPassword(test.db, { actorUserId: adminId, userId: user.id, now });
    expect(await revokedAtOf(sessions)).toEqual([now, now, now]);
    expect(await revokedAtOf([bystanderSession])).toEqual([null]);
  });

  it("disabling a user ends every session of theirs; enabling them again revives none", async () => {
    const user = await existingUser();
    const sessions = await signedInSessions(user.id, 2);
    await setUserDisabled(test.db, { actorUserId: adminId, userId: user.id, isDisabled: true });
    const revoked = await revokedAtOf(sessions);
    expect(revoked.every((at) => at instanceof Date)).toBe(true);
    await setUserDisabled(test.db, { actorUserId: adminId, userId: user.id, isDisabled: false });
    expect(await revokedAtOf(sessions)).toEqual(revoked);
  });

  it("a user's own password change keeps the session it was made in and ends their others", async () => {
    const user = await existingUser("my-old-password-1");
    const [current, laptop, phone] = await signedInSessions(user.id, 3);
    const now = new Date("2026-03-02T09:00:00.000Z");
    await changeOwnPassword(test.db, { userId: user.id, currentPassword: "my-old-password-1", newPassword: "my-new-password-2", keepSessionId: current, now });
    expect(await revokedAtOf([current, laptop, phone])).toEqual([null, now, now]);
  });

  it("a refused password change ends no session", async () => {
    const user = await existingUser("my-old-password-1");
    const sessions = await signedInSessions(user.id, 2);
    await expect(changeOwnPassword(test.db, { userId: user.id, currentPassword: "wrong-password", newPassword: "my-new-password-2", keepSessionId: sessions[0] })).rejects.toMatchObject({ status: 400 });
    expect(await revokedAtOf(sessions)).toEqual([null, null]);
  });
});
