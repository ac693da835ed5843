// The lender's loan page query on real SQLite and PostgreSQL: TENANT ISOLATION (another lender's
// loan is a 404 for the page, its audit trail and the detail the page renders with), the chart
// series from stored rows only (every snapshot when few, one per day when many — picked by index
// seeks; daily burn from UsageDaily, never UsageEvent), the projection inputs the what-if panel
// runs `whatIf` on (the same projection the server computes), the tables, and actors named by
// name and email or by the lender API token that acted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectDaysToMarginCall, whatIf } from "@/lib/domain/valuation/projection";
import { dayBuckets, lastInEachBucket } from "@/lib/domain/valuation/series";
import { projectionInputFromDto } from "@/lib/domain/valuation/what-if-inputs";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { getLenderLoanOrThrow } from "@/lib/server/queries/lender-loans";
import { getLoanOutlook } from "@/lib/server/valuation/outlook";
import { createLender, createLoan, seedIndex, VALUATION_NOW, type Lender } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { listLoanAuditTrail } from "./audit";
import { EXACT_SNAPSHOT_LIMIT, getLenderLoanPageOrThrow } from "./lender-loan-page";

const USD = 1_000_000n;
const DAY = 86_400_000;
const NOW = VALUATION_NOW; // 2026-03-01T12:00Z; createLoan activates loans 30 days before
const ago = (days: number, hours = 0) => new Date(NOW.getTime() - days * DAY - hours * 3_600_000);

async function expect404(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).status).toBe(404);
}

async function snapshot(db: Db, loanId: string, at: Date, coverageBps: number | null, collateralMicros = 150n * USD, debtMicros = 100n * USD) {
  await db.coverageSnapshot.create({ data: { loanId, at, collateralMicros, debtMicros, markPpm: 850_000, coverageBps, indexMicros: 2_000_000n, reason: "test" } });
}

async function tokenOf(db: Db, lender: Lender) {
  return db.lenderApiToken.findFirstOrThrow({ where: { orgId: lender.orgId }, select: { id: true, name: true, prefix: true } });
}

