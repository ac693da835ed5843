// API keys against real SQLite and PostgreSQL: the plaintext exists only in createApiKey's answer,
// authentication is org-scoped and honours revocation, and lastUsedAt moves at most once a minute.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { ApiError } from "@/lib/server/http/errors";
import { RPM_LIMIT_MAX } from "@/app/startup/keys/schemas";
import { authenticateApiKey, createApiKey, hashApiKey, listApiKeys, MAX_RPM_LIMIT, revokeApiKey } from "./api-keys";

await describeEachProvider("API keys", (provider) => {
  let test: TestDatabase;
  let sequence = 0;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await test?.drop();
  });

  /** Each test gets its own organisation and user. */
  async function newOrg(kind: "STARTUP" | "LENDER" = "STARTUP") {
    sequence++;
    const org = await test.db.organization.create({ data: { name: `Org ${sequence}`, slug: `org-${provider}-${sequence}`, kind } });
    const user = await test.db.user.create({
      data: { orgId: org.id, email: `u${sequence}-${provider}@example.test`, name: "User", passwordHash: "x", role: kind === "STARTUP" ? "startup" : "lender" },
    });
    return { orgId: org.id, userId: user.id };
  }

  async function newKey(orgId: string, userId: string, extra: { spendCapMicros?: bigint | null; rpmLimit?: number | null } = {}) {
    return createApiKey(test.db, { orgId, createdById: userId, name: "  Production  ", ...extra });
  }

  it("create → authenticate returns the key and its organisation", async () => {
    const { orgId, userId } = await newOrg();
    const { apiKey, plaintext } = await newKey(orgId, userId, { spendCapMicros: 5_000_000n, rpmLimit: 60 });
    expect(plaintext).toMatch(/^sk-bl-[0-9A-Za-z]{33}$/);
    expect(apiKey).toMatchObject({ orgId, name: "Production", prefix: plaintext.slice(0, 12), spendCapMicros: 5_000_000n, rpmLimit: 60, revokedAt: null, createdById: userId });
    expect(apiKey).not.toHaveProperty("hash");

    const auth = await authenticateApiKey(test.db, plaintext, new Date());
    expect(auth?.orgId).toBe(orgId);
    expect(auth?.apiKey.id).toBe(apiKey.id);
    expect(auth?.apiKey).not.toHaveProperty("hash");
    expect(auth?.apiKey).not.toHaveProperty("org");
  });

  it("stores only the sha256 hex of the key, never the plaintext, and audits the creation", async () => {
    const { orgId, userId } = await newOrg();
    const { apiKey, plaintext } = await newKey(orgId, userId);
    const row = await test.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.hash).toBe(hashApiKey(plaintext));
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(plaintext.slice(12));
    const audit = await test.db.auditLog.findMany({ where: { orgId, targetId: apiKey.id } });
    expect(audit.map((a) => a.action)).toEqual(["apiKey.created"]);
    expect(audit[0].detailJson).not.toContain(plaintext.slice(12));
  });

  it("revoke → authenticate returns null; revoking again is a no-op with one audit row", async () => {
    const { orgId, userId } = await newOrg();
    const { apiKey, plaintext } = await newKey(orgId, userId);
    const revoked = await revokeApiKey(test.db, { orgId, apiKeyId: apiKey.id, actorUserId: userId });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await authenticateApiKey(test.db, plaintext, new Date())).toBeNull();

    const again = await revokeApiKey(test.db, { orgId, apiKeyId: apiKey.id, actorUserId: userId });
    expect(again.revokedAt?.getTime()).toBe(revoked.revokedAt?.getTime());
    const audit = await test.db.auditLog.findMany({ where: { targetId: apiKey.id }, orderBy: { action: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["apiKey.created", "apiKey.revoked"]);
    expect(JSON.parse(audit[1].detailJson)).toEqual({ name: "Production", prefix: apiKey.prefix, before: { revokedAt: null }, after: { revokedAt: revoked.revokedAt?.toISOString() } });
    expect(audit[1].detailJson).not.toContain(plaintext.slice(12));
  });

  it("another organisation cannot revoke the key: 404, and the key still works", async () => {
    const owner = await newOrg();
    const stranger = await newOrg();
    const { apiKey, plaintext } = await newKey(owner.orgId, owner.userId);
    const error = await revokeApiKey(test.db, { orgId: stranger.orgId, apiKeyId: apiKey.id, actorUserId: stranger.userId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404 });
    expect(await authenticateApiKey(test.db, plaintext, new Date())).not.toBeNull();
    expect(await test.db.auditLog.count({ where: { action: "apiKey.revoked", targetId: apiKey.id } })).toBe(0);
  });

  it("an unknown id is 404 too", async () => {
    const { orgId, userId } = await newOrg();
    await expect(revokeApiKey(test.db, { orgId, apiKeyId: "no-such-key", actorUserId: userId })).rejects.toMatchObject({ status: 404 });
  });

  it.each([
    ["empty", ""],
    ["not a key at all", "hello"],
    ["one character short", `sk-bl-${"a".repeat(32)}`],
    ["SQL-looking text", "sk-bl-' OR 1=1 --"],
    ["well formed but never issued", `sk-bl-${"a".repeat(33)}`],
  ])("%s is null without a database error", async (_label, candidate) => {
    expect(await authenticateApiKey(test.db, candidate, new Date())).toBeNull();
  });

  it("a key whose organisation is not a startup does not authenticate", async () => {
    const { orgId, userId } = await newOrg();
    const { plaintext } = await newKey(orgId, userId);
    await test.db.organization.update({ where: { id: orgId }, data: { kind: "LENDER" } });
    expect(await authenticateApiKey(test.db, plaintext, new Date())).toBeNull();
  });

  it("only startups can create keys", async () => {
    const { orgId, userId } = await newOrg("LENDER");
    await expect(newKey(orgId, userId)).rejects.toMatchObject({ status: 403 });
  });

  it.each([
    ["a blank name", { name: "   " }, "name"],
    ["a 65-character name", { name: "x".repeat(65) }, "name"],
    ["a negative spend cap", { spendCapMicros: -1n }, "spendCapMicros"],
    ["a spend cap of $0 (no cap is null)", { spendCapMicros: 0n }, "spendCapMicros"],
    ["an rpm limit of 0", { rpmLimit: 0 }, "rpmLimit"],
    ["an rpm limit over 100,000", { rpmLimit: 100_001 }, "rpmLimit"],
  ])("refuses %s with a 400 naming the field", async (_label, override, param) => {
    const { orgId, userId } = await newOrg();
    await expect(createApiKey(test.db, { orgId, createdById: userId, name: "ok", ...override })).rejects.toMatchObject({ status: 400, param });
  });

  it("the create form's rate-limit bound is the service's", () => {
    expect(RPM_LIMIT_MAX).toBe(MAX_RPM_LIMIT);
  });

  it("lastUsedAt is set on first use, then moves at most once a minute", async () => {
    const { orgId, userId } = await newOrg();
    const { apiKey, plaintext } = await newKey(orgId, userId);
    expect(apiKey.lastUsedAt).toBeNull();
    const t0 = new Date("2026-03-01T12:00:00.000Z");
    const lastUsedAt = async () => (await test.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt?.getTime();

    expect((await authenticateApiKey(test.db, plaintext, t0))?.apiKey.lastUsedAt?.getTime()).toBe(t0.getTime());
    expect(await lastUsedAt()).toBe(t0.getTime());

    await authenticateApiKey(test.db, plaintext, new Date(t0.getTime() + 59_999));
    expect(await lastUsedAt()).toBe(t0.getTime());

    const t1 = new Date(t0.getTime() + 60_001);
    await authenticateApiKey(test.db, plaintext, t1);
    expect(await lastUsedAt()).toBe(t1.getTime());
  });

  it("a burst of concurrent requests on a stale key all authenticate and agree on one lastUsedAt", async () => {
    const { orgId, userId } = await newOrg();
    const { plaintext } = await newKey(orgId, userId);
    const now = new Date("2026-03-02T00:00:00.000Z");
    const results = await Promise.all(Array.from({ length: 20 }, () => authenticateApiKey(test.db, plaintext, now)));
    expect(results.every((r) => r?.orgId === orgId)).toBe(true);
    expect((await test.db.apiKey.findFirstOrThrow({ where: { orgId } })).lastUsedAt?.getTime()).toBe(now.getTime());
  });

  it("lists the organisation's keys newest first, without hashes, and nobody else's", async () => {
    const { orgId, userId } = await newOrg();
    const other = await newOrg();
    const first = await createApiKey(test.db, { orgId, createdById: userId, name: "first" });
    const second = await createApiKey(test.db, { orgId, createdById: userId, name: "second" });
    await createApiKey(test.db, { orgId: other.orgId, createdById: other.userId, name: "theirs" });
    await revokeApiKey(test.db, { orgId, apiKeyId: first.apiKey.id, actorUserId: userId });

    const keys = await listApiKeys(test.db, orgId);
    expect(new Set(keys.map((k) => k.id))).toEqual(new Set([first.apiKey.id, second.apiKey.id]));
    expect(keys.find((k) => k.id === first.apiKey.id)?.revokedAt).toBeInstanceOf(Date);
    for (const key of keys) expect(key).not.toHaveProperty("hash");
  });

  describe("with an injected random source", () => {
    it("mints the same plaintext from the same bytes (for the demo world)", async () => {
      const { orgId, userId } = await newOrg();
      const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + sequence) % 256);
      const { plaintext } = await createApiKey(test.db, { orgId, createdById: userId, name: "demo" }, { randomBytes: bytes });
      expect(await authenticateApiKey(test.db, plaintext, new Date())).toMatchObject({ orgId });
    });
  });
});
