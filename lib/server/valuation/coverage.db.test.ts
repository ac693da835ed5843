// The coverage engine against real SQLite and PostgreSQL: GOLDEN scenarios, every figure to the µUSD,
// each expected value derived independently in the comment above it. All loans are valued on
// VALUATION_NOW (2026-03-01 12:00 UTC) against one GPU index fix of 2,000,000 µUSD/GPU-hour (2026-02-28),
// with APR 0 (no interest accrues), so the only things that move coverage are the ones each test does.
//
// Shared arithmetic: index at origination = index now → mark = (10,000 − 1,500 fee) × 100 = 850,000 ppm;
// coverage = ⌊C × 850,000 / (D × 100)⌋ bps; coverage < T ⇔ C < ⌈T × D × 100 / 850,000⌉.
import { beforeAll, expect, it } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getCreditBalances, issueCredits, pledgeCredits } from "@/lib/server/ledger/ledger";
import { reserveForRequest, settleRequest, type MeteredKey } from "@/lib/server/routing/metering";
import { createApiKey } from "@/lib/server/services/api-keys";
import { createLender, createLoan, VALUATION_NOW } from "@/test/collateral-world";
import { describeEachProvider } from "@/test/databases";
import { useLenderDatabase } from "@/test/lender-database";
import { recomputeCoverage } from "./coverage";
import { coverageHookStats, flushCoverageHook, warmCoverageHook } from "./hot-path";
import { getLoanOutlook } from "./outlook";

const USD = 1_000_000n;
const HOUR_MS = 3_600_000;
const ORIGIN = 2_000_000n;

let requestCounter = 0;

/** One routed request's metering, as the gateway does it: hold the worst case, settle the actual cost (which tells the hook). */
async function spend(db: Db, orgId: string, key: MeteredKey, amountMicros: bigint, now: Date) {
  const requestId = `golden-${++requestCounter}-${Math.random().toString(36).slice(2, 8)}`;
  const hold = await reserveForRequest(db, { orgId, apiKey: key, requestId, worstCaseMicros: amountMicros, modelSlug: "golden-model", now, holdTtlMs: 60_000 });
  const settled = await settleRequest(db, {
    holdId: hold.id,
    actualMicros: amountMicros,
    now,
    apiKey: key,
    usage: { orgId, apiKeyId: key.id, requestId, modelSlug: "golden-model", providerSlug: "simulator", endpoint: "chat.completions", inputTokens: 10, outputTokens: 10, latencyMs: 1, status: "ok" },
  });
  // settleRequest told the hot-path hook (noteBorrowerSpend); wait for what it started.
  await flushCoverageHook(db);
  return settled;
}

async function openKinds(db: Db, loanId: string) {
  return (await db.alert.findMany({ where: { loanId, openKey: { not: null } }, orderBy: { kind: "asc" } })).map((alert) => alert.kind);
}

