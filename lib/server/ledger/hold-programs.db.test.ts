import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { createStartupWithKey } from "@/test/routing-world";
import { runProgram } from "@/lib/server/db/sql-program";
import { reserveForRequest, settleRequest } from "@/lib/server/routing/metering";
import { LedgerError } from "./errors";
import { insertTransfersProgram } from "./hold-programs";

// A settlement writes all its transfers in two statements and reads the spendable balance from the
// statement that locks it: what callers rely on is that the whole settlement is all-or-nothing and
// that the spendable balance it reports is the one the ledger holds afterwards.

await describeEachProvider("hold settlement statements", (provider) => {
  let test_: TestDatabase;
  beforeAll(async () => {
    test_ = await createTestDatabase(provider);
  });
  afterAll(() => test_.drop());

  const usage = (orgId: string, apiKeyId: string, requestId: string) => ({
    orgId,
    apiKeyId,
    requestId,
    modelSlug: "m",
    providerSlug: "p",
    endpoint: "chat.completions" as const,
    inputTokens: 10,
    outputTokens: 20,
    latencyMs: 5,
    status: "ok" as const,
  });

  const balances = async (orgId: string) => {
    const accounts = await test_.db.ledgerAccount.findMany({ where: { orgId, loanId: null }, select: { type: true, balanceMicros: true } });
    return Object.fromEntries(accounts.map((account) => [account.type, account.balanceMicros]));
  };

  test("settling reports the spendable balance the ledger holds afterwards, and the held account returns to zero", async () => {
    const { org, apiKey } = await createStartupWithKey(test_.db, { creditsMicros: 1_000_000n });
    const key = { id: apiKey.id, spendCapMicros: null };
    const now = new Date();
    const first = await reserveForRequest(test_.db, { orgId: org.id, apiKey: key, requestId: "r1", worstCaseMicros: 300_000n, modelSlug: "m", now, holdTtlMs: 60_000 });
    const second = await reserveForRequest(test_.db, { orgId: org.id, apiKey: key, requestId: "r2", worstCaseMicros: 200_000n, modelSlug: "m", now, holdTtlMs: 60_000 });

    const settled = await settleRequest(test_.db, { holdId: first.id, actualMicros: 120_000n, now, apiKey: key, usage: usage(org.id, apiKey.id, "r1") });
    expect(settled.chargedMicros).toBe(120_000n);
    expect(settled.spendableLeftMicros).toBe(1_000_000n - 120_000n - 200_000n);
    expect((await balances(org.id)).STARTUP_SPENDABLE).toBe(settled.spendableLeftMicros);
    expect((await balances(org.id)).STARTUP_HELD).toBe(200_000n);

    const voided = await settleRequest(test_.db, { holdId: second.id, actualMicros: 0n, now, apiKey: key, usage: usage(org.id, apiKey.id, "r2") });
    expect(voided.spendableLeftMicros).toBe(1_000_000n - 120_000n);
    expect(await balances(org.id)).toMatchObject({ STARTUP_SPENDABLE: 880_000n, STARTUP_HELD: 0n, PLATFORM_USAGE: 120_000n });

    const replay = await settleRequest(test_.db, { holdId: first.id, actualMicros: 120_000n, now, apiKey: key, usage: usage(org.id, apiKey.id, "r1") });
    expect(replay.alreadyResolved).toBe(true);
    expect(replay.spendableLeftMicros).toBe(880_000n);
  });

  test("a settlement that would take an account below zero writes nothing at all", async () => {
    const { org, apiKey } = await createStartupWithKey(test_.db, { creditsMicros: 1_000_000n });
    const key = { id: apiKey.id, spendCapMicros: null };
    const now = new Date();
    const hold = await reserveForRequest(test_.db, { orgId: org.id, apiKey: key, requestId: "short", worstCaseMicros: 300_000n, modelSlug: "m", now, holdTtlMs: 60_000 });
    // A held balance short of the hold (only a corrupted ledger has one): the settlement must refuse.
    await test_.db.ledgerAccount.updateMany({ where: { orgId: org.id, type: "STARTUP_HELD" }, data: { balanceMicros: 100_000n } });
    const before = await balances(org.id);
    const transfersBefore = await test_.db.ledgerTransfer.count({ where: { orgId: org.id } });

    const refusal = await settleRequest(test_.db, { holdId: hold.id, actualMicros: 50_000n, now, apiKey: key, usage: usage(org.id, apiKey.id, "short") }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LedgerError);
    expect((refusal as LedgerError).code).toBe("NEGATIVE_BALANCE");
    expect((refusal as LedgerError).message).toContain("STARTUP_HELD");

    expect(await balances(org.id)).toEqual(before);
    expect(await test_.db.ledgerTransfer.count({ where: { orgId: org.id } })).toBe(transfersBefore);
    expect(await test_.db.usageEvent.count({ where: { orgId: org.id } })).toBe(0);
    expect((await test_.db.hold.findUniqueOrThrow({ where: { id: hold.id } })).status).toBe("ACTIVE");
  });

  test("several transfers in one program: every transfer with its two entries, or none", async () => {
    const { org } = await createStartupWithKey(test_.db, { creditsMicros: 1_000_000n });
    const accounts = await test_.db.ledgerAccount.findMany({ where: { orgId: org.id, loanId: null } });
    const id = (type: string) => accounts.find((account) => account.type === type)!.id;
    const transfers = [
      { idempotencyKey: `t1-${org.id}`, kind: "RESERVE", debitAccountId: id("STARTUP_SPENDABLE"), creditAccountId: id("STARTUP_HELD"), amountMicros: 7n, orgId: org.id },
      { idempotencyKey: `t2-${org.id}`, kind: "RELEASE", debitAccountId: id("STARTUP_HELD"), creditAccountId: id("STARTUP_SPENDABLE"), amountMicros: 7n, orgId: org.id },
    ];
    const ids = await runProgram(test_.db, insertTransfersProgram(transfers));
    expect(ids).toHaveLength(2);
    const stored = await test_.db.ledgerTransfer.findMany({ where: { id: { in: ids } }, include: { entries: true } });
    expect(stored.map((transfer) => [transfer.idempotencyKey, transfer.entries.map((entry) => entry.amountMicros).sort()]).sort()).toEqual([
      [`t1-${org.id}`, [-7n, 7n]],
      [`t2-${org.id}`, [-7n, 7n]],
    ]);

    // A duplicate idempotency key in the batch fails the statement: neither transfer nor any entry stays.
    const duplicate = [{ ...transfers[0], idempotencyKey: `t3-${org.id}` }, transfers[1]];
    await expect(runProgram(test_.db, insertTransfersProgram(duplicate))).rejects.toThrow();
    expect(await test_.db.ledgerTransfer.count({ where: { idempotencyKey: `t3-${org.id}` } })).toBe(0);
  });

  // PostgreSQL reserves in one statement whose snapshot is taken before it waits for the spendable
  // row's lock: a freeze committing meanwhile must still be named as the reason (402 credits_frozen),
  // not insufficient_credits. (SQLite serialises writers, so it cannot interleave this way.)
  test.runIf(provider === "postgresql")("a request waiting on a freeze's lock is refused as credits_frozen once the freeze commits", async () => {
    const { org, apiKey } = await createStartupWithKey(test_.db, { creditsMicros: 1_000_000n });
    const accounts = await test_.db.ledgerAccount.findMany({ where: { orgId: org.id, loanId: null } });
    const id = (type: string) => accounts.find((account) => account.type === type)!.id;
    const { Client } = await import("pg");
    const freezer = new Client({ connectionString: test_.url });
    await freezer.connect();
    try {
      await freezer.query("BEGIN");
      await freezer.query(`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" - 1000000 WHERE "id" = $1`, [id("STARTUP_SPENDABLE")]);
      await freezer.query(`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" + 1000000 WHERE "id" = $1`, [id("STARTUP_FROZEN")]);
      const reserving = reserveForRequest(test_.db, { orgId: org.id, apiKey: { id: apiKey.id, spendCapMicros: null }, requestId: `wait-${org.id}`, worstCaseMicros: 1_000n, modelSlug: "m", now: new Date(), holdTtlMs: 60_000 });
      const outcome = reserving.then(() => null, (error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await freezer.query("COMMIT");
      const refusal = await outcome;
      expect(refusal).toBeInstanceOf(LedgerError);
      expect((refusal as LedgerError).code).toBe("CREDITS_FROZEN");
    } finally {
      await freezer.end();
    }
    expect(await test_.db.hold.count({ where: { orgId: org.id } })).toBe(0);
  });
});
