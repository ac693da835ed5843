// The startup's overview against real SQLite and PostgreSQL: its figures are the ones the routing
// API's account endpoints give the same organisation (the same ledger and rollups), the cure
// amounts are the domain's, and a margin call opened or cured and a freeze or unfreeze each leave
// a notification in the same commit — seen only by that startup.
import { expect, it } from "vitest";
import { addDays } from "@/lib/domain/startup/burn";
import { cureAmountsMicros } from "@/lib/domain/valuation";
import { utcDay } from "@/lib/domain/valuation/days";
import { freezeLoanCollateral, unfreezeLoanCollateral } from "@/lib/server/collateral/freeze";
import { issueCredits, pledgeCredits } from "@/lib/server/ledger/ledger";
import { listNotifications, markNotificationsRead } from "@/lib/server/notifications/notifications";
import { handleCredits, handleUsage } from "@/lib/server/routing/account";
import { recomputeCoverage } from "@/lib/server/valuation/coverage";
import { createLoan, VALUATION_NOW } from "@/test/collateral-world";
import { describeEachProvider } from "@/test/databases";
import { useLenderDatabase } from "@/test/lender-database";
import { createStartupWithKey } from "@/test/routing-world";
import { getStartupBurn, getStartupLive } from "./startup-overview";

const USD = 1_000_000n;