await describeEachProvider("coverage engine", (provider) => {
  const test = useLenderDatabase(provider);
  beforeAll(async () => {
    await test.db.webhookEndpoint.create({ data: { orgId: test.lender.orgId, url: "https://hooks.example.test/coverage", secretEncrypted: "x", events: "*" } });
  });

  const deliveries = (type: string, loanId: string) => test.db.webhookDelivery.findMany({ where: { eventType: type, payload: { contains: loanId } } });

  it("GOLDEN burn down to a margin call: four settled requests, the hot-path hook recomputes only at the three threshold crossings", async () => {
    // C₀ = 100,000 USD financed = 100,000,000,000; D = 60,000,000,000 (principal, APR 0).
    // coverage₀ = ⌊100,000,000,000 × 850,000 / 6,000,000,000,000⌋ = ⌊14,166.67⌋ = 14,166 ≥ 14,000: nothing open.
    const { loan, startupOrgId } = await createLoan(test.db, { lender: test.lender, financedMicros: 100_000n * USD, principalMicros: 60_000n * USD, indexAtOriginationMicros: ORIGIN });
    const { apiKey } = await createApiKey(test.db, { orgId: startupOrgId, createdById: "test", name: "golden" });
    const key = { id: apiKey.id, spendCapMicros: null };
    const first = await recomputeCoverage(test.db, { loanId: loan.id, reason: "disbursement", now: VALUATION_NOW });
    expect(first).toMatchObject({ coverageBps: 14_166, markPpm: 850_000, collateralMicros: 100_000_000_000n, debtMicros: 60_000_000_000n, state: "ACTIVE", alerts: { opened: [], resolved: [] } });
    await warmCoverageHook(test.db, VALUATION_NOW, [startupOrgId]);
    const recomputesBefore = coverageHookStats(test.db).recomputes;

    // Each request costs 2,950 USD = 2,950,000,000 µUSD, consumed from the FINANCED lot (financed first).
    // Triggers: EW1 below ⌈14,000 × 6×10¹² / 850,000⌉ = 98,823,529,412; EW2 below ⌈13,000 × 6×10¹² / 850,000⌉ = 91,764,705,883;
    // maintenance below ⌈12,500 × 6×10¹² / 850,000⌉ = 88,235,294,118.
    // 1: C = 97,050,000,000 < 98,823,529,412 → recompute: ⌊97,050,000,000 × 850,000 / 6×10¹²⌋ = ⌊13,748.75⌋ = 13,748 → EARLY_WARNING_1.
    await spend(test.db, startupOrgId, key, 2_950n * USD, VALUATION_NOW);
    expect(coverageHookStats(test.db).recomputes - recomputesBefore).toBe(1);
    expect(await openKinds(test.db, loan.id)).toEqual(["EARLY_WARNING_1"]);
    expect((await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).lastCoverageBps).toBe(13_748);
    // 2: C = 94,100,000,000 ≥ 91,764,705,883 → no recompute (coverage would be ⌊13,330.83⌋ = 13,330: no new level).
    await spend(test.db, startupOrgId, key, 2_950n * USD, VALUATION_NOW);
    expect(coverageHookStats(test.db).recomputes - recomputesBefore).toBe(1);
    // 3: C = 91,150,000,000 < 91,764,705,883 → recompute: ⌊12,912.92⌋ = 12,912 → EARLY_WARNING_2.
    await spend(test.db, startupOrgId, key, 2_950n * USD, VALUATION_NOW);
    expect(coverageHookStats(test.db).recomputes - recomputesBefore).toBe(2);
    expect(await openKinds(test.db, loan.id)).toEqual(["EARLY_WARNING_1", "EARLY_WARNING_2"]);
    // 4: C = 88,200,000,000 < 88,235,294,118 → recompute: ⌊88,200,000,000 × 850,000 / 6×10¹²⌋ = 12,495 (exact) < 12,500
    //    → MARGIN_CALL, marginCallAt = now, cureDeadline = now + 72 h = 2026-03-04 12:00 UTC.
    await spend(test.db, startupOrgId, key, 2_950n * USD, VALUATION_NOW);
    expect(coverageHookStats(test.db).recomputes - recomputesBefore).toBe(3);

    const after = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    expect(after).toMatchObject({ state: "MARGIN_CALL", lastCoverageBps: 12_495, marginCallAt: VALUATION_NOW, cureDeadline: new Date(VALUATION_NOW.getTime() + 72 * HOUR_MS) });
    expect(after.cureDeadline!.toISOString()).toBe("2026-03-04T12:00:00.000Z");
    const marginCall = await test.db.alert.findFirstOrThrow({ where: { loanId: loan.id, kind: "MARGIN_CALL" } });
    expect(marginCall).toMatchObject({ severity: "critical", state: "OPEN", openKey: `${loan.id}:MARGIN_CALL`, coverageBps: 12_495, lenderOrgId: test.lender.orgId });
    expect(marginCall.message).toBe("Coverage fell below the 125% maintenance level (now 124.95%): margin call, cure by 2026-03-04 12:00 UTC by repaying or pledging more credits.");
    const snapshots = await test.db.coverageSnapshot.findMany({ where: { loanId: loan.id }, orderBy: { coverageBps: "desc" } });
    expect(snapshots.map((s) => [s.reason, s.collateralMicros, s.coverageBps])).toEqual([
      ["disbursement", 100_000_000_000n, 14_166],
      ["settle", 97_050_000_000n, 13_748],
      ["settle", 91_150_000_000n, 12_912],
      ["settle", 88_200_000_000n, 12_495],
    ]);
    expect(await deliveries("alert.opened", loan.id)).toHaveLength(3);
    const stateChanges = await deliveries("loan.state_changed", loan.id);
    expect(stateChanges.map((d) => JSON.parse(d.payload).data)).toEqual([expect.objectContaining({ from: "ACTIVE", to: "MARGIN_CALL", event: "coverageBelowMaintenance" })]);
    expect((await getCreditBalances(test.db, startupOrgId)).spendableMicros).toBe(88_200_000_000n);
    expect((await checkLedgerHealth(test.db)).violations).toEqual([]);

    // CURE with hysteresis. Pledging own credits raises C; leaving MARGIN_CALL needs ≥ 12,500 + 500 = 13,000.
    // Maintenance + 3 points = 12,800 needs C ≥ ⌈12,800 × 6×10¹² / 850,000⌉ = 90,352,941,177 → pledge 90,352,941,177 − 88,200,000,000 = 2,152,941,177
    // → coverage ⌊90,352,941,177 × 850,000 / 6×10¹²⌋ = 12,800 (one µUSD less gives 12,799): still MARGIN_CALL, the alert stays.
    await issueCredits(test.db, { orgId: startupOrgId, amountMicros: 10_000n * USD, idempotencyKey: `own:${startupOrgId}:cure` });
    await pledgeCredits(test.db, { orgId: startupOrgId, loanId: loan.id, lenderOrgId: test.lender.orgId, amountMicros: 2_152_941_177n });
    const plus3 = await recomputeCoverage(test.db, { loanId: loan.id, reason: "pledge", now: VALUATION_NOW });
    expect(plus3).toMatchObject({ state: "MARGIN_CALL", coverageBps: 12_800, collateralMicros: 90_352_941_177n, alerts: { opened: [], resolved: [] } });
    expect(await openKinds(test.db, loan.id)).toEqual(["EARLY_WARNING_1", "EARLY_WARNING_2", "MARGIN_CALL"]);
    // Maintenance + 5 points = 13,000 needs C ≥ ⌈13,000 × 6×10¹² / 850,000⌉ = 91,764,705,883 → pledge 1,411,764,706 more
    // → coverage 13,000 exactly: ACTIVE, margin call closed, MARGIN_CALL alert resolved. EARLY_WARNING_2 (13,000) needs 13,500 to resolve: stays.
    await pledgeCredits(test.db, { orgId: startupOrgId, loanId: loan.id, lenderOrgId: test.lender.orgId, amountMicros: 1_411_764_706n });
    const plus5 = await recomputeCoverage(test.db, { loanId: loan.id, reason: "pledge", now: VALUATION_NOW });
    expect(plus5).toMatchObject({ fromState: "MARGIN_CALL", state: "ACTIVE", coverageBps: 13_000, collateralMicros: 91_764_705_883n, alerts: { opened: [], resolved: ["MARGIN_CALL"] } });
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toMatchObject({ state: "ACTIVE", marginCallAt: null, cureDeadline: null, lastCoverageBps: 13_000 });
    expect(await openKinds(test.db, loan.id)).toEqual(["EARLY_WARNING_1", "EARLY_WARNING_2"]);
    expect(await test.db.alert.findFirstOrThrow({ where: { loanId: loan.id, kind: "MARGIN_CALL" } })).toMatchObject({ state: "RESOLVED", openKey: null, resolvedAt: VALUATION_NOW });

    // REPAYMENT (recorded by the payments service; here the principal is lowered directly): coverage 14,500 resolves both
    // early warnings (14,000 + 500 and 13,000 + 500). Largest debt with coverage ≥ 14,500: ⌊91,764,705,883 × 850,000 / 1,450,000⌋
    // = 53,793,103,448, i.e. a repayment of 60,000,000,000 − 53,793,103,448 = 6,206,896,552 (one µUSD less debt repaid gives 14,499).
    await test.db.loan.update({ where: { id: loan.id }, data: { principalOutstandingMicros: 53_793_103_448n } });
    const repaid = await recomputeCoverage(test.db, { loanId: loan.id, reason: "payment", now: VALUATION_NOW });
    expect(repaid).toMatchObject({ state: "ACTIVE", coverageBps: 14_500, debtMicros: 53_793_103_448n, alerts: { opened: [], resolved: ["EARLY_WARNING_1", "EARLY_WARNING_2"] } });
    expect(await openKinds(test.db, loan.id)).toEqual([]);
    expect(await deliveries("alert.resolved", loan.id)).toHaveLength(3);
  });

  it("GOLDEN liquidation zone: alert below 110%, kept at +3 points, resolved at +5; the cure window expires once", async () => {
    // C = 100,000,000,000, D = 78,000,000,000 → ⌊100,000,000,000 × 850,000 / 7,800,000,000,000⌋ = ⌊10,897.4⌋ = 10,897 < 11,000:
    // every coverage level is crossed at once (EW1, EW2, MARGIN_CALL, LIQUIDATION_ZONE); no auto-freeze on this loan.
    const { loan, startupOrgId } = await createLoan(test.db, { lender: test.lender, financedMicros: 100_000n * USD, principalMicros: 78_000n * USD, indexAtOriginationMicros: ORIGIN });
    const zone = await recomputeCoverage(test.db, { loanId: loan.id, reason: "monitor", now: VALUATION_NOW });
    expect(zone).toMatchObject({ state: "MARGIN_CALL", coverageBps: 10_897, isAutoFreezeDue: false, autoFreeze: null, alerts: { opened: ["EARLY_WARNING_1", "EARLY_WARNING_2", "MARGIN_CALL", "LIQUIDATION_ZONE"], resolved: [] } });
    const liquidation = await test.db.alert.findFirstOrThrow({ where: { loanId: loan.id, kind: "LIQUIDATION_ZONE" } });
    expect(liquidation).toMatchObject({ severity: "critical", coverageBps: 10_897 });
    expect(liquidation.message).toBe("Coverage fell below the 110% liquidation level (now 108.97%): the lender may freeze the collateral now.");

    // +3 points = 11,300: C ≥ ⌈11,300 × 7.8×10¹² / 850,000⌉ = 103,694,117,648 → pledge 3,694,117,648 → coverage 11,300: stays open.
    await issueCredits(test.db, { orgId: startupOrgId, amountMicros: 10_000n * USD, idempotencyKey: `own:${startupOrgId}:zone` });
    await pledgeCredits(test.db, { orgId: startupOrgId, loanId: loan.id, lenderOrgId: test.lender.orgId, amountMicros: 3_694_117_648n });
    expect(await recomputeCoverage(test.db, { loanId: loan.id, reason: "pledge", now: VALUATION_NOW })).toMatchObject({ coverageBps: 11_300, alerts: { opened: [], resolved: [] } });
    // +5 points = 11,500: C ≥ ⌈11,500 × 7.8×10¹² / 850,000⌉ = 105,529,411,765 → 1,835,294,117 more → 11,500: LIQUIDATION_ZONE resolves;
    // the margin call (needs 13,000) and the early warnings stay.
    await pledgeCredits(test.db, { orgId: startupOrgId, loanId: loan.id, lenderOrgId: test.lender.orgId, amountMicros: 1_835_294_117n });
    expect(await recomputeCoverage(test.db, { loanId: loan.id, reason: "pledge", now: VALUATION_NOW })).toMatchObject({ state: "MARGIN_CALL", coverageBps: 11_500, alerts: { opened: [], resolved: ["LIQUIDATION_ZONE"] } });

    // The cure window: deadline 2026-03-04 12:00 UTC. One minute before: pending. At the deadline, uncured (11,500 < 13,000): expired —
    // once (audit, webhook, the MARGIN_CALL alert says liquidation is allowed and is OPEN again after an acknowledgement).
    await test.db.alert.updateMany({ where: { loanId: loan.id, kind: "MARGIN_CALL" }, data: { state: "ACKNOWLEDGED", acknowledgedAt: VALUATION_NOW } });
    const deadline = new Date("2026-03-04T12:00:00.000Z");
    expect(await recomputeCoverage(test.db, { loanId: loan.id, reason: "monitor", now: new Date(deadline.getTime() - 60_000) })).toMatchObject({ isCureExpired: false });
    expect(await recomputeCoverage(test.db, { loanId: loan.id, reason: "monitor", now: deadline })).toMatchObject({ isCureExpired: true, state: "MARGIN_CALL" });
    expect(await recomputeCoverage(test.db, { loanId: loan.id, reason: "monitor", now: new Date(deadline.getTime() + HOUR_MS) })).toMatchObject({ isCureExpired: false });
    const expired = await test.db.alert.findFirstOrThrow({ where: { loanId: loan.id, kind: "MARGIN_CALL" } });
    expect(expired).toMatchObject({ state: "OPEN", acknowledgedAt: null });
    expect(expired.message).toBe("The cure window closed at 2026-03-04 12:00 UTC with coverage at 115.00%, below the maintenance level: the lender may freeze and liquidate the collateral.");
    expect(await test.db.auditLog.count({ where: { targetId: loan.id, action: "loan.cureExpired" } })).toBe(1);
    const cureEvents = (await deliveries("loan.state_changed", loan.id)).map((d) => JSON.parse(d.payload).data).filter((data) => data.event === "cureExpired");
    expect(cureEvents).toEqual([expect.objectContaining({ from: "MARGIN_CALL", to: "MARGIN_CALL", isLiquidationAllowed: true, cureDeadline: "2026-03-04T12:00:00.000Z" })]);
  });

  it("GOLDEN auto-freeze: below liquidation a loan with auto-freeze freezes itself right after the recompute", async () => {
    // Same figures as above (coverage 10,897 < 11,000). The recompute moves ACTIVE → MARGIN_CALL; the auto-freeze then freezes
    // all 100,000,000,000 µUSD (the startup has no other credits, so all of it is spendable) and the loan is FROZEN.
    const { loan, startupOrgId } = await createLoan(test.db, { lender: test.lender, financedMicros: 100_000n * USD, principalMicros: 78_000n * USD, indexAtOriginationMicros: ORIGIN, autoFreeze: true });
    const result = await recomputeCoverage(test.db, { loanId: loan.id, reason: "monitor", now: VALUATION_NOW });
    expect(result).toMatchObject({ state: "MARGIN_CALL", coverageBps: 10_897, isAutoFreezeDue: true, autoFreezeError: null });
    expect(result.autoFreeze).toMatchObject({ fromState: "MARGIN_CALL", state: "FROZEN", amountMicros: 100_000_000_000n, frozenMicros: 100_000_000_000n });
    expect(result.autoFreeze!.event).toMatchObject({ mode: "AUTO", actorKind: "system" });
    expect(await openKinds(test.db, loan.id)).toEqual(["EARLY_WARNING_1", "EARLY_WARNING_2", "FROZEN", "LIQUIDATION_ZONE", "MARGIN_CALL"]);
    expect((await test.db.alert.findFirstOrThrow({ where: { loanId: loan.id, kind: "LIQUIDATION_ZONE" } })).message).toBe(
      "Coverage fell below the 110% liquidation level (now 108.97%): the collateral freezes automatically.",
    );
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ spendableMicros: 0n, frozenMicros: 100_000_000_000n });
    // A FROZEN loan is not frozen again, and nothing else changes.
    expect(await recomputeCoverage(test.db, { loanId: loan.id, reason: "monitor", now: VALUATION_NOW })).toMatchObject({ state: "FROZEN", isAutoFreezeDue: false, autoFreeze: null, alerts: { opened: [], resolved: [] } });
    expect((await checkLedgerHealth(test.db)).violations).toEqual([]);
  });

  it("GOLDEN payment overdue and burn above plan, opened and resolved with the monitor's recompute", async () => {
    // Coverage ⌊100,000,000,000 × 850,000 / 6×10¹²⌋ = 14,166: no coverage alert.
    // Installment 1 (1,000 USD) due 2026-02-20, unpaid: 2026-03-01 is 9 whole days later > 5 days of grace → overdue.
    // (Installment 2, the last, is not due yet.) Spend 900 + 500 = 1,400 USD on each of 2026-02-22 … 02-28 (the 7 complete
    // days before today) → 7-day burn 1,400,000,000/day > plan 1,000,000,000 × 1.2 = 1,200,000,000 → above plan, by
    // (1,400 − 1,000) / 1,000 = 40.00%.
    const { loan, startupOrgId } = await createLoan(test.db, { lender: test.lender, financedMicros: 100_000n * USD, principalMicros: 60_000n * USD, indexAtOriginationMicros: ORIGIN });
    await test.db.loan.update({ where: { id: loan.id }, data: { plannedBurnMicrosPerDay: 1_000n * USD } });
    await test.db.installment.create({ data: { loanId: loan.id, seq: 1, dueDate: new Date("2026-02-20T00:00:00Z"), amountMicros: 1_000n * USD, principalMicros: 1_000n * USD, interestMicros: 0n, status: "DUE" } });
    await test.db.installment.create({ data: { loanId: loan.id, seq: 2, dueDate: new Date("2026-03-20T00:00:00Z"), amountMicros: 59_000n * USD, principalMicros: 59_000n * USD, interestMicros: 0n, status: "DUE" } });
    for (let day = 22; day <= 28; day++) {
      for (const [modelSlug, cost] of [["gpt-4o-mini", 900n * USD], ["claude-haiku", 500n * USD]] as const) {
        await test.db.usageDaily.create({ data: { orgId: startupOrgId, day: `2026-02-${day}`, modelSlug, providerSlug: "simulator", requests: 1, costMicros: cost } });
      }
    }
    // Today's partial spend is not part of the 7-day burn.
    await test.db.usageDaily.create({ data: { orgId: startupOrgId, day: "2026-03-01", modelSlug: "gpt-4o-mini", providerSlug: "simulator", requests: 1, costMicros: 50_000n * USD } });
    const opened = await recomputeCoverage(test.db, { loanId: loan.id, reason: "monitor", now: VALUATION_NOW, accrue: true });
    expect(opened).toMatchObject({ coverageBps: 14_166, burnMicrosPerDay: 1_400_000_000n, alerts: { opened: ["PAYMENT_OVERDUE", "BURN_ABOVE_PLAN"], resolved: [] } });
    const alerts = await test.db.alert.findMany({ where: { loanId: loan.id }, orderBy: { kind: "asc" } });
    expect(alerts.map((a) => [a.kind, a.severity, a.message])).toEqual([
      ["BURN_ABOVE_PLAN", "warning", "7-day burn is $1,400.00/day, 40.00% above the planned $1,000.00/day."],
      ["PAYMENT_OVERDUE", "critical", "Installment 1 ($1,000.00 unpaid, due 2026-02-20) is 9 days overdue, past the 5-day grace period."],
    ]);
    expect(await recomputeCoverage(test.db, { loanId: loan.id, reason: "monitor", now: VALUATION_NOW })).toMatchObject({ alerts: { opened: [], resolved: [] } });

    // Paid, and a plan of 1,500 USD/day (burn 1,400 ≤ plan): both resolve.
    await test.db.installment.update({ where: { loanId_seq: { loanId: loan.id, seq: 1 } }, data: { paidMicros: 1_000n * USD, status: "PAID" } });
    await test.db.loan.update({ where: { id: loan.id }, data: { plannedBurnMicrosPerDay: 1_500n * USD } });
    expect(await recomputeCoverage(test.db, { loanId: loan.id, reason: "payment", now: VALUATION_NOW })).toMatchObject({ alerts: { opened: [], resolved: ["PAYMENT_OVERDUE", "BURN_ABOVE_PLAN"] } });
  });

  it("GOLDEN days to margin call from the 7-day burn and the installment schedule, with what-ifs; org-scoped", async () => {
    // C₀ = 100,000,000,000, D₀ = 60,000,000,000, burn 1,000 USD/day (7 days of rollups), index flat (one fix: slope 0),
    // installment of 5,000 USD due 2026-03-06 00:00 → day ⌈(03-06 00:00 − 03-01 12:00) / 24 h⌉ = ⌈4.5⌉ = 5, debt 55,000,000,000 from then.
    // Margin call when C_d < ⌈12,500 × 55×10⁹ × 100 / 850,000⌉ = 80,882,352,942, C_d = 10¹¹ − d × 10⁹:
    //   day 19: C = 81,000,000,000 → ⌊81×10⁹ × 850,000 / 5.5×10¹²⌋ = 12,518 (not yet); day 20: 80×10⁹ → 12,363 < 12,500 → 20 days, 2026-03-21.
    const { loan, startupOrgId } = await createLoan(test.db, { lender: test.lender, financedMicros: 100_000n * USD, principalMicros: 60_000n * USD, indexAtOriginationMicros: ORIGIN });
    await test.db.installment.create({ data: { loanId: loan.id, seq: 1, dueDate: new Date("2026-03-06T00:00:00Z"), amountMicros: 5_000n * USD, principalMicros: 5_000n * USD, interestMicros: 0n, status: "DUE" } });
    await test.db.installment.create({ data: { loanId: loan.id, seq: 2, dueDate: new Date("2026-09-06T00:00:00Z"), amountMicros: 55_000n * USD, principalMicros: 55_000n * USD, interestMicros: 0n, status: "DUE" } });
    for (let day = 22; day <= 28; day++) await test.db.usageDaily.create({ data: { orgId: startupOrgId, day: `2026-02-${day}`, modelSlug: "m", providerSlug: "p", requests: 1, costMicros: 1_000n * USD } });

    const asLender = await getLoanOutlook(test.db, { loanId: loan.id, viewerOrgId: test.lender.orgId, now: VALUATION_NOW, horizonDays: 60 });
    expect(asLender.assumptions).toMatchObject({ burnMicrosPerDay: 1_000_000_000n, interestMicrosPerDay: 0n, indexTrendMicrosPerDay: 0n, dailySpendMicros: Array(7).fill(1_000_000_000n) });
    expect(asLender.projection).toMatchObject({ daysToMarginCall: 20, marginCallDate: "2026-03-21" });
    expect(asLender.projection.series[19]).toMatchObject({ day: 19, collateralMicros: 81_000_000_000n, debtMicros: 55_000_000_000n, coverageBps: 12_518 });
    expect(asLender.projection.series[20]).toMatchObject({ day: 20, collateralMicros: 80_000_000_000n, coverageBps: 12_363 });
    expect(asLender.projection.series[4]).toMatchObject({ day: 4, debtMicros: 60_000_000_000n });
    expect(asLender.projection.series[5]).toMatchObject({ day: 5, debtMicros: 55_000_000_000n });
    expect(asLender.projection.series).toHaveLength(61);

    // What-if: burn +50% → 1,500,000,000/day. Before day 5 the threshold is ⌈12,500 × 6×10¹³ / 850,000⌉ = 88,235,294,118:
    // day 4: C = 94×10⁹ (fine); from day 5 (debt 55×10⁹) C_d < 80,882,352,942 ⇔ 1.5×10⁹ × d > 19,117,647,058 ⇔ d ≥ 13 (C₁₃ = 80,500,000,000 → 12,440;
    // C₁₂ = 82×10⁹ → 12,672). → 13 days.
    const faster = await getLoanOutlook(test.db, { loanId: loan.id, viewerOrgId: startupOrgId, now: VALUATION_NOW, horizonDays: 60 }, { burnChangeBps: 5_000 });
    expect(faster.whatIf).toMatchObject({ daysToMarginCall: 13, marginCallDate: "2026-03-14", baseline: { daysToMarginCall: 20 } });
    expect(faster.whatIf!.series[13]).toMatchObject({ collateralMicros: 80_500_000_000n, coverageBps: 12_440 });
    // What-if: pledge 10,000 USD today → C₀ = 110×10⁹: C_d < 80,882,352,942 ⇔ 10⁹ × d > 29,117,647,058 ⇔ d ≥ 30 (C₃₀ = 80×10⁹).
    const pledged = await getLoanOutlook(test.db, { loanId: loan.id, viewerOrgId: test.lender.orgId, now: VALUATION_NOW, horizonDays: 60 }, { extraPledgeMicros: 10_000n * USD });
    expect(pledged.whatIf).toMatchObject({ daysToMarginCall: 30, coverageBpsNow: 15_583 }); // ⌊110×10⁹ × 850,000 / 6×10¹²⌋ = ⌊15,583.3⌋

    const stranger = await createLender(test.db);
    await expect(getLoanOutlook(test.db, { loanId: loan.id, viewerOrgId: stranger.orgId, now: VALUATION_NOW })).rejects.toMatchObject({ status: 404, code: "loan_not_found" });
    await expect(getLoanOutlook(test.db, { loanId: loan.id, viewerOrgId: test.lender.orgId, now: VALUATION_NOW }, { burnChangeBps: -20_000 })).rejects.toMatchObject({ status: 400 });
  });

  it("a closed loan is valued but nothing is written", async () => {
    const { loan } = await createLoan(test.db, { lender: test.lender, financedMicros: 10n * USD, principalMicros: 8n * USD, state: "REPAID" });
    const result = await recomputeCoverage(test.db, { loanId: loan.id, reason: "monitor", now: VALUATION_NOW });
    expect(result).toMatchObject({ isRecorded: false, state: "REPAID" });
    expect(await test.db.coverageSnapshot.count({ where: { loanId: loan.id } })).toBe(0);
    await expect(recomputeCoverage(test.db, { loanId: "nope", reason: "monitor", now: VALUATION_NOW })).rejects.toMatchObject({ status: 404 });
  });
});