await describeEachProvider("lender loan page query", (provider) => {
  let test: TestDatabase;
  let northwind: Lender;
  let kestrel: Lender;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await seedIndex(test.db);
    northwind = await createLender(test.db);
    kestrel = await createLender(test.db);
  });
  afterAll(async () => {
    await test?.drop();
  });

  describe("tenant isolation", () => {
    it("Kestrel's analyst asking for Northwind's loan gets a 404 from the page query, the audit trail and the loan detail; Northwind gets its loan", async () => {
      const { loan } = await createLoan(test.db, { lender: northwind, financedMicros: 150n * USD, principalMicros: 100n * USD });
      await test.db.auditLog.create({ data: { orgId: northwind.orgId, actorUserId: northwind.userId, actorKind: "user", action: "collateral.freeze", targetType: "Loan", targetId: loan.id, detailJson: "{}" } });

      await expect404(getLenderLoanPageOrThrow(test.db, kestrel.orgId, loan.id, { now: NOW }));
      await expect404(listLoanAuditTrail(test.db, { lenderOrgId: kestrel.orgId, loanId: loan.id }));
      await expect404(getLenderLoanOrThrow(test.db, kestrel.orgId, loan.id, NOW));

      const page = await getLenderLoanPageOrThrow(test.db, northwind.orgId, loan.id, { now: NOW });
      expect(page).toMatchObject({ loanId: loan.id, reference: loan.reference, state: "ACTIVE" });
      expect(page.audit).toHaveLength(1);
    });

    it("an id that is no loan, an empty one and an over-long one are 404s too", async () => {
      await expect404(getLenderLoanPageOrThrow(test.db, northwind.orgId, "no-such-loan", { now: NOW }));
      await expect404(getLenderLoanPageOrThrow(test.db, northwind.orgId, "", { now: NOW }));
      await expect404(getLenderLoanPageOrThrow(test.db, northwind.orgId, "x".repeat(65), { now: NOW }));
    });
  });

  describe("coverage series", () => {
    it("with few snapshots: every one, in time order, valued at its mark, with the margin call shaded from below 125% until 130%", async () => {
      const { loan } = await createLoan(test.db, { lender: northwind, financedMicros: 150n * USD, principalMicros: 100n * USD });
      const readings: [number, number | null][] = [
        [10, 15_000],
        [8, 12_400], // margin call opens
        [6, 12_900], // between maintenance and maintenance + 5 points: still open
        [4, 13_100], // closes
        [2, 12_000], // opens again, still open now
      ];
      for (const [days, bps] of readings) await snapshot(test.db, loan.id, ago(days), bps, 200n * USD);

      const page = await getLenderLoanPageOrThrow(test.db, northwind.orgId, loan.id, { now: NOW });
      expect(page.coverage.downsampledToDays).toBeNull();
      expect(page.coverage.points.map((p) => p.coverageBps)).toEqual([15_000, 12_400, 12_900, 13_100, 12_000]);
      // 200 USD of credits at 0.85 = 170 USD
      expect(page.coverage.points[0]).toMatchObject({ at: ago(10).toISOString(), collateralMicros: "200000000", valueAtMarkMicros: "170000000", debtMicros: "100000000", markPpm: 850_000 });
      expect(page.coverage.marginCallPeriods).toEqual([
        { from: ago(8).toISOString(), to: ago(4).toISOString(), isOpen: false },
        { from: ago(2).toISOString(), to: NOW.toISOString(), isOpen: true },
      ]);
    });

    it(`with more than ${EXACT_SNAPSHOT_LIMIT} snapshots: the last of each UTC day, exactly the ones a full scan would pick`, async () => {
      const { loan } = await createLoan(test.db, { lender: northwind, financedMicros: 150n * USD, principalMicros: 100n * USD });
      // 1,500 snapshots over 12.5 days, one every 12 minutes, coverage drifting down and back.
      const rows = Array.from({ length: 1_500 }, (_, i) => {
        const at = new Date(NOW.getTime() - (1_500 - i) * 12 * 60_000);
        const coverageBps = 14_000 - Math.round(2_000 * Math.sin((i / 1_500) * Math.PI));
        return { loanId: loan.id, at, collateralMicros: BigInt(150 + i) * USD, debtMicros: 100n * USD, markPpm: 850_000, coverageBps, indexMicros: 2_000_000n, reason: "test" };
      });
      await test.db.coverageSnapshot.createMany({ data: rows });
      // Another loan's snapshots in the same days are never picked.
      const other = await createLoan(test.db, { lender: northwind, financedMicros: 150n * USD, principalMicros: 100n * USD });
      await test.db.coverageSnapshot.createMany({ data: rows.map((row) => ({ ...row, loanId: other.loan.id, at: new Date(row.at.getTime() + 1), coverageBps: 1 })) });

      const page = await getLenderLoanPageOrThrow(test.db, northwind.orgId, loan.id, { now: NOW });
      expect(page.coverage.downsampledToDays).toBe(1);
      const oracle = lastInEachBucket(
        rows.map((row) => ({ ...row, atMs: row.at.getTime() })),
        dayBuckets(rows[0].at.getTime(), rows.at(-1)!.at.getTime(), 730).buckets,
      );
      expect(page.coverage.points.length).toBe(oracle.length);
      expect(page.coverage.points.length).toBeLessThanOrEqual(14);
      expect(page.coverage.points.map((p) => [p.at, p.coverageBps, p.collateralMicros])).toEqual(oracle.map((row) => [row.at.toISOString(), row.coverageBps, row.collateralMicros.toString()]));
      // The newest snapshot is always the last point.
      expect(page.coverage.points.at(-1)!.at).toBe(rows.at(-1)!.at.toISOString());
    });
  });

  describe("burn, GPU index and the projection", () => {
    it("daily burn from the rollups (a raw usage event not in them changes nothing), with the projection's 7-day burn as its last average", async () => {
      const { loan, startupOrgId } = await createLoan(test.db, { lender: northwind, financedMicros: 200_000n * USD, principalMicros: 100_000n * USD, aprBps: 1_460 });
      // Activated 2026-01-30; complete days run to 2026-02-28 (yesterday).
      for (const [day, model, cost] of [
        ["2026-02-27", "gpt-a", 600n],
        ["2026-02-27", "gpt-b", 400n],
        ["2026-02-28", "gpt-a", 2_000n],
        ["2026-03-01", "gpt-a", 99_999n], // today: not a complete day
        ["2026-01-20", "gpt-a", 77_777n], // before the loan
      ] as const) {
        await test.db.usageDaily.create({ data: { orgId: startupOrgId, day, modelSlug: model, providerSlug: "sim", costMicros: cost * USD, requests: 1 } });
      }
      await test.db.usageEvent.create({ data: { orgId: startupOrgId, requestId: `raw-${loan.id}`, modelSlug: "gpt-a", providerSlug: "sim", endpoint: "chat.completions", inputTokens: 1, outputTokens: 1, costMicros: 5_000_000n * USD, latencyMs: 1, status: "ok", createdAt: ago(1) } });

      const page = await getLenderLoanPageOrThrow(test.db, northwind.orgId, loan.id, { now: NOW });
      expect(page.burn.points[0].day).toBe("2026-01-30");
      expect(page.burn.points.at(-1)!.day).toBe("2026-02-28");
      expect(page.burn.points).toHaveLength(30);
      const byDay = new Map(page.burn.points.map((p) => [p.day, p]));
      expect(byDay.get("2026-02-27")!.spendMicros).toBe((1_000n * USD).toString());
      expect(byDay.get("2026-02-26")!.spendMicros).toBe("0");
      // the last 7 days: 1,000 + 2,000 = 3,000 USD / 7, rounded up to the µUSD
      expect(page.burn.points.at(-1)!.sevenDayAvgMicros).toBe(((3_000n * USD + 6n) / 7n).toString());
      expect(page.burn.sevenDayBurnMicros).toBe(page.burn.points.at(-1)!.sevenDayAvgMicros);
      expect(page.projection!.inputs.burnMicrosPerDay).toBe(page.burn.sevenDayBurnMicros);
    });

    it("the what-if inputs reproduce the server's projection exactly, so the browser's whatIf shows what the server would", async () => {
      for (let d = 1; d <= 27; d++) {
        const day = `2026-02-${String(d).padStart(2, "0")}`;
        await test.db.gpuIndexFix.upsert({ where: { day }, update: {}, create: { day, priceMicrosPerGpuHour: 2_300_000n - BigInt(d) * 10_000n, source: "seed" } });
      }
      const { loan, startupOrgId } = await createLoan(test.db, { lender: northwind, financedMicros: 160_000n * USD, pledgedMicros: 20_000n * USD, principalMicros: 100_000n * USD, aprBps: 1_460, indexAtOriginationMicros: 2_200_000n });
      await test.db.installment.createMany({
        data: [1, 2, 3].map((seq) => ({ loanId: loan.id, seq, dueDate: new Date(Date.UTC(2026, 1 + seq, 1)), amountMicros: 9_000n * USD, principalMicros: 8_000n * USD, interestMicros: 1_000n * USD, status: "DUE" })),
      });
      await test.db.usageDaily.create({ data: { orgId: startupOrgId, day: "2026-02-25", modelSlug: "m", providerSlug: "p", costMicros: 7_000n * USD, requests: 1 } });

      const page = await getLenderLoanPageOrThrow(test.db, northwind.orgId, loan.id, { now: NOW });
      const outlook = await getLoanOutlook(test.db, { loanId: loan.id, viewerOrgId: northwind.orgId, now: NOW, horizonDays: 90 });
      const inputs = projectionInputFromDto(page.projection!.inputs);
      expect(inputs).toMatchObject({ collateralMicros: 180_000n * USD, debtMicros: 100_000n * USD, burnMicrosPerDay: 1_000n * USD, indexAtOriginationMicros: 2_200_000n, indexNowMicros: 2_000_000n, maintenanceBps: 12_500, redistributionFeeBps: 1_500, horizonDays: 90 });
      expect(inputs.installments).toHaveLength(2); // the one due 2026-03-01 00:00 is already due at noon
      expect(inputs.indexTrendMicrosPerDay).toBeLessThan(0n);
      expect(projectDaysToMarginCall(inputs)).toEqual(outlook.projection);
      expect(page.projection!.daysToMarginCall).toBe(outlook.projection.daysToMarginCall);
      const change = { burnChangeBps: 5_000, indexShockBps: -2_000, extraRepaymentMicros: 10_000n * USD };
      expect(whatIf(inputs, change)).toEqual((await getLoanOutlook(test.db, { loanId: loan.id, viewerOrgId: northwind.orgId, now: NOW, horizonDays: 90 }, change)).whatIf);

      // the index chart: the fixes since the activation day, and the origination level
      expect(page.gpuIndex.originationMicros).toBe("2200000");
      expect(page.gpuIndex.originationDay).toBe("2026-01-30");
      expect(page.gpuIndex.points.at(-1)).toEqual({ day: "2026-02-28", priceMicros: "2000000" });
      expect(page.gpuIndex.points.every((p) => p.day >= "2026-01-30" && p.day <= "2026-03-01")).toBe(true);
    });

    it("a closed loan has no projection and no installment due", async () => {
      const { loan } = await createLoan(test.db, { lender: northwind, financedMicros: 150n * USD, principalMicros: 100n * USD, state: "LIQUIDATED" });
      await test.db.loan.update({ where: { id: loan.id }, data: { closedAt: ago(3) } });
      await test.db.installment.createMany({
        data: [
          { loanId: loan.id, seq: 1, dueDate: ago(20), amountMicros: 50n * USD, principalMicros: 45n * USD, interestMicros: 5n * USD, paidMicros: 50n * USD, status: "PAID", paidAt: ago(20) },
          { loanId: loan.id, seq: 2, dueDate: ago(5), amountMicros: 50n * USD, principalMicros: 48n * USD, interestMicros: 2n * USD, status: "OVERDUE" },
          { loanId: loan.id, seq: 3, dueDate: new Date(NOW.getTime() + 25 * DAY), amountMicros: 50n * USD, principalMicros: 49n * USD, interestMicros: 1n * USD, status: "DUE" },
        ],
      });
      const page = await getLenderLoanPageOrThrow(test.db, northwind.orgId, loan.id, { now: NOW });
      expect(page.projection).toBeNull();
      expect(page.burn.sevenDayBurnMicros).toBeNull();
      expect(page.installments.map((i) => [i.seq, i.statusKind, i.statusLabel])).toEqual([
        [1, "paid", "Paid"],
        [2, "closed", "Not due (loan liquidated)"],
        [3, "closed", "Not due (loan liquidated)"],
      ]);
      // the burn of a closed loan runs to the day it closed
      expect(page.burn.points.at(-1)!.day).toBe(ago(3).toISOString().slice(0, 10));
    });
  });

  describe("tables and who acted", () => {
    it("audit trail newest first: users by name and email, a token by its name and maker, the system; the loan's alert acknowledgements in, other loans' rows out", async () => {
      const { loan } = await createLoan(test.db, { lender: northwind, financedMicros: 150n * USD, principalMicros: 100n * USD });
      const other = await createLoan(test.db, { lender: northwind, financedMicros: 150n * USD, principalMicros: 100n * USD });
      const admin = await test.db.user.create({ data: { orgId: northwind.orgId, email: `ops-${loan.id}@example.test`, name: "Olga Ops", passwordHash: "x", role: "lender" } });
      const token = await tokenOf(test.db, northwind);
      const kestrelToken = await tokenOf(test.db, kestrel);
      const analyst = await test.db.user.findUniqueOrThrow({ where: { id: northwind.userId } });
      const alert = await test.db.alert.create({ data: { loanId: loan.id, lenderOrgId: northwind.orgId, kind: "MARGIN_CALL", severity: "critical", state: "ACKNOWLEDGED", message: "Margin call", openedAt: ago(3), acknowledgedAt: ago(2), acknowledgedById: admin.id } });
      const audit = (data: { at: Date; action: string; actorKind: string; actorUserId?: string | null; actorTokenId?: string | null; targetType?: string; targetId?: string; detailJson?: string }) =>
        test.db.auditLog.create({ data: { orgId: northwind.orgId, targetType: "Loan", targetId: loan.id, detailJson: "{}", ...data } });
      await audit({ at: ago(9), action: "loan.approve", actorKind: "user", actorUserId: analyst.id, targetType: "loan", detailJson: '{"principalMicros":"100000000"}' }); // older rows spell it "loan"
      await audit({ at: ago(5), action: "collateral.freeze", actorKind: "api", actorTokenId: token.id, detailJson: '{"mode":"PROTECTIVE","amountMicros":"12500000"}' });
      await audit({ at: ago(4), action: "loan.cureExpired", actorKind: "system" });
      await audit({ at: ago(2), action: "alert.acknowledge", actorKind: "user", actorUserId: admin.id, targetType: "Alert", targetId: alert.id });
      await audit({ at: ago(1), action: "collateral.unfreeze", actorKind: "api", actorTokenId: kestrelToken.id }); // another lender's token: never named here
      await audit({ at: ago(1, 1), action: "collateral.freeze", actorKind: "user", actorUserId: analyst.id, targetId: other.loan.id });

      const trail = await listLoanAuditTrail(test.db, { lenderOrgId: northwind.orgId, loanId: loan.id });
      expect(trail.map((entry) => entry.action)).toEqual(["collateral.unfreeze", "alert.acknowledge", "loan.cureExpired", "collateral.freeze", "loan.approve"]);
      const [foreignToken, ack, system, byToken, approve] = trail;
      expect(approve.actor).toMatchObject({ kind: "user", name: "Analyst", email: analyst.email, label: `Analyst <${analyst.email}>` });
      expect(approve.details).toEqual(["Principal: $100.00"]);
      expect(byToken.actor).toMatchObject({ kind: "token", name: "risk desk", tokenName: "risk desk", tokenPrefix: token.prefix, email: analyst.email });
      expect(byToken.actor.label).toBe(`API token “risk desk” (${token.prefix}…) by Analyst <${analyst.email}>`);
      expect(byToken.what).toBe("Froze collateral");
      expect(byToken.details).toEqual(["Mode: PROTECTIVE", "Amount: $12.50"]);
      expect(system.actor).toMatchObject({ kind: "system", label: "Blockable (automatic)" });
      expect(ack.actor).toMatchObject({ name: "Olga Ops", email: admin.email });
      expect(foreignToken.actor.label).toBe("Lender API (token not recorded)");
      expect(JSON.stringify(foreignToken)).not.toContain(kestrelToken.prefix);

      const page = await getLenderLoanPageOrThrow(test.db, northwind.orgId, loan.id, { now: NOW });
      expect(page.audit).toEqual(trail);
      expect(page.alerts).toEqual([expect.objectContaining({ id: alert.id, kind: "MARGIN_CALL", state: "ACKNOWLEDGED", acknowledgedBy: `Olga Ops <${admin.email}>` })]);
    });

    it("freezes with who, why, mode, amount and measured latency; payments with who recorded them", async () => {
      const { loan } = await createLoan(test.db, { lender: northwind, financedMicros: 150n * USD, principalMicros: 100n * USD });
      const token = await tokenOf(test.db, northwind);
      const analyst = await test.db.user.findUniqueOrThrow({ where: { id: northwind.userId } });
      await test.db.freezeEvent.create({ data: { loanId: loan.id, action: "FREEZE", mode: "PROTECTIVE", requestedMicros: null, amountMicros: 80n * USD, actorUserId: analyst.id, actorKind: "user", reason: "Below maintenance", requestedAt: ago(2), committedAt: new Date(ago(2).getTime() + 41), latencyMs: 41 } });
      await test.db.freezeEvent.create({ data: { loanId: loan.id, action: "UNFREEZE", mode: "AMOUNT", requestedMicros: 10n * USD, amountMicros: 10n * USD, actorKind: "api", actorTokenId: token.id, reason: "Cured", requestedAt: ago(1), committedAt: new Date(ago(1).getTime() + 7), latencyMs: 7 } });
      await test.db.payment.create({ data: { loanId: loan.id, idempotencyKey: `p1-${loan.id}`, amountMicros: 5n * USD, interestMicros: 1n * USD, principalMicros: 4n * USD, paidAt: ago(3), recordedById: analyst.id } });
      await test.db.payment.create({ data: { loanId: loan.id, idempotencyKey: `p2-${loan.id}`, amountMicros: 7n * USD, interestMicros: 0n, principalMicros: 7n * USD, paidAt: ago(1), recordedById: null } });

      const page = await getLenderLoanPageOrThrow(test.db, northwind.orgId, loan.id, { now: NOW });
      expect(page.freezes.map((f) => [f.action, f.mode, f.amountMicros, f.latencyMs, f.reason, f.actor.label])).toEqual([
        ["UNFREEZE", "AMOUNT", "10000000", 7, "Cured", `API token “risk desk” (${token.prefix}…) by Analyst <${analyst.email}>`],
        ["FREEZE", "PROTECTIVE", "80000000", 41, "Below maintenance", `Analyst <${analyst.email}>`],
      ]);
      expect(page.payments.map((p) => [p.amountMicros, p.recordedBy])).toEqual([
        ["7000000", "Blockable (automatic)"],
        ["5000000", `Analyst <${analyst.email}>`],
      ]);
    });
  });
});
