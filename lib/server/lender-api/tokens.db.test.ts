// Lender API tokens and the lenderApi() route wrapper against real SQLite and PostgreSQL: the
// plaintext exists only in the create answer, authentication honours revocation and the
// organisation's kind, and every failure is a 401 in the one JSON error shape.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApiKey } from "@/lib/server/services/api-keys";
import { ApiError } from "@/lib/server/http/errors";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { lenderApi } from "./respond";
import { authenticateLenderToken, createLenderApiToken, hashLenderToken, listLenderApiTokens, revokeLenderApiToken } from "./tokens";

await describeEachProvider("Lender API tokens", (provider) => {
  let test: TestDatabase;
  let sequence = 0;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await test?.drop();
  });

  async function newOrg(kind: "LENDER" | "STARTUP" = "LENDER") {
    sequence++;
    const org = await test.db.organization.create({ data: { name: `Org ${sequence}`, slug: `tok-${provider}-${sequence}`, kind } });
    const user = await test.db.user.create({
      data: { orgId: org.id, email: `tok${sequence}-${provider}@example.test`, name: "Analyst", passwordHash: "x", role: kind === "LENDER" ? "lender" : "startup" },
    });
    return { orgId: org.id, userId: user.id };
  }

  async function newToken(orgId: string, userId: string, name = "  Risk desk  ") {
    return createLenderApiToken(test.db, { orgId, name, createdById: userId });
  }

  const bearer = (token: string) => `Bearer ${token}`;

  it("create → authenticate gives the token's organisation; only the SHA-256 and a prefix are stored", async () => {
    const { orgId, userId } = await newOrg();
    const { token, plaintext } = await newToken(orgId, userId);
    expect(plaintext).toMatch(/^lk-bl-[0-9A-Za-z]{33}$/);
    expect(token).toMatchObject({ orgId, name: "Risk desk", prefix: plaintext.slice(0, 12), revokedAt: null, lastUsedAt: null, createdById: userId });
    expect(token).not.toHaveProperty("hash");

    expect(await authenticateLenderToken(test.db, bearer(plaintext))).toEqual({ orgId, tokenId: token.id });

    const row = await test.db.lenderApiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.hash).toBe(hashLenderToken(plaintext));
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(plaintext.slice(12));
    const audit = await test.db.auditLog.findMany({ where: { targetId: token.id } });
    expect(audit.map((a) => a.action)).toEqual(["lenderApiToken.created"]);
    expect(audit[0].detailJson).not.toContain(plaintext.slice(12));
  });

  it("two tokens never collide (192 random bits each)", async () => {
    const { orgId, userId } = await newOrg();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => newToken(orgId, userId)));
    expect(new Set(tokens.map((t) => t.plaintext)).size).toBe(10);
  });

  it("a revoked token is a 401; revoking again is a no-op with one audit row", async () => {
    const { orgId, userId } = await newOrg();
    const { token, plaintext } = await newToken(orgId, userId);
    const revoked = await revokeLenderApiToken(test.db, { orgId, tokenId: token.id, actorUserId: userId });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await expect(authenticateLenderToken(test.db, bearer(plaintext))).rejects.toMatchObject({ status: 401, code: "invalid_api_token" });
    const again = await revokeLenderApiToken(test.db, { orgId, tokenId: token.id, actorUserId: userId });
    expect(again.revokedAt?.getTime()).toBe(revoked.revokedAt?.getTime());
    expect((await test.db.auditLog.findMany({ where: { targetId: token.id } })).map((a) => a.action).sort()).toEqual(["lenderApiToken.created", "lenderApiToken.revoked"]);
  });

  it("another lender cannot revoke or see the token: 404, and the token still works", async () => {
    const owner = await newOrg();
    const stranger = await newOrg();
    const { token, plaintext } = await newToken(owner.orgId, owner.userId);
    const error = await revokeLenderApiToken(test.db, { orgId: stranger.orgId, tokenId: token.id, actorUserId: stranger.userId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404 });
    expect(await listLenderApiTokens(test.db, stranger.orgId)).toEqual([]);
    expect(await authenticateLenderToken(test.db, bearer(plaintext))).toEqual({ orgId: owner.orgId, tokenId: token.id });
  });

  it("a token whose organisation is no longer a lender is a 401; startups cannot create tokens", async () => {
    const { orgId, userId } = await newOrg();
    const { plaintext } = await newToken(orgId, userId);
    await test.db.organization.update({ where: { id: orgId }, data: { kind: "STARTUP" } });
    await expect(authenticateLenderToken(test.db, bearer(plaintext))).rejects.toMatchObject({ status: 401 });
    const startup = await newOrg("STARTUP");
    await expect(newToken(startup.orgId, startup.userId)).rejects.toMatchObject({ status: 403 });
  });

  it.each([
    ["a blank name", "   "],
    ["a 65-character name", "x".repeat(65)],
  ])("refuses %s with a 400", async (_label, name) => {
    const { orgId, userId } = await newOrg();
    await expect(newToken(orgId, userId, name)).rejects.toMatchObject({ status: 400, param: "name" });
  });

  it.each([
    ["no header", null],
    ["an empty header", ""],
    ["Basic auth", "Basic dXNlcjpwYXNz"],
    ["Bearer without a token", "Bearer "],
    ["a token without Bearer", `lk-bl-${"a".repeat(33)}`],
    ["one character short", `Bearer lk-bl-${"a".repeat(32)}`],
    ["a routing-API key", `Bearer sk-bl-${"a".repeat(33)}`],
    ["SQL-looking text", "Bearer lk-bl-'OR'1'='1"],
    ["two tokens", `Bearer lk-bl-${"a".repeat(33)} lk-bl-${"b".repeat(33)}`],
    ["well formed but never issued", `Bearer lk-bl-${"a".repeat(33)}`],
  ])("%s is a 401 without a database error", async (_label, header) => {
    await expect(authenticateLenderToken(test.db, header)).rejects.toMatchObject({ status: 401, code: "invalid_api_token" });
  });

  it("the scheme is case-insensitive", async () => {
    const { orgId, userId } = await newOrg();
    const { plaintext } = await newToken(orgId, userId);
    expect((await authenticateLenderToken(test.db, `bearer  ${plaintext}`)).orgId).toBe(orgId);
  });

  it("a startup's routing-API key is not a lender token", async () => {
    const startup = await newOrg("STARTUP");
    const { plaintext } = await createApiKey(test.db, { orgId: startup.orgId, createdById: startup.userId, name: "k" });
    await expect(authenticateLenderToken(test.db, bearer(plaintext))).rejects.toMatchObject({ status: 401 });
  });

  it("lastUsedAt is set on first use, then moves at most once a minute", async () => {
    const { orgId, userId } = await newOrg();
    const { token, plaintext } = await newToken(orgId, userId);
    const t0 = new Date("2026-03-01T12:00:00.000Z");
    const lastUsedAt = async () => (await test.db.lenderApiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt?.getTime();
    await authenticateLenderToken(test.db, bearer(plaintext), t0);
    expect(await lastUsedAt()).toBe(t0.getTime());
    await authenticateLenderToken(test.db, bearer(plaintext), new Date(t0.getTime() + 59_999));
    expect(await lastUsedAt()).toBe(t0.getTime());
    const t1 = new Date(t0.getTime() + 60_001);
    await authenticateLenderToken(test.db, bearer(plaintext), t1);
    expect(await lastUsedAt()).toBe(t1.getTime());
  });

  it("lists the organisation's tokens newest first, revoked ones included, without hashes", async () => {
    const { orgId, userId } = await newOrg();
    const first = await newToken(orgId, userId, "first");
    const second = await newToken(orgId, userId, "second");
    await revokeLenderApiToken(test.db, { orgId, tokenId: first.token.id, actorUserId: userId });
    const tokens = await listLenderApiTokens(test.db, orgId);
    expect(new Set(tokens.map((t) => t.id))).toEqual(new Set([first.token.id, second.token.id]));
    expect(tokens.find((t) => t.id === first.token.id)?.revokedAt).toBeInstanceOf(Date);
    for (const token of tokens) expect(token).not.toHaveProperty("hash");
  });

  // ───────────────────────────── the route wrapper ─────────────────────────────

  const params = { params: Promise.resolve({ loanId: "loan_1" }) };

  it("lenderApi hands the handler the token's organisation and params", async () => {
    const { orgId, userId } = await newOrg();
    const { token, plaintext } = await newToken(orgId, userId);
    const route = lenderApi<{ loanId: string }>(async (_request, context) => Response.json(context), { db: test.db });
    const response = await route(new Request("http://app.test/api/lender/v1/loans/loan_1", { headers: { authorization: bearer(plaintext) } }), params);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ orgId, tokenId: token.id, params: { loanId: "loan_1" } });
  });

  it("lenderApi answers 401 in the JSON error shape without calling the handler", async () => {
    let calls = 0;
    const route = lenderApi(async () => {
      calls++;
      return Response.json({});
    }, { db: test.db });
    const response = await route(new Request("http://app.test/api/lender/v1/loans"), { params: Promise.resolve({}) });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { message: expect.any(String), type: "authentication_error", code: "invalid_api_token", param: null } });
    expect(calls).toBe(0);
  });

  it("lenderApi maps a thrown ApiError and an unexpected error to JSON", async () => {
    const { orgId, userId } = await newOrg();
    const { plaintext } = await newToken(orgId, userId);
    const request = () => new Request("http://app.test/x", { headers: { authorization: bearer(plaintext) } });
    const notFound = lenderApi(async () => {
      throw new ApiError(404, "loan_not_found", "No such loan.");
    }, { db: test.db });
    const res404 = await notFound(request(), { params: Promise.resolve({}) });
    expect(res404.status).toBe(404);
    expect(await res404.json()).toMatchObject({ error: { message: "No such loan.", code: "loan_not_found" } });

    const originalError = console.error;
    console.error = () => undefined;
    try {
      const crashes = lenderApi(async () => {
        throw new Error("secret internals");
      }, { db: test.db });
      const res500 = await crashes(request(), { params: Promise.resolve({}) });
      expect(res500.status).toBe(500);
      const body = await res500.text();
      expect(body).not.toContain("secret internals");
      expect(JSON.parse(body)).toMatchObject({ error: { code: "internal_error" } });
    } finally {
      console.error = originalError;
    }
  });

  it("lenderApi with idempotent: a retried POST with the same Idempotency-Key replays the first answer", async () => {
    const { orgId, userId } = await newOrg();
    const { plaintext } = await newToken(orgId, userId);
    let runs = 0;
    const route = lenderApi(async (_request, { body }) => {
      runs++;
      return Response.json({ frozen: (body as { amount: string }).amount, run: runs }, { status: 201 });
    }, { db: test.db, idempotent: true });
    const post = (body: string, key: string | null = "freeze-1") =>
      route(
        new Request("http://app.test/api/lender/v1/loans/loan_1/freeze", {
          method: "POST",
          headers: { authorization: bearer(plaintext), "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
          body,
        }),
        params,
      );

    const first = await post('{"amount":"5"}');
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const firstBody = await first.text();

    const replay = await post('{"amount":"5"}');
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.text()).toBe(firstBody);
    expect(runs).toBe(1);

    const reused = await post('{"amount":"6"}');
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ error: { code: "idempotency_key_reused" } });

    await post('{"amount":"5"}', null);
    expect(runs).toBe(2); // no key: no idempotency
  });
});
