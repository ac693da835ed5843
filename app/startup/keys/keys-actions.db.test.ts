// The API keys screen's server actions with the real guard (only the session and Next's cache are
// stubbed), on real SQLite and PostgreSQL, against the routing API served over HTTP: a created key
// is shown once and stored as its hash; bad caps and rate limits get a message on their field and
// write nothing; a revoked key gets 401 on its very next request; another organisation's key is not
// found; the list's "spend this month" is the key's settled cost since the 1st, 00:00 UTC.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { hashApiKey } from "@/lib/server/services/api-keys";
import { issueCredits, openStartupAccounts } from "@/lib/server/ledger/ledger";
import { listStartupKeys } from "@/lib/server/queries/startup-keys";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";
import { startGatewayServer } from "@/test/gateway-server";
import { createCatalog } from "@/test/routing-world";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { createKeyAction } = await import("./create-key-action");
const { revokeKeyAction } = await import("./revoke-key-action");

const USD = 1_000_000n;

function unwrap<T>(result: { ok: true; data: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(`action refused: ${result.error.message}`);
  return result.data;
}

await describeEachProvider("startup API keys actions", (provider) => {
  let gateway: Awaited<ReturnType<typeof startGatewayServer>>;
  let sequence = 0;

  const test = useActionDatabase(provider, {
    async setUp(db) {
      // Input free, output at $10/M: the simulator writes max_tokens, so 20 tokens cost exactly 200 µUSD.
      await createCatalog(db, [{ slug: "sim", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 0 } }], [{ slug: "exact-chat", routes: [{ provider: "sim", inputPrice: 0n, outputPrice: 10_000_000n }] }]);
    },
  });
  beforeAll(async () => {
    gateway = await startGatewayServer(test.db);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  /** A startup with $10 of credits and its CTO, or a lender and its analyst. */
  async function newOrg(kind: "STARTUP" | "LENDER" = "STARTUP") {
    sequence++;
    const org = await test.db.organization.create({ data: { name: `Org ${sequence}`, slug: `keys-${provider}-${sequence}`, kind } });
    const user = await test.db.user.create({ data: { orgId: org.id, email: `u${sequence}-${provider}@example.test`, name: "User", passwordHash: "x", role: kind === "STARTUP" ? "startup" : "lender" } });
    if (kind === "STARTUP") {
      await openStartupAccounts(test.db, org.id);
      await issueCredits(test.db, { orgId: org.id, amountMicros: 10n * USD, idempotencyKey: `keys-credits:${org.id}` });
    }
    return { orgId: org.id, userId: user.id };
  }

  const chat = (apiKey: string) =>
    fetch(`${gateway.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "exact-chat", messages: [{ role: "user", content: "go" }], max_tokens: 20 }),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));

  it("Create key returns the secret once, stores only its hash, and audits the creation without it", async () => {
    const { orgId, userId } = await newOrg();
    signInAs(userId);
    const created = unwrap(await createKeyAction({ name: " Production ", spendCapUsd: "1,000.50", rpmLimit: "600" }));
    expect(created).toMatchObject({ name: "Production", prefix: created.plaintext.slice(0, 12) });
    expect(created.plaintext).toMatch(/^sk-bl-[0-9A-Za-z]{33}$/);

    const row = await test.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ orgId, createdById: userId, hash: hashApiKey(created.plaintext), spendCapMicros: 1_000_500_000n, rpmLimit: 600, revokedAt: null });
    const audit = await test.db.auditLog.findMany({ where: { targetId: created.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "apiKey.created", actorUserId: userId, orgId });
    expect(audit[0].detailJson).not.toContain(created.plaintext.slice(6));
    expect(JSON.parse(audit[0].detailJson)).toMatchObject({ spendCapMicros: "1000500000", rpmLimit: 600 });

    // Nothing the screen reads afterwards carries the secret.
    const listed = await listStartupKeys(test.db, orgId, new Date());
    expect(JSON.stringify(listed)).not.toContain(created.plaintext.slice(12));
    expect(listed.keys[0]).toMatchObject({ id: created.id, spendCapMicros: "1000500000", rpmLimit: 600, monthSpendMicros: "0", lastUsedAt: null });
  });

  it("blank cap and rate limit mean none", async () => {
    const { userId } = await newOrg();
    signInAs(userId);
    const created = unwrap(await createKeyAction({ name: "CI", spendCapUsd: "  ", rpmLimit: "" }));
    expect(await test.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ spendCapMicros: null, rpmLimit: null });
  });

  it.each([
    ["a blank name", { name: "  " }, "name"],
    ["a cap of $0", { name: "k", spendCapUsd: "0" }, "spendCapUsd"],
    ["a negative cap", { name: "k", spendCapUsd: "-5" }, "spendCapUsd"],
    ["a cap with 7 decimals (never rounded)", { name: "k", spendCapUsd: "1.0000001" }, "spendCapUsd"],
    ["a cap that is not a number", { name: "k", spendCapUsd: "ten dollars" }, "spendCapUsd"],
    ["a rate limit of 0", { name: "k", rpmLimit: "0" }, "rpmLimit"],
    ["a fractional rate limit", { name: "k", rpmLimit: "1.5" }, "rpmLimit"],
    ["a rate limit over 100,000", { name: "k", rpmLimit: "100001" }, "rpmLimit"],
  ])("refuses %s on its field and writes nothing", async (_label, input, field) => {
    const { orgId, userId } = await newOrg();
    signInAs(userId);
    const result = await createKeyAction(input);
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_request", field } });
    expect(await test.db.apiKey.count({ where: { orgId } })).toBe(0);
    expect(await test.db.auditLog.count({ where: { orgId } })).toBe(0);
  });

  it("Revoke: the key works, then its very next request is 401 invalid_api_key", async () => {
    const { orgId, userId } = await newOrg();
    signInAs(userId);
    const created = unwrap(await createKeyAction({ name: "Production" }));
    expect((await chat(created.plaintext)).status).toBe(200);

    const revoked = unwrap(await revokeKeyAction({ apiKeyId: created.id }));
    expect(revoked.revokedAt).not.toBeNull();
    const refused = await chat(created.plaintext);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("invalid_api_key");
    expect(await test.db.usageEvent.count({ where: { apiKeyId: created.id } })).toBe(1);
    const audit = await test.db.auditLog.findFirstOrThrow({ where: { targetId: created.id, action: "apiKey.revoked" } });
    expect(audit).toMatchObject({ orgId, actorUserId: userId });
    expect(JSON.parse(audit.detailJson)).toMatchObject({ before: { revokedAt: null }, after: { revokedAt: revoked.revokedAt } });
  });

  it("another organisation's key cannot be revoked: not found, and it keeps working", async () => {
    const owner = await newOrg();
    const stranger = await newOrg();
    signInAs(owner.userId);
    const created = unwrap(await createKeyAction({ name: "Owner's" }));
    signInAs(stranger.userId);
    expect(await revokeKeyAction({ apiKeyId: created.id })).toEqual({ ok: false, error: { message: "No such API key.", code: "api_key_not_found", field: null } });
    expect(await test.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ revokedAt: null });
    expect((await chat(created.plaintext)).status).toBe(200);
    // And the stranger's list does not show it.
    expect((await listStartupKeys(test.db, stranger.orgId, new Date())).keys).toEqual([]);
  });

  it("only a startup user may manage keys: a lender gets 403, nobody signed in gets 401", async () => {
    const lender = await newOrg("LENDER");
    const startup = await newOrg();
    signInAs(startup.userId);
    const created = unwrap(await createKeyAction({ name: "Production" }));
    signInAs(lender.userId);
    expect(await createKeyAction({ name: "x" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await revokeKeyAction({ apiKeyId: created.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    signInAs(null);
    expect(await createKeyAction({ name: "x" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await test.db.apiKey.count({ where: { orgId: lender.orgId } })).toBe(0);
  });

  it("spend this month: the key's settled cost since the 1st 00:00 UTC, per key, and last used", async () => {
    const { orgId, userId } = await newOrg();
    signInAs(userId);
    const busy = unwrap(await createKeyAction({ name: "Busy", spendCapUsd: "5" }));
    const idle = unwrap(await createKeyAction({ name: "Idle" }));
    for (let i = 0; i < 3; i++) expect((await chat(busy.plaintext)).status).toBe(200);

    // Usage of the same key last month (the last µs of it) and of the idle key this month, written as the gateway writes events.
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const event = (apiKeyId: string, costMicros: bigint, createdAt: Date) => ({
      orgId, apiKeyId, requestId: `req-${provider}-${++sequence}`, modelSlug: "exact-chat", providerSlug: "sim", endpoint: "chat.completions", inputTokens: 1, outputTokens: 1, costMicros, latencyMs: 1, status: "ok", createdAt,
    });
    await test.db.usageEvent.createMany({ data: [event(busy.id, 9_999n, new Date(monthStart.getTime() - 1)), event(idle.id, 7n, monthStart)] });

    const { keys, monthStart: listedMonthStart } = await listStartupKeys(test.db, orgId, now);
    expect(listedMonthStart).toBe(monthStart.toISOString());
    const busyRow = keys.find((k) => k.id === busy.id)!;
    const idleRow = keys.find((k) => k.id === idle.id)!;
    // 3 requests × 200 µUSD; last month's 9,999 µUSD is not this month's.
    expect(busyRow).toMatchObject({ monthSpendMicros: "600", monthRequests: 3, spendCapMicros: "5000000", spentTowardCapMicros: "600" });
    expect(busyRow.lastUsedAt).not.toBeNull();
    expect(idleRow).toMatchObject({ monthSpendMicros: "7", monthRequests: 1, lastUsedAt: null });
    // Newest first.
    expect(keys.map((k) => k.id)).toEqual([idle.id, busy.id]);
  });
});
