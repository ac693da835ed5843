// The loan page's Freeze, Unfreeze, Liquidate and enforcement-check server actions against real
// SQLite and PostgreSQL, with the real guard: only the session (next-auth) and Next's cache are
// stubbed. The enforcement check is held to the routing API itself: after each step a real chat
// completion (simulator upstream) through the gateway answers as the check said it would.
// TENANT ISOLATION: a lender acts only on its own loans (another lender's loan is "not found" and
// nothing about it changes); a startup can do none of it (403); an admin does not liquidate here.
import { expect, it, vi } from "vitest";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import { invalidateCatalog } from "@/lib/server/routing/catalog";
import { handleChatCompletions } from "@/lib/server/routing/gateway";
import { createApiKey } from "@/lib/server/services/api-keys";
import { flushCoverageHook } from "@/lib/server/valuation/hot-path";
import { createLender, createLoan, createUser, seedIndex, type Lender } from "@/test/collateral-world";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";
import { createCatalog } from "@/test/routing-world";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { freezeLoanAction } = await import("./freeze-action");
const { unfreezeLoanAction } = await import("./unfreeze-action");
const { liquidateLoanAction } = await import("./liquidate-action");
const { checkEnforcementAction } = await import("./check-enforcement-action");

const USD = 1_000_000n;

