// The lender API over real HTTP (node:http serving the same handlers the route files export), on
// real SQLite and PostgreSQL: token scoping (another lender's loan is a 404 on every endpoint),
// Idempotency-Key replay and 422, money as strings, freeze latency returned, errors in one shape,
// one body limit (a body that never ends is refused at 64 KiB).
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { JSON_BODY_MAX_BYTES } from "@/lib/server/http/json-body";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { createLenderApiToken } from "@/lib/server/lender-api/tokens";
import { createLender, createLoan, seedIndex, type Lender } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { startLenderApiServer } from "@/test/lender-api-server";

const USD = 1_000_000n;

await describeEachProvider("lender API", (provider) => {
  let test: TestDatabase;
  let server: Awaited<ReturnType<typeof startLenderApiServer>>;
  let lenderA: Lender;
  let lenderB: Lender;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await seedIndex(test.db);
    server = await startLenderApiServer(test.db);
    lenderA = await createLender(test.db);
    lenderB = await createLender(test.db);
  });
  afterAll(async () => {
    await server?.close();
    await test?.drop();
  });

  type Call = { status: number; body: Record<string, unknown> & { error?: { message: string; code: string; type: string } }; headers: Headers; text: string };
  async function call(lender: Lender | null, method: "GET" | "POST", path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Call> {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { ...(lender ? { authorization: `Bearer ${lender.token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers, text };
  }

  it("lists the token's loans with state, coverage, debt and collateral as strings, paged newest first and filterable by state", async () => {
    const lender = await createLender(test.db);
    const loans = [];
    for (let i = 0; i < 3; i++) {
      const { loan } = await createLoan(test.db, { lender, financedMicros: (100n + BigInt(i)) * USD, principalMicros: 50n * USD });
      // Distinct creation times, so "newest first" does not hang on a millisecond tie.
      loans.push(await test.db.loan.update({ where: { id: loan.id }, data: { createdAt: new Date(Date.UTC(2026, 0, 1 + i)) } }));
    }
    await createLoan(test.db, { lender: lenderB, financedMicros: 100n * USD, principalMicros: 50n * USD });

    const first = await call(lender, "GET", "/loans?limit=2");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: "list", hasMore: true });
    const data = first.body.data as Array<Record<string, unknown>>;
    expect(data.map((l) => l.id)).toEqual([loans[2].id, loans[1].id]);
    // C = 102 USD, D = 50 USD, mark 0.85: coverage = ⌊102 × 0.85 / 50 × 10⁴⌋ = 17,340 bps.
    expect(data[0]).toMatchObject({ state: "ACTIVE", collateralMicros: "102000000", frozenMicros: "0", debtMicros: "50000000", markPpm: 850_000, coverageBps: 17_340 });
    const second = await call(lender, "GET", `/loans?limit=2&startingAfter=${first.body.nextCursor}`);
    expect((second.body.data as Array<{ id: string }>).map((l) => l.id)).toEqual([loans[0].id]);
    expect(second.body).toMatchObject({ hasMore: false, nextCursor: null });

    await call(lender, "POST", `/loans/${loans[1].id}/freeze`, { mode: "FULL", reason: "test" });
    const frozen = await call(lender, "GET", "/loans?state=FROZEN");
    expect((frozen.body.data as Array<{ id: string }>).map((l) => l.id)).toEqual([loans[1].id]);
    expect(await call(lender, "GET", "/loans?limit=0")).toMatchObject({ status: 400 });
  });

  it("shows one loan with coverage, debt, collateral, frozen, mark, state and thresholds", async () => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 1_000n * USD, pledgedMicros: 200n * USD, principalMicros: 800n * USD, interestAccruedMicros: 1_234n });
    await call(lenderA, "POST", `/loans/${loan.id}/freeze`, { mode: "AMOUNT", amountMicros: "300000000", reason: "watch" });
    const { status, body } = await call(lenderA, "GET", `/loans/${loan.id}`);
    expect(status).toBe(200);
    // C = 1,200,000,000; D = 800,001,234; coverage = ⌊1,200,000,000 × 850,000 / (800,001,234 × 100)⌋ = 12,749 bps.
    // Protective = ⌈800,001,234 × 12,500 × 100 / 850,000⌉ = ⌈1,176,472,402.9…⌉ = 1,176,472,403.
    expect(body).toMatchObject({
      id: loan.id,
      state: "FROZEN",
      coverageBps: 12_749,
      collateral: { totalMicros: "1200000000", frozenMicros: "300000000", unfrozenMicros: "900000000", freezableNowMicros: "900000000", financedMicros: "1000000000", pledgedMicros: "200000000", protectiveFreezeMicros: "1176472403" },
      debt: { principalOutstandingMicros: "800000000", interestAccruedMicros: "1234", totalMicros: "800001234" },
      valuation: { markPpm: 850_000 },
      thresholds: { initialBps: 15_000, maintenanceBps: 12_500, liquidationBps: 11_000, earlyWarningBps: [14_000, 13_000], autoFreeze: false },
    });
    expect((body.recentFreezeEvents as unknown[]).length).toBe(1);
  });

  it("POST freeze answers 201 with the FreezeEvent and its latency; the same Idempotency-Key replays it, another body is a 422", async () => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 50n * USD });
    const body = { mode: "AMOUNT", amountMicros: "25000000", reason: "desk rule 7" };
    const key = { "idempotency-key": `freeze-${loan.id}` };
    const first = await call(lenderA, "POST", `/loans/${loan.id}/freeze`, body, key);
    expect(first.status).toBe(201);
    const event = first.body.freezeEvent as Record<string, unknown>;
    expect(event).toMatchObject({ action: "FREEZE", mode: "AMOUNT", amountMicros: "25000000", requestedMicros: "25000000", actorKind: "api", reason: "desk rule 7", loanId: loan.id });
    expect(typeof event.latencyMs).toBe("number");
    expect(first.body.latencyMs).toBe(event.latencyMs);
    expect(Date.parse(event.committedAt as string) - Date.parse(event.requestedAt as string)).toBe(event.latencyMs);
    expect(first.body.loan).toMatchObject({ state: "FROZEN", frozenMicros: "25000000" });

    const replay = await call(lenderA, "POST", `/loans/${loan.id}/freeze`, body, key);
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(1);

    const reused = await call(lenderA, "POST", `/loans/${loan.id}/freeze`, { ...body, amountMicros: "26000000" }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({ code: "idempotency_key_reused" });
    expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(1);

    // The stored event shows the same latency the API answered with.
    const stored = await test.db.freezeEvent.findFirstOrThrow({ where: { loanId: loan.id } });
    expect(stored.latencyMs).toBe(event.latencyMs);

    const unfreeze = await call(lenderA, "POST", `/loans/${loan.id}/unfreeze`, { mode: "FULL", reason: "ok" }, { "idempotency-key": `unfreeze-${loan.id}` });
    expect(unfreeze.status).toBe(201);
    expect(unfreeze.body.loan).toMatchObject({ state: "ACTIVE", frozenMicros: "0" });
    expect(unfreeze.body.freezeEvent).toMatchObject({ action: "UNFREEZE", amountMicros: "25000000" });
    expect((await checkLedgerHealth(test.db)).violations).toEqual([]);
  });

  it("records which token acted: a freeze, unfreeze and liquidation by token name the token on every audit row and FreezeEvent", async () => {
    const lender = await createLender(test.db);
    const token = await test.db.lenderApiToken.findFirstOrThrow({ where: { orgId: lender.orgId } });
    expect(token).toMatchObject({ name: "risk desk", createdById: lender.userId });
    const { loan } = await createLoan(test.db, { lender, financedMicros: 100n * USD, principalMicros: 50n * USD });

    const freeze = await call(lender, "POST", `/loans/${loan.id}/freeze`, { mode: "AMOUNT", amountMicros: "40000000", reason: "by token" });
    expect(freeze.status).toBe(201);
    expect(freeze.body.freezeEvent).toMatchObject({ actorKind: "api", actorUserId: null, actorTokenId: token.id });
    const stored = await test.db.freezeEvent.findFirstOrThrow({ where: { loanId: loan.id }, include: { actorToken: true } });
    expect(stored).toMatchObject({ actorKind: "api", actorTokenId: token.id, actorToken: { name: "risk desk", createdById: lender.userId } });
    const frozenAudit = await test.db.auditLog.findMany({ where: { targetId: loan.id }, orderBy: { action: "asc" } });
    expect(frozenAudit.map((row) => [row.action, row.actorKind, row.actorTokenId, row.orgId])).toEqual([
      ["collateral.freeze", "api", token.id, lender.orgId],
      ["loan.freeze", "api", token.id, lender.orgId],
    ]);

    expect((await call(lender, "POST", `/loans/${loan.id}/unfreeze`, { mode: "AMOUNT", amountMicros: "10000000", reason: "some back" })).status).toBe(201);
    expect((await call(lender, "POST", `/loans/${loan.id}/liquidate`, { scope: "FULL", reason: "close it" })).status).toBe(201);
    const events = await test.db.freezeEvent.findMany({ where: { loanId: loan.id } });
    expect(events.map((event) => [event.action, event.actorTokenId]).sort()).toEqual([
      ["FREEZE", token.id],
      ["UNFREEZE", token.id],
    ]);
    const audit = await test.db.auditLog.findMany({ where: { targetId: loan.id } });
    expect(audit.map((row) => row.action).sort()).toEqual(["collateral.freeze", "collateral.liquidate", "collateral.unfreeze", "loan.freeze", "loan.liquidate", "loan.unfreeze"]);
    for (const row of audit) expect(row, row.action).toMatchObject({ actorKind: "api", actorTokenId: token.id, actorUserId: null });

  });

  it("two tokens of one lender are told apart: each freeze names the token that sent it", async () => {
    const lender = await createLender(test.db);
    const second = await createLenderApiToken(test.db, { orgId: lender.orgId, name: "rebalancer bot", createdById: lender.userId });
    const { loan } = await createLoan(test.db, { lender, financedMicros: 100n * USD, principalMicros: 50n * USD });
    await call(lender, "POST", `/loans/${loan.id}/freeze`, { mode: "AMOUNT", amountMicros: "1000000", reason: "first" });
    await call({ ...lender, token: second.plaintext }, "POST", `/loans/${loan.id}/freeze`, { mode: "AMOUNT", amountMicros: "2000000", reason: "second" });
    const events = await test.db.freezeEvent.findMany({ where: { loanId: loan.id }, include: { actorToken: { select: { name: true } } } });
    expect(events.map((event) => [event.reason, event.actorToken?.name]).sort()).toEqual([
      ["first", "risk desk"],
      ["second", "rebalancer bot"],
    ]);
  });

  it.each([
    ["no reason", { mode: "FULL" }, 400, "invalid_request"],
    ["an amount as a JSON number", { mode: "AMOUNT", amountMicros: 25_000_000, reason: "x" }, 400, "invalid_request"],
    ["an unknown mode", { mode: "AUTO", reason: "x" }, 400, "invalid_request"],
    ["AMOUNT without an amount", { mode: "AMOUNT", reason: "x" }, 400, "invalid_request"],
    ["an unknown field", { mode: "FULL", reason: "x", force: true }, 400, "invalid_request"],
    ["more than is freezable", { mode: "AMOUNT", amountMicros: "100000001", reason: "x" }, 422, "amount_exceeds_freezable"],
    ["not JSON", "mode=FULL", 400, "invalid_json"],
  ])("a freeze with %s is refused (%i %s) and changes nothing", async (_label, body, status, code) => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 50n * USD });
    const response = await call(lenderA, "POST", `/loans/${loan.id}/freeze`, body);
    expect(response.status).toBe(status);
    expect(response.body.error).toMatchObject({ code, message: expect.any(String) });
    expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(0);
  });

  /**
   * POSTs a body that never ends (64 KiB chunks, as fast as the server takes them) with or without
   * a declared length, until the answer arrives: the answer, and how much had been sent by then.
   */
  async function postEndlessBody(lender: Lender, path: string, declaredBytes: number | null) {
    const chunk = Buffer.alloc(64 * 1024, " ");
    return new Promise<{ status: number; body: { error?: { code: string; message: string } }; sentBytes: number }>((resolve, reject) => {
      let sentBytes = 0;
      let isAnswered = false;
      const req = httpRequest(`${server.baseUrl}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${lender.token}`, "content-type": "application/json", "idempotency-key": `endless-${path}-${declaredBytes}`, ...(declaredBytes === null ? {} : { "content-length": String(declaredBytes) }) },
      });
      req.on("response", (res) => {
        isAnswered = true;
        const parts: Buffer[] = [];
        res.on("data", (part: Buffer) => parts.push(part));
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString("utf8")), sentBytes });
        });
      });
      // Writing after the server answered and stopped reading ends in EPIPE or a reset: expected.
      req.on("error", (error) => (isAnswered ? undefined : reject(error)));
      req.write("{");
      const pump = () => {
        while (!isAnswered && !req.destroyed) {
          sentBytes += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
      };
      pump();
    });
  }

  it.each([
    ["declares 5 MB", 5_000_000],
    ["streams without a length", null],
  ])("a freeze body that %s and never ends is a 413 before the upload ends, and changes nothing", async (_label, declaredBytes) => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 50n * USD });
    const answer = await postEndlessBody(lenderA, `/loans/${loan.id}/freeze`, declaredBytes);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toEqual({ code: "body_too_large", message: `The request body is over ${JSON_BODY_MAX_BYTES.toLocaleString("en-US")} bytes, the most this endpoint takes.`, type: "invalid_request_error", param: null });
    // The answer came while the client was still sending: the server never waited for (or kept) the rest.
    expect(answer.sentBytes).toBeGreaterThan(0);
    expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(0);
    // A normal freeze on the same connection pool still works.
    expect((await call(lenderA, "POST", `/loans/${loan.id}/freeze`, { mode: "FULL", reason: "after the refusal" })).status).toBe(201);
  });

  it("every answer, a success, a refusal or a replay, carries the API security headers itself (no proxy needed)", async () => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 50n * USD });
    const answers = [
      await call(lenderA, "GET", `/loans/${loan.id}`),
      await call(lenderA, "POST", `/loans/${loan.id}/freeze`, { mode: "FULL", reason: "headers" }, { "idempotency-key": "headers-1" }),
      await call(lenderA, "POST", `/loans/${loan.id}/freeze`, { mode: "FULL", reason: "headers" }, { "idempotency-key": "headers-1" }),
      await call(lenderA, "POST", `/loans/${loan.id}/freeze`, "{oops"),
      await call(null, "GET", "/loans"),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 201, 201, 400, 401]);
    for (const answer of answers) {
      expect(answer.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
      expect(answer.headers.get("x-frame-options")).toBe("DENY");
    }
  });

  it.each([
    ["a form post (curl -d without a Content-Type header)", "application/x-www-form-urlencoded"],
    ["JSON sent as text/plain (a cross-site form could send that without a preflight)", "text/plain;charset=UTF-8"],
  ])("a freeze sent as %s is a 415 that names the right Content-Type, and changes nothing", async (_label, contentType) => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 50n * USD });
    const response = await call(lenderA, "POST", `/loans/${loan.id}/freeze`, JSON.stringify({ mode: "FULL", reason: "x" }), { "content-type": contentType });
    expect(response.status).toBe(415);
    expect(response.body.error).toMatchObject({ code: "unsupported_media_type", message: expect.stringContaining("Content-Type: application/json") });
    expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(0);
  });

  it("liquidates a frozen loan: 201 with the sale's waterfall, the same answer replayed for the same key, the loan closed, the ledger healthy", async () => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 50n * USD });
    const notFrozen = await call(lenderA, "POST", `/loans/${loan.id}/liquidate`, { scope: "FULL", reason: "default" });
    expect(notFrozen.status).toBe(409);
    expect(notFrozen.body.error).toMatchObject({ code: "loan_not_frozen" });
    expect((await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).state).toBe("ACTIVE");

    expect((await call(lenderA, "POST", `/loans/${loan.id}/freeze`, { mode: "FULL", reason: "default" })).status).toBe(201);
    const key = { "idempotency-key": `liquidate-${loan.id}` };
    const first = await call(lenderA, "POST", `/loans/${loan.id}/liquidate`, { scope: "FULL", reason: "default" }, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ loanId: loan.id, scope: "FULL", previousState: "FROZEN", state: "LIQUIDATED", principalPaidMicros: "50000000" });
    expect(typeof first.body.soldMicros).toBe("string");

    const replay = await call(lenderA, "POST", `/loans/${loan.id}/liquidate`, { scope: "FULL", reason: "default" }, key);
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");

    expect((await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).state).toBe("LIQUIDATED");
    const again = await call(lenderA, "POST", `/loans/${loan.id}/liquidate`, { scope: "PARTIAL", reason: "again" });
    expect(again.status).toBe(409);
    expect((await checkLedgerHealth(test.db)).violations).toEqual([]);
  });

  it.each([
    ["no reason", { scope: "FULL" }],
    ["an unknown scope", { scope: "EVERYTHING", reason: "x" }],
    ["an unknown field", { scope: "FULL", reason: "x", amountMicros: "1" }],
  ])("a liquidation with %s is refused (400) and changes nothing", async (_label, body) => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 50n * USD });
    expect((await call(lenderA, "POST", `/loans/${loan.id}/freeze`, { mode: "FULL", reason: "x" })).status).toBe(201);
    const response = await call(lenderA, "POST", `/loans/${loan.id}/liquidate`, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "invalid_request", message: expect.any(String) });
    expect((await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).state).toBe("FROZEN");
  });

  it("without a valid token every endpoint is a 401", async () => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 50n * USD });
    for (const [method, path] of [
      ["GET", "/loans"],
      ["GET", `/loans/${loan.id}`],
      ["POST", `/loans/${loan.id}/freeze`],
      ["POST", `/loans/${loan.id}/unfreeze`],
      ["POST", `/loans/${loan.id}/liquidate`],
      ["GET", "/alerts"],
    ] as const) {
      const response = await call(null, method, path, method === "POST" ? { mode: "FULL", reason: "x" } : undefined);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.body.error?.code).toBe("invalid_api_token");
    }
    expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(0);
  });

  it("TENANT ISOLATION: lender A's token can never read, freeze, unfreeze or liquidate lender B's loan, nor see B's alerts", async () => {
    const { loan: loanB } = await createLoan(test.db, { lender: lenderB, financedMicros: 100n * USD, principalMicros: 50n * USD });
    // B freezes its own loan, which opens a FROZEN alert for B.
    expect((await call(lenderB, "POST", `/loans/${loanB.id}/freeze`, { mode: "AMOUNT", amountMicros: "10000000", reason: "b's call" })).status).toBe(201);
    const alertB = await test.db.alert.findFirstOrThrow({ where: { loanId: loanB.id } });

    const attempts = [
      await call(lenderA, "GET", `/loans/${loanB.id}`),
      await call(lenderA, "POST", `/loans/${loanB.id}/freeze`, { mode: "FULL", reason: "grab" }),
      await call(lenderA, "POST", `/loans/${loanB.id}/freeze`, { mode: "PROTECTIVE", reason: "grab" }),
      await call(lenderA, "POST", `/loans/${loanB.id}/unfreeze`, { mode: "FULL", reason: "release" }),
      await call(lenderA, "POST", `/loans/${loanB.id}/unfreeze`, { mode: "AMOUNT", amountMicros: "1", reason: "release" }),
      await call(lenderA, "POST", `/loans/${loanB.id}/liquidate`, { scope: "FULL", reason: "sell" }),
      await call(lenderA, "POST", `/loans/${loanB.id}/liquidate`, { scope: "PARTIAL", reason: "sell" }),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({ code: "loan_not_found" });
      // The answer is the same as for a loan that does not exist.
      expect(response.body.error?.message).not.toContain(lenderB.name);
    }
    expect((await call(lenderA, "GET", "/loans/loan_that_does_not_exist")).body.error).toMatchObject({ code: "loan_not_found" });

    const listA = await call(lenderA, "GET", "/loans?limit=100");
    expect((listA.body.data as Array<{ id: string }>).map((l) => l.id)).not.toContain(loanB.id);
    expect((await call(lenderA, "GET", `/loans?startingAfter=${loanB.id}`)).status).toBe(400);
    const alertsA = await call(lenderA, "GET", "/alerts?limit=100");
    expect((alertsA.body.data as Array<{ id: string }>).map((a) => a.id)).not.toContain(alertB.id);
    expect((await call(lenderA, "GET", `/alerts?loanId=${loanB.id}`)).body.data).toEqual([]);
    expect((await call(lenderA, "GET", `/alerts?startingAfter=${alertB.id}`)).status).toBe(400);

    // B's loan is exactly as B left it.
    const after = await test.db.loan.findUniqueOrThrow({ where: { id: loanB.id } });
    expect(after.state).toBe("FROZEN");
    expect(await test.db.freezeEvent.count({ where: { loanId: loanB.id } })).toBe(1);
    expect((await test.db.creditLot.findFirstOrThrow({ where: { loanId: loanB.id } })).frozenMicros).toBe(10_000_000n);
  });

  it("lists the token's alerts, filtered by state", async () => {
    const lender = await createLender(test.db);
    const { loan } = await createLoan(test.db, { lender, financedMicros: 100n * USD, principalMicros: 50n * USD });
    await call(lender, "POST", `/loans/${loan.id}/freeze`, { mode: "FULL", reason: "one" });
    await call(lender, "POST", `/loans/${loan.id}/unfreeze`, { mode: "FULL", reason: "two" });
    const all = await call(lender, "GET", "/alerts");
    expect((all.body.data as Array<{ kind: string; state: string }>).map((a) => [a.kind, a.state]).sort()).toEqual([
      ["FROZEN", "RESOLVED"],
      ["UNFROZEN", "OPEN"],
    ]);
    const open = await call(lender, "GET", "/alerts?state=OPEN");
    expect(open.body.data).toEqual([expect.objectContaining({ kind: "UNFROZEN", state: "OPEN", loanId: loan.id, loanReference: loan.reference, severity: "info" })]);
    expect((await call(lender, "GET", "/alerts?state=SNOOZED")).status).toBe(400);
  });
});
