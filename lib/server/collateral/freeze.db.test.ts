// Freeze and unfreeze against real SQLite and PostgreSQL: one transaction each (ledger, lots,
// state, alert, audit, webhook, FreezeEvent), golden figures derived by hand, the ledger's health
// after every step, and requests in flight captured by a full freeze.
import { expect, it } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getCreditBalances, reserveHold, settleHold } from "@/lib/server/ledger/ledger";
import { createLender, createLoan, VALUATION_NOW, type Lender } from "@/test/collateral-world";
import { describeEachProvider } from "@/test/databases";
import { useLenderDatabase } from "@/test/lender-database";
import { freezeLoanCollateral, unfreezeLoanCollateral } from "./freeze";

const USD = 1_000_000n;

async function expectHealthy(db: Db) {
  expect((await checkLedgerHealth(db)).violations).toEqual([]);
}

await describeEachProvider("collateral freeze", (provider) => {
  const test = useLenderDatabase(provider);

  const asLender = (l: Lender) => ({ kind: "user" as const, userId: l.userId, orgId: l.orgId });

  it("GOLDEN protective amount: min(C, ⌈debt_T × maintenance / mark⌉) less what is already frozen, at the exact mark", async () => {
    // C = 90,000 USD financed + 10,000 USD pledged = 100,000,000,000 µUSD.
    // D = principal 50,000,000,000 + interest 123,456,789 = 50,123,456,789 µUSD; APR 0, so debt_T (at the
    // end of the cure window) is D too.
    // mark = index_now / index_orig × (1 − fee) = 2,000,000 / 2,400,000 × 0.85 = 17/24 exactly (708,333 ppm shown).
    // protective = ⌈D × 1.25 × 24 / 17⌉ = ⌈50,123,456,789 × 30 / 17⌉ = ⌈1,503,703,703,670 / 17⌉ = ⌈88,453,159,039.41…⌉
    //   = 88,453,159,040 (check: × 17 = 1,503,703,703,680 ≥ 1,503,703,703,670; 88,453,159,039 × 17 = 1,503,703,703,663 < it) < C.
    //   (At the floored 708,333 ppm it was 88,453,200,665: 41,625 µUSD more than maintenance needs.)
    // A first AMOUNT freeze of 10,000,000,000 leaves 88,453,159,040 − 10,000,000,000 = 78,453,159,040 to freeze.
    const { loan, startupOrgId } = await createLoan(test.db, {
      lender: test.lender,
      financedMicros: 90_000n * USD,
      pledgedMicros: 10_000n * USD,
      principalMicros: 50_000n * USD,
      interestAccruedMicros: 123_456_789n,
      indexAtOriginationMicros: 2_400_000n,
    });
    const first = await freezeLoanCollateral(test.db, { loanId: loan.id, mode: "AMOUNT", amountMicros: 10_000n * USD, actor: asLender(test.lender), reason: "watch list", requestedAt: new Date(), lenderOrgId: test.lender.orgId, now: VALUATION_NOW });
    expect(first).toMatchObject({ fromState: "ACTIVE", state: "FROZEN", amountMicros: 10_000_000_000n, frozenMicros: 10_000_000_000n, markPpm: 708_333 });
    const protective = await freezeLoanCollateral(test.db, { loanId: loan.id, mode: "PROTECTIVE", actor: asLender(test.lender), reason: "protect", requestedAt: new Date(), lenderOrgId: test.lender.orgId, now: VALUATION_NOW });
    expect(protective).toMatchObject({
      fromState: "FROZEN",
      state: "FROZEN",
      requestedMicros: 78_453_159_040n,
      amountMicros: 78_453_159_040n,
      frozenMicros: 88_453_159_040n,
      collateralMicros: 100_000_000_000n,
      unfrozenMicros: 11_546_840_960n,
      debtMicros: 50_123_456_789n,
      markPpm: 708_333,
    });
    expect(protective.event).toMatchObject({ action: "FREEZE", mode: "PROTECTIVE", requestedMicros: 78_453_159_040n, amountMicros: 78_453_159_040n, actorKind: "user", actorUserId: test.lender.userId });
    const balances = await getCreditBalances(test.db, startupOrgId);
    expect(balances).toMatchObject({ frozenMicros: 88_453_159_040n, spendableMicros: 11_546_840_960n });
    // Once protected, another protective freeze has nothing to do.
    await expect(freezeLoanCollateral(test.db, { loanId: loan.id, mode: "PROTECTIVE", actor: asLender(test.lender), reason: "again", requestedAt: new Date(), lenderOrgId: test.lender.orgId, now: VALUATION_NOW })).rejects.toMatchObject({ status: 409, code: "nothing_to_freeze" });
    await expectHealthy(test.db);
  });

  it("a full freeze writes ledger, lots, state, FROZEN alert, audit, webhook and a FreezeEvent with its latency, in one go", async () => {
    const { loan, startupOrgId } = await createLoan(test.db, { lender: test.lender, financedMicros: 1_000n * USD, pledgedMicros: 200n * USD, ownMicros: 50n * USD, principalMicros: 800n * USD });
    await test.db.webhookEndpoint.create({ data: { orgId: test.lender.orgId, url: "https://hooks.example.test/x", secretEncrypted: "x", events: "*" } });
    const requestedAt = new Date(Date.now() - 1_234);
    const result = await freezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", actor: asLender(test.lender), reason: "  coverage dropping  ", requestedAt, lenderOrgId: test.lender.orgId });
    expect(result).toMatchObject({ state: "FROZEN", requestedMicros: 1_200_000_000n, amountMicros: 1_200_000_000n, frozenMicros: 1_200_000_000n, unfrozenMicros: 0n });
    expect(result.latencyMs).toBeGreaterThanOrEqual(1_234);
    expect(result.event.latencyMs).toBe(result.event.committedAt.getTime() - requestedAt.getTime());
    expect(result.event.requestedAt.getTime()).toBe(requestedAt.getTime());
    expect(result.event.reason).toBe("coverage dropping");

    // Own credits outside the loan stay spendable.
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ spendableMicros: 50_000_000n, frozenMicros: 1_200_000_000n });
    const lots = await test.db.creditLot.findMany({ where: { loanId: loan.id } });
    expect(lots.every((lot) => lot.frozenMicros === lot.remainingMicros)).toBe(true);

    const stored = await test.db.freezeEvent.findUniqueOrThrow({ where: { id: result.event.id } });
    expect(stored.latencyMs).toBe(result.latencyMs);
    const alerts = await test.db.alert.findMany({ where: { loanId: loan.id } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "FROZEN", severity: "critical", state: "OPEN", openKey: `${loan.id}:FROZEN`, lenderOrgId: test.lender.orgId });
    expect(alerts[0].message).toContain("coverage dropping");
    const audit = await test.db.auditLog.findMany({ where: { targetId: loan.id }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action).sort()).toEqual(["collateral.freeze", "loan.freeze"]);
    const detail = JSON.parse(audit.find((a) => a.action === "collateral.freeze")!.detailJson);
    expect(detail).toMatchObject({ amountMicros: "1200000000", mode: "FULL", reason: "coverage dropping", latencyMs: result.latencyMs });
    const deliveries = await test.db.webhookDelivery.findMany({ where: { endpoint: { orgId: test.lender.orgId } } });
    const frozenEvent = deliveries.find((d) => d.eventType === "loan.frozen" && JSON.parse(d.payload).data.loanId === loan.id);
    expect(JSON.parse(frozenEvent!.payload).data).toMatchObject({ amountMicros: "1200000000", latencyMs: result.latencyMs, freezeEventId: result.event.id });
    expect(deliveries.map((d) => d.eventType)).toEqual(expect.arrayContaining(["loan.frozen", "loan.state_changed", "alert.opened"]));
    await test.db.webhookEndpoint.deleteMany({ where: { orgId: test.lender.orgId } }).catch(() => undefined);

    // Nothing left to freeze: refused, nothing written.
    await expect(freezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", actor: asLender(test.lender), reason: "again", requestedAt: new Date(), lenderOrgId: test.lender.orgId })).rejects.toMatchObject({ status: 409, code: "nothing_to_freeze" });

    // Full unfreeze: back to ACTIVE (coverage 1,200 × 0.85 / 800 = 127.5% ≥ 125%), FROZEN resolved, UNFROZEN opened.
    const unfrozen = await unfreezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", actor: asLender(test.lender), reason: "cured", requestedAt: new Date(), lenderOrgId: test.lender.orgId });
    expect(unfrozen).toMatchObject({ fromState: "FROZEN", state: "ACTIVE", amountMicros: 1_200_000_000n, frozenMicros: 0n, coverageBps: 12_750 });
    expect(unfrozen.event).toMatchObject({ action: "UNFREEZE", mode: "FULL" });
    const after = await test.db.alert.findMany({ where: { loanId: loan.id }, orderBy: { openedAt: "asc" } });
    expect(after.map((a) => [a.kind, a.state])).toEqual(expect.arrayContaining([["FROZEN", "RESOLVED"], ["UNFROZEN", "OPEN"]]));
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ spendableMicros: 1_250_000_000n, frozenMicros: 0n });
    await expectHealthy(test.db);
  });

  it("an AMOUNT beyond the freezable collateral is refused with both figures; nothing is capped or written", async () => {
    const { loan } = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 50n * USD });
    const error = await freezeLoanCollateral(test.db, { loanId: loan.id, mode: "AMOUNT", amountMicros: 100_000_001n, actor: asLender(test.lender), reason: "x", requestedAt: new Date(), lenderOrgId: test.lender.orgId }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, code: "amount_exceeds_freezable" });
    expect((error as Error).message).toContain("$100.000000");
    expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(0);
    expect((await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).state).toBe("ACTIVE");
    await expect(freezeLoanCollateral(test.db, { loanId: loan.id, mode: "AMOUNT", actor: asLender(test.lender), reason: "x", requestedAt: new Date() })).rejects.toMatchObject({ status: 400, param: "amountMicros" });
    await expect(freezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", amountMicros: 5n, actor: asLender(test.lender), reason: "x", requestedAt: new Date() })).rejects.toMatchObject({ status: 400 });
    await expect(freezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", actor: asLender(test.lender), reason: "   ", requestedAt: new Date() })).rejects.toMatchObject({ status: 400, param: "reason" });
  });

  it("another lender's loan is not found; a partial unfreeze keeps the loan FROZEN", async () => {
    const other = await createLender(test.db);
    const { loan } = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 50n * USD });
    await expect(freezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", actor: asLender(other), reason: "x", requestedAt: new Date(), lenderOrgId: other.orgId })).rejects.toMatchObject({ status: 404, code: "loan_not_found" });
    await freezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", actor: asLender(test.lender), reason: "x", requestedAt: new Date(), lenderOrgId: test.lender.orgId });
    await expect(unfreezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", actor: asLender(other), reason: "x", requestedAt: new Date(), lenderOrgId: other.orgId })).rejects.toMatchObject({ status: 404 });
    const partial = await unfreezeLoanCollateral(test.db, { loanId: loan.id, mode: "AMOUNT", amountMicros: 30n * USD, actor: asLender(test.lender), reason: "some", requestedAt: new Date(), lenderOrgId: test.lender.orgId });
    expect(partial).toMatchObject({ state: "FROZEN", frozenMicros: 70n * USD });
    await expect(unfreezeLoanCollateral(test.db, { loanId: loan.id, mode: "AMOUNT", amountMicros: 70n * USD + 1n, actor: asLender(test.lender), reason: "x", requestedAt: new Date(), lenderOrgId: test.lender.orgId })).rejects.toMatchObject({ status: 422, code: "amount_exceeds_frozen" });
    // Releasing the rest by amount is a full unfreeze.
    expect(await unfreezeLoanCollateral(test.db, { loanId: loan.id, mode: "AMOUNT", amountMicros: 70n * USD, actor: asLender(test.lender), reason: "rest", requestedAt: new Date(), lenderOrgId: test.lender.orgId })).toMatchObject({ state: "ACTIVE", frozenMicros: 0n });
    await expectHealthy(test.db);
  });

  it("a full unfreeze returns the loan to where its facts point: MARGIN_CALL (new cure window), a margin call kept, DELINQUENT", async () => {
    const unfreeze = (loanId: string) => unfreezeLoanCollateral(test.db, { loanId, mode: "FULL", actor: asLender(test.lender), reason: "release", requestedAt: new Date(), lenderOrgId: test.lender.orgId, now: VALUATION_NOW });
    const freezeAll = (loanId: string) => freezeLoanCollateral(test.db, { loanId, mode: "FULL", actor: asLender(test.lender), reason: "hold", requestedAt: new Date(), lenderOrgId: test.lender.orgId, now: VALUATION_NOW });
    // C = 100, D = 75, mark 0.85: coverage = 85 / 75 = 11,333 bps < 12,500, no margin call open → one opens now, cure by now + 72 h.
    const low = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 75n * USD });
    await freezeAll(low.loan.id);
    expect(await unfreeze(low.loan.id)).toMatchObject({ state: "MARGIN_CALL", coverageBps: 11_333 });
    const lowAfter = await test.db.loan.findUniqueOrThrow({ where: { id: low.loan.id } });
    expect(lowAfter.marginCallAt?.getTime()).toBe(VALUATION_NOW.getTime());
    expect(lowAfter.cureDeadline?.getTime()).toBe(VALUATION_NOW.getTime() + 72 * 3_600_000);

    // A margin call already open keeps its deadline while coverage (⌊85 / 67 × 10⁴⌋ = 12,686 bps) is under 12,500 + 500.
    const open = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 67n * USD, state: "MARGIN_CALL" });
    const deadline = new Date(VALUATION_NOW.getTime() + 3_600_000);
    await test.db.loan.update({ where: { id: open.loan.id }, data: { marginCallAt: new Date(VALUATION_NOW.getTime() - 71 * 3_600_000), cureDeadline: deadline } });
    await freezeAll(open.loan.id);
    expect(await unfreeze(open.loan.id)).toMatchObject({ state: "MARGIN_CALL", coverageBps: 12_686 });
    expect((await test.db.loan.findUniqueOrThrow({ where: { id: open.loan.id } })).cureDeadline?.getTime()).toBe(deadline.getTime());

    // Coverage fine (170%), an installment 10 days past due with 5 days of grace → DELINQUENT.
    const late = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 50n * USD });
    await test.db.installment.create({ data: { loanId: late.loan.id, seq: 1, dueDate: new Date(VALUATION_NOW.getTime() - 10 * 86_400_000), amountMicros: 5n * USD, principalMicros: 5n * USD, interestMicros: 0n, status: "OVERDUE" } });
    await freezeAll(late.loan.id);
    expect(await unfreeze(late.loan.id)).toMatchObject({ state: "DELINQUENT", coverageBps: 17_000 });
    await expectHealthy(test.db);
  });

  it("a full freeze cannot take credits a request in flight holds, but freezes what the request leaves unspent when it settles", async () => {
    const { loan, startupOrgId } = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 50n * USD });
    const hold = await reserveHold(test.db, { orgId: startupOrgId, requestId: `req-${loan.id}`, amountMicros: 30n * USD, now: new Date(), ttlMs: 60_000 });
    // AMOUNT cannot reach into the held part.
    await expect(freezeLoanCollateral(test.db, { loanId: loan.id, mode: "AMOUNT", amountMicros: 71n * USD, actor: asLender(test.lender), reason: "x", requestedAt: new Date(), lenderOrgId: test.lender.orgId })).rejects.toMatchObject({ status: 422 });
    const full = await freezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", actor: asLender(test.lender), reason: "stop", requestedAt: new Date(), lenderOrgId: test.lender.orgId });
    expect(full).toMatchObject({ requestedMicros: 100n * USD, amountMicros: 70n * USD, inFlightMicros: 30n * USD, capturedHolds: 1 });
    await settleHold(test.db, { holdId: hold.id, actualMicros: 4n * USD, now: new Date() });
    // 30 held − 4 spent = 26 freeze on release: 70 + 26 = 96 frozen, nothing spendable.
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ spendableMicros: 0n, heldMicros: 0n, frozenMicros: 96n * USD });
    await expectHealthy(test.db);
  });

  it("AUTO: only the system, only with auto-freeze on and coverage below liquidation; it freezes everything", async () => {
    // C = 100 USD, D = 80 USD, mark 0.85: coverage = 85 / 80 = 106.25% < 110%.
    const { loan } = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 80n * USD, autoFreeze: true });
    const system = { kind: "system" as const, orgId: null };
    await expect(freezeLoanCollateral(test.db, { loanId: loan.id, mode: "AUTO", actor: asLender(test.lender), reason: "x", requestedAt: new Date() })).rejects.toMatchObject({ status: 403 });
    const auto = await freezeLoanCollateral(test.db, { loanId: loan.id, mode: "AUTO", actor: system, reason: "", requestedAt: new Date() });
    expect(auto).toMatchObject({ state: "FROZEN", amountMicros: 100n * USD, coverageBps: 10_625 });
    expect(auto.event).toMatchObject({ mode: "AUTO", actorKind: "system", actorUserId: null });
    // Already frozen: not due again.
    await expect(freezeLoanCollateral(test.db, { loanId: loan.id, mode: "AUTO", actor: system, reason: "", requestedAt: new Date() })).rejects.toMatchObject({ status: 409, code: "auto_freeze_not_due" });
    // A healthy loan (coverage 170%) is not auto-frozen either.
    const healthy = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 50n * USD, autoFreeze: true });
    await expect(freezeLoanCollateral(test.db, { loanId: healthy.loan.id, mode: "AUTO", actor: system, reason: "", requestedAt: new Date() })).rejects.toMatchObject({ status: 409, code: "auto_freeze_not_due" });
    await expectHealthy(test.db);
  });
});