await describeEachProvider("loan page collateral actions", (provider) => {
  let lenderA: Lender;
  let lenderB: Lender;

  const test = useActionDatabase(provider, {
    async setUp(db) {
      await seedIndex(db);
      lenderA = await createLender(db);
      lenderB = await createLender(db);
      // One chat model on the built-in simulator: $10/M output tokens, so max_tokens 1 costs at most 10 µUSD.
      await createCatalog(db, [{ slug: "sim", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 0 } }], [{ slug: "desk-chat", routes: [{ provider: "sim", inputPrice: 0n, outputPrice: 10_000_000n }] }]);
      invalidateCatalog(db);
    },
    tearDown: (db) => flushCoverageHook(db),
  });

  const as = signInAs;

  /** A real chat completion by the borrower's key through the routing API's handler. */
  async function chat(apiKey: string) {
    const reply = await handleChatCompletions(
      test.db,
      new Request("http://127.0.0.1/api/v1/chat/completions", {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "desk-chat", messages: [{ role: "user", content: "hi" }], max_tokens: 1 }),
      }),
    );
    await flushCoverageHook(test.db);
    const body = reply.kind === "json" ? (reply.json as { error?: { code?: string } }) : {};
    return { status: reply.status, code: body.error?.code ?? null };
  }

  async function borrowerWithKey(spec: { ownMicros?: bigint } = {}) {
    const world = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 80n * USD, ...spec });
    const { plaintext } = await createApiKey(test.db, { orgId: world.startupOrgId, createdById: "test", name: "prod", spendCapMicros: null, rpmLimit: null });
    return { ...world, apiKey: plaintext };
  }

  it("freeze → the check says refusing: 402 credits_frozen, and the routing API refuses; unfreeze → admitting, and it admits", async () => {
    const { loan, apiKey, startupOrgId } = await borrowerWithKey();
    as(lenderA.userId);
    expect(await checkEnforcementAction({ loanId: loan.id })).toMatchObject({ ok: true, data: { loanId: loan.id, isAdmitted: true, status: 200, code: null, spendableMicros: "100000000" } });
    expect(await chat(apiKey)).toEqual({ status: 200, code: null });

    const frozen = await freezeLoanAction({ loanId: loan.id, mode: "FULL", reason: "margin call unanswered" });
    expect(frozen).toMatchObject({ ok: true, data: { loan: { state: "FROZEN" }, freezeEvent: { actorKind: "user", mode: "FULL" } } });
    if (!frozen.ok) throw new Error("unreachable");
    // The measured time from the action's start to the commit, stored on the FreezeEvent.
    expect(frozen.data.latencyMs).toBe(frozen.data.freezeEvent.latencyMs);
    expect(frozen.data.latencyMs).toBeGreaterThanOrEqual(0);
    const stored = await test.db.freezeEvent.findUniqueOrThrow({ where: { id: frozen.data.freezeEvent.id } });
    expect(stored.latencyMs).toBe(frozen.data.latencyMs);
    expect(stored.committedAt.getTime() - stored.requestedAt.getTime()).toBe(stored.latencyMs);

    const refusing = await checkEnforcementAction({ loanId: loan.id });
    expect(refusing).toMatchObject({ ok: true, data: { isAdmitted: false, status: 402, code: "credits_frozen", spendableMicros: "0" } });
    if (!refusing.ok) throw new Error("unreachable");
    // Nothing was reserved by the check: every credit is still frozen or spendable, nothing held.
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ heldMicros: 0n, spendableMicros: 0n, frozenMicros: BigInt(refusing.data.frozenMicros) });
    expect(await test.db.hold.count({ where: { orgId: startupOrgId, status: "ACTIVE" } })).toBe(0);
    expect(await chat(apiKey)).toEqual({ status: 402, code: "credits_frozen" });

    expect(await unfreezeLoanAction({ loanId: loan.id, mode: "FULL", reason: "cured" })).toMatchObject({ ok: true, data: { loan: { frozenMicros: "0" } } });
    expect(await checkEnforcementAction({ loanId: loan.id })).toMatchObject({ ok: true, data: { isAdmitted: true, code: null } });
    expect(await chat(apiKey)).toEqual({ status: 200, code: null });
    expect((await checkLedgerHealth(test.db)).violations).toEqual([]);
  });

  it("a borrower with its own credits outside the loan is still admitted after a full freeze: the check says so, with the amount", async () => {
    const { loan, apiKey } = await borrowerWithKey({ ownMicros: 7n * USD });
    as(lenderA.userId);
    expect(await freezeLoanAction({ loanId: loan.id, mode: "FULL", reason: "freeze the loan's credits" })).toMatchObject({ ok: true, data: { amountMicros: "100000000" } });
    expect(await checkEnforcementAction({ loanId: loan.id })).toMatchObject({ ok: true, data: { isAdmitted: true, status: 200, spendableMicros: "7000000", frozenMicros: "100000000" } });
    expect((await chat(apiKey)).status).toBe(200);
  });

  it("freezes a typed amount in dollars, exactly; unfreezes part of it; liquidates the frozen loan", async () => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 80n * USD });
    as(lenderA.userId);
    expect(await freezeLoanAction({ loanId: loan.id, mode: "AMOUNT", amountUsd: "$40.000001", reason: "watch" })).toMatchObject({ ok: true, data: { amountMicros: "40000001", loan: { state: "FROZEN", frozenMicros: "40000001" }, freezeEvent: { mode: "AMOUNT" } } });
    expect(await freezeLoanAction({ loanId: loan.id, mode: "FULL", reason: "all" })).toMatchObject({ ok: true, data: { amountMicros: "59999999" } });
    expect(await unfreezeLoanAction({ loanId: loan.id, mode: "AMOUNT", amountUsd: "10", reason: "some back" })).toMatchObject({ ok: true, data: { loan: { state: "FROZEN", frozenMicros: "90000000" } } });
    // C = 100, D = 80 at 0.85: the full liquidation sells ⌈80 / 0.85⌉ = 94,117,648 (90,000,000 frozen + 4,117,648 frozen for it).
    const liquidated = await liquidateLoanAction({ loanId: loan.id, scope: "FULL", reason: "default" });
    expect(liquidated).toMatchObject({ ok: true, data: { state: "LIQUIDATED", scope: "FULL", soldMicros: "94117648", frozenForSaleMicros: "4117648", lossMicros: "0" } });
    expect((await checkLedgerHealth(test.db)).violations).toEqual([]);
  });

  it.each([
    ["an amount with 7 decimals", { mode: "AMOUNT", amountUsd: "12.3456789", reason: "x" }, "amountUsd", "7 decimals"],
    ["a zero amount", { mode: "AMOUNT", amountUsd: "0", reason: "x" }, "amountUsd", "above $0"],
    ["a word for an amount", { mode: "AMOUNT", amountUsd: "forty", reason: "x" }, "amountUsd", "not a digit"],
    ["a blank reason", { mode: "FULL", reason: "   " }, "reason", "Say why"],
    ["an unknown mode", { mode: "AUTO", reason: "x" }, "mode", ""],
  ])("refuses %s with a precise message on its field, and changes nothing", async (_label, input, field, words) => {
    const { loan, startupOrgId } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 50n * USD });
    as(lenderA.userId);
    const result = await freezeLoanAction({ loanId: loan.id, ...(input as { mode: "FULL"; reason: string }) });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_request", field } });
    if (result.ok) throw new Error("unreachable");
    expect(result.error.message).toContain(words);
    expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(0);
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ frozenMicros: 0n, spendableMicros: 100n * USD });
  });

  it("refuses more than is freezable, or unfrozen, with the figures in the message, and changes nothing", async () => {
    const { loan } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 50n * USD });
    as(lenderA.userId);
    expect(await freezeLoanAction({ loanId: loan.id, mode: "AMOUNT", amountUsd: "100.000001", reason: "x" })).toMatchObject({ ok: false, error: { code: "amount_exceeds_freezable", field: "amountMicros", message: expect.stringContaining("$100.000000") } });
    expect(await unfreezeLoanAction({ loanId: loan.id, mode: "FULL", reason: "x" })).toMatchObject({ ok: false, error: { code: "loan_not_frozen" } });
    expect(await liquidateLoanAction({ loanId: loan.id, scope: "PARTIAL", reason: "x" })).toMatchObject({ ok: false, error: { code: "loan_not_frozen" } });
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toMatchObject({ state: "ACTIVE", version: loan.version });
    expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(0);
  });

  it("TENANT ISOLATION: lender A can never freeze, unfreeze, liquidate or check lender B's loan; each is 'not found' and nothing changes", async () => {
    const { loan: loanB } = await createLoan(test.db, { lender: lenderB, financedMicros: 100n * USD, principalMicros: 80n * USD });
    as(lenderB.userId);
    expect((await freezeLoanAction({ loanId: loanB.id, mode: "FULL", reason: "b" })).ok).toBe(true);
    const before = await test.db.loan.findUniqueOrThrow({ where: { id: loanB.id } });

    as(lenderA.userId);
    const attempts = [
      await freezeLoanAction({ loanId: loanB.id, mode: "FULL", reason: "grab" }),
      await freezeLoanAction({ loanId: loanB.id, mode: "PROTECTIVE", reason: "grab" }),
      await freezeLoanAction({ loanId: loanB.id, mode: "AMOUNT", amountUsd: "1", reason: "grab" }),
      await unfreezeLoanAction({ loanId: loanB.id, mode: "FULL", reason: "release" }),
      await unfreezeLoanAction({ loanId: loanB.id, mode: "AMOUNT", amountUsd: "1", reason: "release" }),
      await liquidateLoanAction({ loanId: loanB.id, scope: "FULL", reason: "sell" }),
      await liquidateLoanAction({ loanId: loanB.id, scope: "PARTIAL", reason: "sell" }),
      await checkEnforcementAction({ loanId: loanB.id }),
    ];
    for (const result of attempts) expect(result).toMatchObject({ ok: false, error: { code: "loan_not_found" } });

    const after = await test.db.loan.findUniqueOrThrow({ where: { id: loanB.id } });
    expect(after).toMatchObject({ state: "FROZEN", version: before.version, principalOutstandingMicros: before.principalOutstandingMicros });
    expect(await test.db.freezeEvent.count({ where: { loanId: loanB.id } })).toBe(1);
    expect(await test.db.ledgerTransfer.count({ where: { loanId: loanB.id, kind: "LIQUIDATE" } })).toBe(0);
  });

  it("a startup can do none of it (403), not even on its own loan; anonymous is a 401; an admin does not liquidate from the lender's desk", async () => {
    const { loan, startupUserId } = await createLoan(test.db, { lender: lenderA, financedMicros: 100n * USD, principalMicros: 80n * USD });
    as(startupUserId);
    expect(await freezeLoanAction({ loanId: loan.id, mode: "FULL", reason: "mine" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await unfreezeLoanAction({ loanId: loan.id, mode: "FULL", reason: "mine" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await liquidateLoanAction({ loanId: loan.id, scope: "FULL", reason: "mine" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await checkEnforcementAction({ loanId: loan.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    as(null);
    expect(await freezeLoanAction({ loanId: loan.id, mode: "FULL", reason: "x" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    const admin = await createUser(test.db, "PLATFORM");
    as(lenderA.userId);
    await freezeLoanAction({ loanId: loan.id, mode: "FULL", reason: "x" });
    as(admin.userId);
    expect(await liquidateLoanAction({ loanId: loan.id, scope: "FULL", reason: "x" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect((await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).state).toBe("FROZEN");
  });
});
