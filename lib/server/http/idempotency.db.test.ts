// Stripe-style idempotency against real SQLite and PostgreSQL: replays, a key reused for another
// request, concurrent duplicates (exactly one runs), failures that free the key, expiry.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb } from "@/lib/server/db/client";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { idempotencyRequestHash, IN_FLIGHT_TTL_MS, KEY_TTL_MS, withIdempotency, type IdempotentResponse } from "./idempotency";

await describeEachProvider("Idempotency", (provider) => {
  let test: TestDatabase;
  let sequence = 0;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await test?.drop();
  });

  async function newOrg() {
    sequence++;
    const org = await test.db.organization.create({ data: { name: `Org ${sequence}`, slug: `idem-${provider}-${sequence}`, kind: "LENDER" } });
    return org.id;
  }

  const hashOf = (body: string) => idempotencyRequestHash("POST", "/api/lender/v1/loans/L1/freeze", body);

  /** A run() that counts its calls and answers what it is told. */
  function counter(response: IdempotentResponse = { status: 201, body: '{"ok":true}' }) {
    const state = { calls: 0 };
    const run = async () => {
      state.calls++;
      return { ...response, body: response.body.replace("}", `,"call":${state.calls}}`) };
    };
    return { state, run };
  }

  it("the same key and the same request replay the stored status and body; run() ran once", async () => {
    const orgId = await newOrg();
    const { state, run } = counter();
    const first = await withIdempotency(test.db, { orgId, key: "k1", requestHash: hashOf("{}") }, run);
    expect(first).toEqual({ status: 201, body: '{"ok":true,"call":1}', isReplay: false });
    const second = await withIdempotency(test.db, { orgId, key: "k1", requestHash: hashOf("{}") }, run);
    expect(second).toEqual({ status: 201, body: '{"ok":true,"call":1}', isReplay: true });
    expect(state.calls).toBe(1);
  });

  it("a 4xx answer is stored and replayed too", async () => {
    const orgId = await newOrg();
    const { state, run } = counter({ status: 409, body: '{"error":{"code":"loan_not_frozen"}}' });
    await withIdempotency(test.db, { orgId, key: "k", requestHash: hashOf("{}") }, run);
    expect(await withIdempotency(test.db, { orgId, key: "k", requestHash: hashOf("{}") }, run)).toMatchObject({ status: 409, isReplay: true });
    expect(state.calls).toBe(1);
  });

  it.each([
    ["another body", "POST", "/api/lender/v1/loans/L1/freeze", '{"amount":"6"}'],
    ["another path", "POST", "/api/lender/v1/loans/L2/freeze", '{"amount":"5"}'],
    ["another method", "PUT", "/api/lender/v1/loans/L1/freeze", '{"amount":"5"}'],
  ])("the same key with %s is a 422 idempotency_key_reused, and nothing runs", async (_label, method, path, body) => {
    const orgId = await newOrg();
    const { state, run } = counter();
    await withIdempotency(test.db, { orgId, key: "k", requestHash: idempotencyRequestHash("POST", "/api/lender/v1/loans/L1/freeze", '{"amount":"5"}') }, run);
    await expect(withIdempotency(test.db, { orgId, key: "k", requestHash: idempotencyRequestHash(method, path, body) }, run)).rejects.toMatchObject({
      status: 422,
      code: "idempotency_key_reused",
    });
    expect(state.calls).toBe(1);
  });

  it("concurrent duplicates: exactly one runs, the others get 409 idempotency_key_in_use, then replays", async () => {
    const orgId = await newOrg();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const run = async () => {
      calls++;
      await gate;
      return { status: 200, body: '{"frozen":true}' };
    };
    // Half the callers on a second client with its own connections, as another app instance.
    const { db: otherInstance } = createDb(test.url);
    try {
      let refused = 0;
      const callers = Array.from({ length: 10 }, (_, i) =>
        withIdempotency(i % 2 ? otherInstance : test.db, { orgId, key: "same", requestHash: hashOf("{}") }, run).then(
          (result) => ({ ok: true as const, result }),
          (error: unknown) => (refused++, { ok: false as const, error }),
        ),
      );
      // Every duplicate is answered while the one that runs is still in progress (a fixed wait
      // was not enough when the second instance's connections were slow to open under load).
      await expect.poll(() => refused, { timeout: 60_000, interval: 20 }).toBe(9);
      release();
      const outcomes = await Promise.all(callers);
      expect(calls).toBe(1);
      const winners = outcomes.filter((o) => o.ok);
      expect(winners).toHaveLength(1);
      for (const loser of outcomes.filter((o) => !o.ok)) expect(loser.error).toMatchObject({ status: 409, code: "idempotency_key_in_use" });
    } finally {
      await otherInstance.$disconnect();
    }
    expect(await withIdempotency(test.db, { orgId, key: "same", requestHash: hashOf("{}") }, run)).toEqual({ status: 200, body: '{"frozen":true}', isReplay: true });
    expect(calls).toBe(1);
  });

  it("if run() throws, the key is freed and a retry runs", async () => {
    const orgId = await newOrg();
    await expect(
      withIdempotency(test.db, { orgId, key: "k", requestHash: hashOf("{}") }, async () => {
        throw new Error("database hiccup");
      }),
    ).rejects.toThrow("database hiccup");
    expect(await test.db.idempotencyRecord.count({ where: { orgId } })).toBe(0);
    const { state, run } = counter();
    expect(await withIdempotency(test.db, { orgId, key: "k", requestHash: hashOf("{}") }, run)).toMatchObject({ status: 201, isReplay: false });
    expect(state.calls).toBe(1);
  });

  it("a 5xx answer is returned but not stored: a retry runs again", async () => {
    const orgId = await newOrg();
    const failing = counter({ status: 503, body: '{"error":{}}' });
    expect(await withIdempotency(test.db, { orgId, key: "k", requestHash: hashOf("{}") }, failing.run)).toMatchObject({ status: 503, isReplay: false });
    expect(await test.db.idempotencyRecord.count({ where: { orgId } })).toBe(0);
    const ok = counter();
    expect(await withIdempotency(test.db, { orgId, key: "k", requestHash: hashOf("{}") }, ok.run)).toMatchObject({ status: 201, isReplay: false });
  });

  it("without a key every call runs", async () => {
    const orgId = await newOrg();
    const { state, run } = counter();
    await withIdempotency(test.db, { orgId, key: null, requestHash: hashOf("{}") }, run);
    await withIdempotency(test.db, { orgId, key: undefined, requestHash: hashOf("{}") }, run);
    expect(state.calls).toBe(2);
    expect(await test.db.idempotencyRecord.count({ where: { orgId } })).toBe(0);
  });

  it("keys belong to an organisation: the same key in another one is independent", async () => {
    const lenderA = await newOrg();
    const lenderB = await newOrg();
    const { state, run } = counter();
    await withIdempotency(test.db, { orgId: lenderA, key: "shared", requestHash: hashOf("{}") }, run);
    const b = await withIdempotency(test.db, { orgId: lenderB, key: "shared", requestHash: hashOf('{"other":1}') }, run);
    expect(b).toMatchObject({ isReplay: false, body: '{"ok":true,"call":2}' });
    expect(state.calls).toBe(2);
  });

  it.each([
    ["an empty key", ""],
    ["a key of 256 characters", "k".repeat(256)],
    ["a key with a space", "a b"],
    ["a key with a newline", "a\nb"],
  ])("refuses %s with a 400", async (_label, key) => {
    const orgId = await newOrg();
    await expect(withIdempotency(test.db, { orgId, key, requestHash: hashOf("{}") }, counter().run)).rejects.toMatchObject({ status: 400, code: "invalid_idempotency_key" });
  });

  it("a key older than 24 hours can be used again, for any request", async () => {
    const orgId = await newOrg();
    const t0 = new Date("2026-03-01T00:00:00.000Z");
    const { state, run } = counter();
    await withIdempotency(test.db, { orgId, key: "k", requestHash: hashOf("{}"), now: t0 }, run);
    const later = new Date(t0.getTime() + KEY_TTL_MS + 1);
    expect(await withIdempotency(test.db, { orgId, key: "k", requestHash: hashOf('{"new":1}'), now: later }, run)).toMatchObject({ isReplay: false });
    expect(state.calls).toBe(2);
  });

  it("a placeholder left by a crashed request blocks the key for 5 minutes, then is taken over", async () => {
    const orgId = await newOrg();
    const t0 = new Date("2026-03-01T00:00:00.000Z");
    // What a process that died inside run() leaves behind.
    await test.db.idempotencyRecord.create({ data: { orgId, key: "k", requestHash: hashOf("{}"), responseStatus: 0, responseBody: "in-flight:dead", createdAt: t0 } });
    const { state, run } = counter();
    await expect(withIdempotency(test.db, { orgId, key: "k", requestHash: hashOf("{}"), now: new Date(t0.getTime() + IN_FLIGHT_TTL_MS - 1) }, run)).rejects.toMatchObject({ status: 409 });
    const result = await withIdempotency(test.db, { orgId, key: "k", requestHash: hashOf("{}"), now: new Date(t0.getTime() + IN_FLIGHT_TTL_MS + 1) }, run);
    expect(result).toMatchObject({ status: 201, isReplay: false });
    expect(state.calls).toBe(1);
    const replayAt = new Date(t0.getTime() + IN_FLIGHT_TTL_MS + 2);
    expect(await withIdempotency(test.db, { orgId, key: "k", requestHash: hashOf("{}"), now: replayAt }, run)).toMatchObject({ isReplay: true, body: '{"ok":true,"call":1}' });
  });

  it("the request hash covers method, path and raw body byte for byte", () => {
    const base = idempotencyRequestHash("POST", "/a", '{"x":1}');
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotencyRequestHash("post", "/a", '{"x":1}')).toBe(base);
    expect(idempotencyRequestHash("POST", "/a", '{"x": 1}')).not.toBe(base);
    expect(idempotencyRequestHash("POST", "/b", '{"x":1}')).not.toBe(base);
  });
});
