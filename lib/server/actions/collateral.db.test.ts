// The collateral server actions against real SQLite and PostgreSQL, with the real guard: only the
// session (next-auth) and Next's cache are stubbed. TENANT ISOLATION matrix: a lender acts only on
// its own loans (another lender's loan is "not found"), a startup can do none of it (403), an admin
// may liquidate any loan but not freeze.
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { createLender, createLoan, createUser, seedIndex, type Lender } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";

const session = vi.hoisted(() => ({ db: null as unknown, userId: null as string | null }));

vi.mock("next-auth", () => ({ getServerSession: async () => (session.userId ? { userId: session.userId, authTimeMs: Date.now() } : null) }));
vi.mock("@/lib/server/auth/options", () => ({ authOptions: {} }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/server/db/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/server/db/client")>();
  const db = new Proxy({} as Db, {
    get(_target, property) {
      const client = session.db as Record<string | symbol, unknown>;
      if (property === "$blockableClient") return client;
      const value = client[property];
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
    },
  });
  return { ...actual, db };
});

const { freezeCollateral, liquidateLoan, unfreezeCollateral } = await import("./collateral");

const USD = 1_000_000n;

await describeEachProvider("collateral actions", (provider) => {
  let test: TestDatabase;
  let lenderA: Lender;
  let lenderB: Lender;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    session.db = test.db;
    await seedIndex(test.db);
    lenderA = await createLender(test.db);
    lenderB = await createLender(test.db);
  });
  beforeEach(() => {
    session.db = test.db;
    session.userId = null;
  });
  afterAll(async () => {
    await test?.drop();
  });

  const as = (userId: string | null) => {
    session.userId = userId;
  };

  it("a lender freezes, unfreezes and liquidates its own loan; the freeze answers with its latency", async () => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 80n * USD });
    as(lenderA.userId);
    const frozen = await freezeCollateral({ loanId: loan.id, mode: "AMOUNT", amountMicros: "40000000", reason: "watch" });
    expect(frozen).toMatchObject({ ok: true, data: { amountMicros: "40000000", loan: { state: "FROZEN", frozenMicros: "40000000" }, freezeEvent: { actorKind: "user", mode: "AMOUNT" } } });
    if (!frozen.ok) throw new Error("unreachable");
    expect(frozen.data.latencyMs).toBe(frozen.data.freezeEvent.latencyMs);
    expect(await freezeCollateral({ loanId: loan.id, mode: "FULL", reason: "all" })).toMatchObject({ ok: true, data: { amountMicros: "60000000" } });
    expect(await unfreezeCollateral({ loanId: loan.id, mode: "AMOUNT", amountMicros: "10000000", reason: "some back" })).toMatchObject({ ok: true, data: { loan: { state: "FROZEN", frozenMicros: "90000000" } } });
    const liquidated = await liquidateLoan({ loanId: loan.id, scope: "FULL", reason: "default" });
    expect(liquidated).toMatchObject({ ok: true, data: { state: "LIQUIDATED", scope: "FULL" } });
    expect((await checkLedgerHealth(test.db)).violations).toEqual([]);
  });

  it.each([
    ["an amount with decimals", { mode: "AMOUNT", amountMicros: "12.5", reason: "x" }, "amountMicros"],
    ["a zero amount", { mode: "AMOUNT", amountMicros: "0", reason: "x" }, "amountMicros"],
    ["a blank reason", { mode: "FULL", reason: "   " }, "reason"],
    ["an unknown mode", { mode: "AUTO", reason: "x" }, "mode"],
  ])("refuses %s as a field error", async (_label, input, field) => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 50n * USD });
    as(lenderA.userId);
    const result = await freezeCollateral({ loanId: loan.id, ...(input as { mode: "FULL"; reason: string }) });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_request", field } });
    expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(0);
  });

  it("TENANT ISOLATION: lender A can never freeze, unfreeze or liquidate lender B's loan; each is 'not found'", async () => {
    const { loan: loanB } = await createLoan(test.db, { lender: lenderB, financedMicros: 100n * USD, principalMicros: 80n * USD });
    as(lenderB.userId);
    expect((await freezeCollateral({ loanId: loanB.id, mode: "FULL", reason: "b" })).ok).toBe(true);
    const before = await test.db.loan.findUniqueOrThrow({ where: { id: loanB.id } });

    as(lenderA.userId);
    const attempts = [
      await freezeCollateral({ loanId: loanB.id, mode: "FULL", reason: "grab" }),
      await freezeCollateral({ loanId: loanB.id, mode: "PROTECTIVE", reason: "grab" }),
      await freezeCollateral({ loanId: loanB.id, mode: "AMOUNT", amountMicros: "1", reason: "grab" }),
      await unfreezeCollateral({ loanId: loanB.id, mode: "FULL", reason: "release" }),
      await unfreezeCollateral({ loanId: loanB.id, mode: "AMOUNT", amountMicros: "1", reason: "release" }),
      await liquidateLoan({ loanId: loanB.id, scope: "FULL", reason: "sell" }),
      await liquidateLoan({ loanId: loanB.id, scope: "PARTIAL", reason: "sell" }),
    ];
    for (const result of attempts) expect(result).toMatchObject({ ok: false, error: { code: "loan_not_found" } });

    const after = await test.db.loan.findUniqueOrThrow({ where: { id: loanB.id } });
    expect(after).toMatchObject({ state: "FROZEN", version: before.version, principalOutstandingMicros: before.principalOutstandingMicros });
    expect(await test.db.freezeEvent.count({ where: { loanId: loanB.id } })).toBe(1);
  });

  it("a startup can do none of it (403), not even on its own loan; anonymous is a 401", async () => {
    const { loan, startupUserId } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 80n * USD });
    as(startupUserId);
    expect(await freezeCollateral({ loanId: loan.id, mode: "FULL", reason: "mine" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await unfreezeCollateral({ loanId: loan.id, mode: "FULL", reason: "mine" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await liquidateLoan({ loanId: loan.id, scope: "FULL", reason: "mine" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    as(null);
    expect(await freezeCollateral({ loanId: loan.id, mode: "FULL", reason: "x" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect((await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).state).toBe("ACTIVE");
  });

  it("an admin may liquidate any lender's loan, but not freeze or unfreeze", async () => {
    const admin = await createUser(test.db, "PLATFORM");
    const { loan } = await createLoan(test.db, { lender: lenderB, financedMicros: 100n * USD, principalMicros: 80n * USD });
    as(admin.userId);
    expect(await freezeCollateral({ loanId: loan.id, mode: "FULL", reason: "x" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    as(lenderB.userId);
    await freezeCollateral({ loanId: loan.id, mode: "FULL", reason: "x" });
    as(admin.userId);
    expect(await unfreezeCollateral({ loanId: loan.id, mode: "FULL", reason: "x" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const result = await liquidateLoan({ loanId: loan.id, scope: "PARTIAL", reason: "desk" });
    expect(result).toMatchObject({ ok: true, data: { state: "FROZEN", scope: "PARTIAL" } });
    const audit = await test.db.auditLog.findFirstOrThrow({ where: { targetId: loan.id, action: "collateral.liquidate" } });
    expect(audit).toMatchObject({ actorUserId: admin.userId, orgId: admin.orgId });
    const startup = await createUser(test.db, "STARTUP");
    as(startup.userId);
    expect(await liquidateLoan({ loanId: loan.id, scope: "FULL", reason: "x" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });
});
