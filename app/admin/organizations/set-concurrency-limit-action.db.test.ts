// "Concurrency limit" on an organisation's admin page, with the real guard (only the session and
// Next's cache are stubbed), on real SQLite and PostgreSQL: an admin's limit is what the routing
// API's admission enforces from the organisation's next request, blank goes back to the default,
// each change is audited with before and after, bad input is refused on its field and writes
// nothing, and only admins may set it.
import { randomUUID } from "node:crypto";
import { expect, it, vi } from "vitest";
import { databaseLimitStore } from "@/lib/server/limits/database-store";
import { OpenAiError } from "@/lib/server/routing/openai-errors";
import { admitWith } from "@/lib/server/routing/rate-limits";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { setConcurrencyLimitAction } = await import("./set-concurrency-limit-action");

await describeEachProvider("admin: an organisation's concurrency limit", (provider) => {
  let adminId: string;
  const test = useActionDatabase(provider, {
    async setUp(db) {
      const platform = await db.organization.create({ data: { name: "Blockable", slug: "blockable", kind: "PLATFORM" } });
      adminId = (await db.user.create({ data: { orgId: platform.id, email: "admin@example.test", name: "Admin", passwordHash: "x", role: "admin" } })).id;
    },
  });

  async function newStartup() {
    const id = randomUUID();
    await test.db.organization.create({ data: { id, name: `Startup ${id.slice(0, 4)}`, slug: id, kind: "STARTUP" } });
    const userId = (await test.db.user.create({ data: { orgId: id, email: `${id}@example.test`, name: "CTO", passwordHash: "x", role: "startup" } })).id;
    return { orgId: id, userId };
  }

  /** How many of `count` requests at once the routing API's admission lets in for the organisation (defaults: 64 in flight). */
  async function admittedAtOnce(orgId: string, count: number) {
    const limits = { store: databaseLimitStore(test.db), defaults: { keyRpm: 600, orgConcurrency: 64 } };
    const outcomes = await Promise.allSettled(Array.from({ length: count }, () => admitWith(limits, { orgId, apiKey: { id: `key-${randomUUID()}`, rpmLimit: null } }, Date.now())));
    const admitted = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    admitted.forEach((admission) => admission.release());
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toBeInstanceOf(OpenAiError);
    // Releases run in the background: wait until every slot is free again.
    await vi.waitFor(async () => expect(await test.db.inFlightRequest.count({ where: { orgId } })).toBe(0));
    return admitted.length;
  }

  it("the admin's limit is enforced from the next request; blank goes back to the default; each change is audited", async () => {
    const { orgId } = await newStartup();
    signInAs(adminId);
    expect(await setConcurrencyLimitAction({ orgId, maxConcurrentRequests: "2" })).toEqual({ ok: true, data: { orgId, maxConcurrentRequests: 2 } });
    expect(await admittedAtOnce(orgId, 4)).toBe(2);

    expect(await setConcurrencyLimitAction({ orgId, maxConcurrentRequests: " " })).toEqual({ ok: true, data: { orgId, maxConcurrentRequests: null } });
    expect(await admittedAtOnce(orgId, 66)).toBe(64);

    const audit = await test.db.auditLog.findMany({ where: { orgId, action: "org.concurrency_limit.update" }, orderBy: { at: "asc" } });
    expect(audit.map((entry) => [entry.actorUserId, entry.targetType, entry.targetId, JSON.parse(entry.detailJson)])).toEqual([
      [adminId, "Organization", orgId, { before: { maxConcurrentRequests: null }, after: { maxConcurrentRequests: 2 } }],
      [adminId, "Organization", orgId, { before: { maxConcurrentRequests: 2 }, after: { maxConcurrentRequests: null } }],
    ]);
  });

  it.each([
    ["0", "0"],
    ["a fraction", "1.5"],
    ["more than 100,000", "100001"],
    ["words", "lots"],
  ])("refuses %s on its field and writes nothing", async (_label, value) => {
    const { orgId } = await newStartup();
    signInAs(adminId);
    expect(await setConcurrencyLimitAction({ orgId, maxConcurrentRequests: value })).toMatchObject({ ok: false, error: { field: "maxConcurrentRequests" } });
    expect((await test.db.organization.findUniqueOrThrow({ where: { id: orgId } })).maxConcurrentRequests).toBeNull();
    expect(await test.db.auditLog.count({ where: { orgId } })).toBe(0);
  });

  it("an unknown organisation is not found", async () => {
    signInAs(adminId);
    expect(await setConcurrencyLimitAction({ orgId: "no-such-org", maxConcurrentRequests: "5" })).toMatchObject({ ok: false, error: { code: "org_not_found" } });
  });

  it("only an admin may set it: a startup's own user is refused and nothing changes", async () => {
    const { orgId, userId } = await newStartup();
    signInAs(userId);
    const result = await setConcurrencyLimitAction({ orgId, maxConcurrentRequests: "10000" });
    expect(result.ok).toBe(false);
    signInAs(null);
    expect((await setConcurrencyLimitAction({ orgId, maxConcurrentRequests: "10000" })).ok).toBe(false);
    expect((await test.db.organization.findUniqueOrThrow({ where: { id: orgId } })).maxConcurrentRequests).toBeNull();
  });
});
