// What `npm start` does to a database before serving, with the demo world off: only the platform
// organisation (no demo logins, keys or data), the first admin from BLOCKABLE_ADMIN_* exactly once,
// and a refusal to serve a database whose public demo accounts still open it.
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { verifyPassword } from "@/lib/server/auth/passwords";
import { listModelsForAdmin } from "@/lib/server/catalog-admin/queries";
import { getAdminHome } from "@/lib/server/queries/admin-home";
import { getAdminQueueSummary } from "@/lib/server/queries/admin-queue";
import type { Env } from "@/lib/server/config/demo-world";
import { DEMO_ACCOUNTS } from "@/lib/server/seed/demo-accounts";
import { prepareDatabase } from "./prepare";

const root = path.resolve(import.meta.dirname, "../..");
const OFF = { BLOCKABLE_DEMO_WORLD: "off" };
const ADMIN = { BLOCKABLE_ADMIN_EMAIL: "Root@Example.test", BLOCKABLE_ADMIN_PASSWORD: "first sign-in passphrase", BLOCKABLE_ADMIN_NAME: "Rita Root" };

await describeEachProvider("start with BLOCKABLE_DEMO_WORLD=off", (provider) => {
  let test: TestDatabase;
  const logs: string[] = [];
  const prepare = (env: Env) => prepareDatabase({ databaseUrl: test.url, root, env, log: (message) => logs.push(message) });

  beforeAll(async () => {
    test = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it("seeds the platform organisation and nothing of the demo world", async () => {
    const result = await prepare(OFF);
    expect(result).toMatchObject({ demoWorld: false, demoWorldSeeded: false, firstAdmin: null, adminCount: 0 });
    const { db } = test;
    expect(await db.organization.findMany({ select: { name: true, slug: true, kind: true } })).toEqual([{ name: "Blockable", slug: "blockable", kind: "PLATFORM" }]);
    expect(await db.user.count()).toBe(0);
    expect(await db.user.count({ where: { email: { in: DEMO_ACCOUNTS.map((account) => account.email) } } })).toBe(0);
    expect(await db.apiKey.count()).toBe(0);
    expect(await db.loan.count()).toBe(0);
    expect(await db.usageEvent.count()).toBe(0);
    expect(await db.lenderFacility.count()).toBe(0);
    // The catalogue is the admin's to fill: no simulator routes pretending to be a real deployment's.
    expect(await db.model.count()).toBe(0);
    expect(await db.provider.count()).toBe(0);
    expect(logs.join("\n")).toContain("No admin yet: run `npm run admin:create`");
  });

  it("is idempotent: a second start adds nothing", async () => {
    await prepare(OFF);
    expect(await test.db.organization.count()).toBe(1);
    expect(await test.db.auditLog.count({ where: { action: "org.created" } })).toBe(1);
  });

  it("creates the first admin from BLOCKABLE_ADMIN_EMAIL, who must choose a password at first sign-in", async () => {
    logs.length = 0;
    const result = await prepare({ ...OFF, ...ADMIN });
    expect(result.firstAdmin).toMatchObject({ kind: "created", email: "root@example.test" });
    expect(result.adminCount).toBe(1);
    const user = await test.db.user.findUniqueOrThrow({ where: { email: "root@example.test" }, include: { org: true } });
    expect(user).toMatchObject({ name: "Rita Root", role: "admin", isDisabled: false, mustChangePassword: true });
    expect(user.org.kind).toBe("PLATFORM");
    expect(await verifyPassword(user.passwordHash, ADMIN.BLOCKABLE_ADMIN_PASSWORD)).toBe(true);
    const audit = await test.db.auditLog.findFirstOrThrow({ where: { action: "user.created", targetId: user.id } });
    expect(audit).toMatchObject({ orgId: user.orgId, actorKind: "system", actorUserId: null, targetType: "User" });
    expect(JSON.parse(audit.detailJson)).toMatchObject({ via: "BLOCKABLE_ADMIN_EMAIL", after: { email: "root@example.test", role: "admin" } });
    // Neither the log nor the audit trail ever carries the password.
    expect(audit.detailJson).not.toContain(ADMIN.BLOCKABLE_ADMIN_PASSWORD);
    expect(logs.join("\n")).toContain("Created the first admin root@example.test");
    expect(logs.join("\n")).not.toContain(ADMIN.BLOCKABLE_ADMIN_PASSWORD);
  });

  it("leaves a console that works with nothing in it: the admin home, its queue and the empty catalogue", async () => {
    const home = await getAdminHome(test.db);
    expect(home.queue).toMatchObject({ pendingApplications: 0, pendingPaymentNotices: 0, pendingPurchases: 0 });
    expect(home.book.openLoans).toBe(0);
    expect(await getAdminQueueSummary(test.db)).toMatchObject({ pendingApplications: 0, pendingPaymentNotices: 0, pendingPurchases: 0 });
    expect(await listModelsForAdmin(test.db)).toEqual([]);
  });

  it("never overwrites: once an admin exists, the variables are ignored", async () => {
    const before = await test.db.user.findUniqueOrThrow({ where: { email: "root@example.test" } });
    const result = await prepare({ ...OFF, ...ADMIN, BLOCKABLE_ADMIN_PASSWORD: "another passphrase entirely" });
    expect(result.firstAdmin).toMatchObject({ kind: "skipped-admin-exists", existingAdmins: 1 });
    const after = await test.db.user.findUniqueOrThrow({ where: { email: "root@example.test" } });
    expect(after.passwordHash).toBe(before.passwordHash);
    const other = await prepare({ ...OFF, BLOCKABLE_ADMIN_EMAIL: "second@example.test", BLOCKABLE_ADMIN_PASSWORD: "another passphrase entirely" });
    expect(other.firstAdmin?.kind).toBe("skipped-admin-exists");
    expect(await test.db.user.count()).toBe(1);
  });

  it("stops before writing anything when the variables are half set or invalid", async () => {
    await expect(prepare({ ...OFF, BLOCKABLE_ADMIN_EMAIL: "x@example.test" })).rejects.toThrow("BLOCKABLE_ADMIN_EMAIL is set without BLOCKABLE_ADMIN_PASSWORD");
    await expect(prepare({ ...OFF, BLOCKABLE_ADMIN_EMAIL: "x@example.test", BLOCKABLE_ADMIN_PASSWORD: "short" })).rejects.toThrow("BLOCKABLE_ADMIN_PASSWORD: The password needs at least 12 characters.");
    await expect(prepare({ BLOCKABLE_DEMO_WORLD: "of" })).rejects.toThrow('BLOCKABLE_DEMO_WORLD must be "on" or "off"');
    expect(await test.db.user.count()).toBe(1);
  });

  it("refuses a database whose demo accounts can still sign in, and serves it once they are disabled", async () => {
    const startup = await test.db.organization.create({ data: { name: "Acme AI", slug: "acme-ai", kind: "STARTUP" } });
    const demo = DEMO_ACCOUNTS.find((account) => account.email === "cto@acme-ai.example")!;
    const user = await test.db.user.create({ data: { orgId: startup.id, email: demo.email, name: demo.name, role: "startup", passwordHash: "x" } });
    await expect(prepare(OFF)).rejects.toThrow(/BLOCKABLE_DEMO_WORLD=off, but this database holds the public demo world[\s\S]*1 demo account\(s\) can sign in \(cto@acme-ai\.example\)/);
    await test.db.user.update({ where: { id: user.id }, data: { isDisabled: true } });
    await expect(prepare(OFF)).resolves.toMatchObject({ demoWorld: false });
  });
});