await describeEachProvider("startup overview", (provider) => {
  const test = useLenderDatabase(provider);

  it("balances and 30-day spend equal GET /api/v1/account/credits and /account/usage for the same org", async () => {
    const { db } = test;
    const now = new Date();
    const today = utcDay(now);
    const { org, plaintext } = await createStartupWithKey(db, { creditsMicros: 5_000n * USD });
    const rollup = (day: string, modelSlug: string, providerSlug: string, costMicros: bigint) =>
      db.usageDaily.create({ data: { orgId: org.id, day, modelSlug, providerSlug, requests: 3, inputTokens: 1_000n, outputTokens: 200n, costMicros } });
    await rollup(today, "model-a", "sim", 1_234_567n);
    await rollup(addDays(today, -1), "model-a", "sim", 10n * USD);
    await rollup(addDays(today, -1), "model-b", "backup", 3n * USD + 1n);
    await rollup(addDays(today, -29), "model-b", "sim", 7n * USD);
    await rollup(addDays(today, -30), "model-a", "sim", 99n * USD); // outside the usage range ending today, inside the 30 complete days before it
    const other = await createStartupWithKey(db, { creditsMicros: 1n * USD });
    await db.usageDaily.create({ data: { orgId: other.org.id, day: today, modelSlug: "model-a", providerSlug: "sim", requests: 1, inputTokens: 1n, outputTokens: 1n, costMicros: 777n * USD } });

    const auth = { headers: { authorization: `Bearer ${plaintext}` } };
    const credits = await (await handleCredits(db, new Request("http://test/api/v1/account/credits", auth))).json();
    const start = addDays(today, -29);
    const usage = await (await handleUsage(db, new Request(`http://test/api/v1/account/usage?start=${start}&end=${today}`, auth))).json();

    const live = await getStartupLive(db, org.id, now);
    expect(live.balances).toEqual({
      spendableMicros: credits.spendable_micros,
      heldMicros: credits.held_micros,
      frozenMicros: credits.frozen_micros,
      pledgedMicros: credits.pledged_micros,
      financedMicros: credits.financed_micros,
    });
    expect(live.balances.spendableMicros).toBe(String(5_000n * USD));
    expect(live.burnTodayMicros).toBe("1234567");
    // 7 complete days before today: 13,000,001 µUSD / 7, rounded up; the 30 before it: 119,000,001 / 30, rounded up.
    expect(live.burnAvg7Micros).toBe("1857143");
    expect(live.burnAvg30Micros).toBe("3966667");
    expect(live.runwayDays).toBe(Number((5_000n * USD) / 1_857_143n));
    expect(live.loan).toBeNull();

    const burn = await getStartupBurn(db, org.id, now, { range: "30d" });
    expect(burn.range).toMatchObject({ start, end: today, days: 30 });
    expect(burn.byModel.totalMicros).toBe(usage.total.cost_micros);
    expect(burn.byProvider.totalMicros).toBe(usage.total.cost_micros);
    const byModel = new Map<string, bigint>();
    for (const row of usage.data as { model: string; cost_micros: string }[]) byModel.set(row.model, (byModel.get(row.model) ?? 0n) + BigInt(row.cost_micros));
    expect(new Map(burn.spendByModel.map((row) => [row.key, BigInt(row.costMicros)]))).toEqual(byModel);
    expect(burn.apiKeys).toHaveLength(1);
  });

  it("a custom range out of bounds falls back to 30 days and says why", async () => {
    const { org } = await createStartupWithKey(test.db, { creditsMicros: 0n });
    const burn = await getStartupBurn(test.db, org.id, new Date("2026-12-04T12:00:00Z"), { start: "2026-02-30", end: "2026-03-02" });
    expect(burn.rangeError).toEqual({ field: "start", message: "Start: give a real calendar day, YYYY-MM-DD." });
    expect(burn.range).toMatchObject({ start: "2026-11-05", end: "2026-12-04", preset: "30d" });
  });

  it("a margin call: opened and cured each notify the startup, and the overview shows the domain's least cure", async () => {
    const { db } = test;
    // C = 1,000 financed, D = 800, mark 0.85 (par less the fee): coverage 106.25% < 125% maintenance.
    const { loan, startupOrgId } = await createLoan(db, { lender: test.lender, financedMicros: 1_000n * USD, ownMicros: 50n * USD, principalMicros: 800n * USD });
    const opened = await recomputeCoverage(db, { loanId: loan.id, reason: "test", now: VALUATION_NOW });
    expect(opened.state).toBe("MARGIN_CALL");
    let feed = await listNotifications(db, startupOrgId);
    expect(feed.unread).toBe(1);
    expect(feed.items[0]).toMatchObject({ kind: "MARGIN_CALL_OPENED", severity: "critical", loanId: loan.id, readAt: null });

    const live = await getStartupLive(db, startupOrgId, VALUATION_NOW);
    const expected = cureAmountsMicros({ collateralMicros: 1_000n * USD, debtMicros: 800n * USD, markPpm: 850_000, targetBps: 13_000 });
    expect(live.loan?.marginCall?.cure).toEqual({
      targetBps: 13_000,
      repayMicros: expected.repayMicros.toString(),
      pledgeMicros: expected.pledgeMicros!.toString(),
      pledgeFromOwnMicros: String(50n * USD),
      buyMicros: (expected.pledgeMicros! - 50n * USD).toString(),
    });
    expect(live.loan?.marginCall?.deadline).toBe(new Date(VALUATION_NOW.getTime() + 72 * 3_600_000).toISOString());

    // Pledge 300 more (coverage 1,300 × 0.85 / 800 = 138% ≥ 130%): the call closes.
    await issueCredits(db, { orgId: startupOrgId, amountMicros: 300n * USD, idempotencyKey: `more:${startupOrgId}` });
    await pledgeCredits(db, { orgId: startupOrgId, loanId: loan.id, lenderOrgId: test.lender.orgId, amountMicros: 300n * USD });
    const cured = await recomputeCoverage(db, { loanId: loan.id, reason: "pledge", now: VALUATION_NOW });
    expect(cured.state).toBe("ACTIVE");
    feed = await listNotifications(db, startupOrgId);
    expect(feed.items.map((n) => n.kind)).toEqual(["MARGIN_CALL_CURED", "MARGIN_CALL_OPENED"]);
    // A recompute that changes nothing writes nothing.
    await recomputeCoverage(db, { loanId: loan.id, reason: "monitor", now: VALUATION_NOW });
    expect((await listNotifications(db, startupOrgId)).items).toHaveLength(2);
  });

  it("a freeze and an unfreeze notify the startup with the lender's reason; only that startup sees them, and marks them read", async () => {
    const { db } = test;
    const { loan, startupOrgId } = await createLoan(db, { lender: test.lender, financedMicros: 1_000n * USD, pledgedMicros: 200n * USD, principalMicros: 500n * USD });
    const bystander = await createLoan(db, { lender: test.lender, financedMicros: 10n * USD, principalMicros: 5n * USD });
    const actor = { kind: "user" as const, userId: test.lender.userId, orgId: test.lender.orgId };
    await freezeLoanCollateral(db, { loanId: loan.id, mode: "AMOUNT", amountMicros: 100n * USD, actor, reason: "coverage dropping", requestedAt: new Date(), lenderOrgId: test.lender.orgId, now: VALUATION_NOW });

    const live = await getStartupLive(db, startupOrgId, VALUATION_NOW);
    expect(live.loan).toMatchObject({ state: "FROZEN", frozenCollateralMicros: String(100n * USD), freeze: { reason: "coverage dropping", mode: "AMOUNT", byLender: true } });
    expect(live.balances.frozenMicros).toBe(String(100n * USD));

    await unfreezeLoanCollateral(db, { loanId: loan.id, mode: "FULL", actor, reason: "all clear", requestedAt: new Date(), lenderOrgId: test.lender.orgId, now: VALUATION_NOW });
    const feed = await listNotifications(db, startupOrgId);
    expect(feed.unread).toBe(2);
    expect(feed.items.map((n) => [n.kind, n.title])).toEqual([
      ["UNFROZEN", `Credits unfrozen on ${loan.reference}`],
      ["FROZEN", `Credits frozen on ${loan.reference}`],
    ]);
    expect(feed.items[1].body).toContain("Reason: coverage dropping");
    expect(feed.items[0].body).toContain("Reason: all clear");

    // Another startup sees none of them and cannot mark them read.
    expect(await listNotifications(db, bystander.startupOrgId)).toEqual({ unread: 0, items: [] });
    expect(await markNotificationsRead(db, { orgId: bystander.startupOrgId, ids: feed.items.map((n) => n.id), now: new Date() })).toBe(0);
    expect((await listNotifications(db, startupOrgId)).unread).toBe(2);

    expect(await markNotificationsRead(db, { orgId: startupOrgId, ids: [feed.items[0].id], now: new Date() })).toBe(1);
    expect((await listNotifications(db, startupOrgId)).unread).toBe(1);
    expect(await markNotificationsRead(db, { orgId: startupOrgId, now: new Date() })).toBe(1);
    expect((await listNotifications(db, startupOrgId)).unread).toBe(0);
  });

  it("a freeze that fails writes no notification (one transaction)", async () => {
    const { db } = test;
    const { loan, startupOrgId } = await createLoan(db, { lender: test.lender, financedMicros: 10n * USD, principalMicros: 5n * USD });
    const actor = { kind: "user" as const, userId: test.lender.userId, orgId: test.lender.orgId };
    await expect(
      freezeLoanCollateral(db, { loanId: loan.id, mode: "AMOUNT", amountMicros: 11n * USD, actor, reason: "too much", requestedAt: new Date(), lenderOrgId: test.lender.orgId, now: VALUATION_NOW }),
    ).rejects.toMatchObject({ status: 422 });
    expect((await listNotifications(db, startupOrgId)).items).toEqual([]);
  });
});
