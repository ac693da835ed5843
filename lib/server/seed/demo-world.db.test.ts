// The demo world, seeded small into real SQLite and PostgreSQL: every loan state, working demo
// logins, rollups that agree with the events, a healthy ledger, and the same figures every time.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import type { Db } from "@/lib/server/db/client";
import { verifyPassword } from "@/lib/server/auth/passwords";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { TERMINAL_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import { buildInstallmentSchedule } from "@/lib/domain/loans/schedule";
import { DEMO_ACCOUNTS } from "./demo-accounts";
import { seedDemoWorld } from "./demo-world";

const NOW = new Date("2026-11-25T10:26:41.343Z");
const SCALE = 0.02;
const digests = new Map<string, string>();

/** Key figures by stable names (slugs, references, days), never by generated ids. */
async function worldDigest(db: Db): Promise<string> {
  const orgs = await db.organization.findMany({ select: { id: true, slug: true } });
  const slugOf = new Map(orgs.map((o) => [o.id, o.slug]));
  const usage = await db.usageEvent.groupBy({ by: ["orgId", "modelSlug", "providerSlug", "status"], _count: { _all: true }, _sum: { costMicros: true, inputTokens: true, outputTokens: true, latencyMs: true } });
  const daily = await db.usageDaily.findMany({ select: { orgId: true, day: true, modelSlug: true, providerSlug: true, requests: true, costMicros: true } });
  const loans = await db.loan.findMany({ select: { reference: true, state: true, startupOrgId: true, principalMicros: true, multiplierBps: true, pledgedMicros: true, principalOutstandingMicros: true, interestAccruedMicros: true } });
  const lots = await db.creditLot.findMany({ select: { orgId: true, kind: true, originalMicros: true, remainingMicros: true, frozenMicros: true } });
  const coverage = await db.coverageSnapshot.findMany({ select: { at: true, coverageBps: true, collateralMicros: true, debtMicros: true } });
  const index = await db.gpuIndexFix.findMany({ select: { day: true, priceMicrosPerGpuHour: true } });
  const figures = {
    usage: usage.map((u) => [slugOf.get(u.orgId), u.modelSlug, u.providerSlug, u.status, u._count._all, u._sum.costMicros, u._sum.inputTokens, u._sum.outputTokens, u._sum.latencyMs].join("|")).sort(),
    daily: daily.map((d) => [slugOf.get(d.orgId), d.day, d.modelSlug, d.providerSlug, d.requests, d.costMicros].join("|")).sort(),
    loans: loans.map((l) => [l.reference, l.state, slugOf.get(l.startupOrgId), l.principalMicros, l.multiplierBps, l.pledgedMicros, l.principalOutstandingMicros, l.interestAccruedMicros].join("|")).sort(),
    lots: lots.map((l) => [slugOf.get(l.orgId), l.kind, l.originalMicros, l.remainingMicros, l.frozenMicros].join("|")).sort(),
    coverage: coverage.map((c) => [c.at.toISOString(), c.coverageBps, c.collateralMicros, c.debtMicros].join("|")).sort(),
    index: index.map((f) => `${f.day}|${f.priceMicrosPerGpuHour}`).sort(),
  };
  return createHash("sha256").update(JSON.stringify(figures)).digest("hex");
}

await describeEachProvider("demo world", (provider) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await seedDemoWorld(test.db, { now: NOW, scale: SCALE });
  });
  afterAll(async () => {
    await test?.drop();
  });

  it("has a loan in every state, with the figures each state implies", async () => {
    const loans = await test.db.loan.findMany({ include: { startup: true, coverage: { orderBy: { at: "desc" }, take: 1 } } });
    const byState = new Map(loans.map((loan) => [loan.state, loan]));
    expect([...byState.keys()].sort()).toEqual(["ACTIVE", "FROZEN", "LIQUIDATED", "MARGIN_CALL", "REJECTED", "REPAID", "SUBMITTED"]);
    const coverageOf = (name: string) => loans.find((l) => l.startup.name === name && ["ACTIVE", "MARGIN_CALL", "FROZEN"].includes(l.state))!.coverage[0].coverageBps!;
    expect(coverageOf("Acme AI")).toBeGreaterThanOrEqual(17_500);
    expect(coverageOf("Lumen Labs")).toBeGreaterThanOrEqual(13_000);
    expect(coverageOf("Lumen Labs")).toBeLessThan(14_000);
    expect(coverageOf("Vectorly")).toBeGreaterThanOrEqual(11_000);
    expect(coverageOf("Vectorly")).toBeLessThan(12_500);
    expect(coverageOf("Parsec Robotics")).toBeLessThan(11_000);
    const vectorly = byState.get("MARGIN_CALL")!;
    expect(vectorly.cureDeadline!.getTime() - vectorly.marginCallAt!.getTime()).toBe(72 * 3_600_000);
    expect(byState.get("REJECTED")!.rejectionReason).toBeTruthy();
    expect(byState.get("SUBMITTED")!.lenderOrgId).toBeNull();
    expect(byState.get("REPAID")!.closedAt).not.toBeNull();
    // A closed loan says when it closed, as the lifecycle records it (a rejection closes it when decided).
    for (const loan of loans.filter((l) => TERMINAL_LOAN_STATES.includes(l.state as never))) expect(loan.closedAt, `${loan.reference} (${loan.state})`).not.toBeNull();
    for (const loan of loans.filter((l) => !TERMINAL_LOAN_STATES.includes(l.state as never))) expect(loan.closedAt, `${loan.reference} (${loan.state})`).toBeNull();
    expect(byState.get("REJECTED")!.closedAt).toEqual(byState.get("REJECTED")!.decidedAt);
    const frozen = byState.get("FROZEN")!;
    expect(await test.db.freezeEvent.count({ where: { loanId: frozen.id } })).toBe(1);
    const frozenLots = await test.db.creditLot.aggregate({ where: { loanId: frozen.id }, _sum: { frozenMicros: true, remainingMicros: true } });
    expect(frozenLots._sum.frozenMicros! * 2n).toBeGreaterThan(frozenLots._sum.remainingMicros!);
    expect(await test.db.alert.count({ where: { state: "OPEN" } })).toBeGreaterThanOrEqual(3);
  });

  it("plans every seeded loan's installments exactly as the app plans a loan's schedule", async () => {
    const loans = await test.db.loan.findMany({ where: { activatedAt: { not: null } }, include: { installments: { orderBy: { seq: "asc" } } } });
    expect(loans.length).toBeGreaterThanOrEqual(5);
    for (const loan of loans) {
      const planned = buildInstallmentSchedule({ principalMicros: loan.principalMicros, aprBps: loan.aprBps!, termMonths: loan.termMonths, startDate: loan.activatedAt! });
      expect(
        loan.installments.map((i) => [i.seq, i.dueDate.toISOString(), i.amountMicros, i.principalMicros, i.interestMicros]),
        loan.reference,
      ).toEqual(planned.map((row) => [row.seq, row.dueDate.toISOString(), row.amountMicros, row.principalMicros, row.interestMicros]));
    }
  });

  it("lets every demo account sign in with the shared password", async () => {
    for (const account of DEMO_ACCOUNTS) {
      const user = await test.db.user.findUnique({ where: { email: account.email }, include: { org: true } });
      expect(user, account.email).not.toBeNull();
      expect(user!.role).toBe(account.role);
      expect(user!.org.name).toBe(account.orgName);
      expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(user!.passwordHash, account.password)).toBe(true);
    }
  });

  it("keeps the daily rollups equal to the sum of the usage events", async () => {
    const events = await test.db.usageEvent.findMany({ select: { orgId: true, modelSlug: true, providerSlug: true, createdAt: true, inputTokens: true, outputTokens: true, costMicros: true } });
    expect(events.length).toBeGreaterThan(1_000);
    const sums = new Map<string, { requests: number; inputTokens: bigint; outputTokens: bigint; costMicros: bigint }>();
    for (const event of events) {
      const key = [event.orgId, event.createdAt.toISOString().slice(0, 10), event.modelSlug, event.providerSlug].join("|");
      const sum = sums.get(key) ?? { requests: 0, inputTokens: 0n, outputTokens: 0n, costMicros: 0n };
      sum.requests++;
      sum.inputTokens += BigInt(event.inputTokens);
      sum.outputTokens += BigInt(event.outputTokens);
      sum.costMicros += event.costMicros;
      sums.set(key, sum);
    }
    const rollups = await test.db.usageDaily.findMany();
    expect(rollups.length).toBe(sums.size);
    for (const rollup of rollups) {
      const key = [rollup.orgId, rollup.day, rollup.modelSlug, rollup.providerSlug].join("|");
      expect({ requests: rollup.requests, inputTokens: rollup.inputTokens, outputTokens: rollup.outputTokens, costMicros: rollup.costMicros }, key).toEqual(sums.get(key));
    }
  });

  it("charges exactly the usage to the ledger, and the ledger is healthy", async () => {
    const usageAccounts = await test.db.ledgerAccount.findMany({ where: { type: "PLATFORM_USAGE" } });
    const events = await test.db.usageEvent.groupBy({ by: ["orgId"], _sum: { costMicros: true } });
    for (const row of events) expect(usageAccounts.find((a) => a.orgId === row.orgId)?.balanceMicros, row.orgId).toBe(row._sum.costMicros);
    const report = await checkLedgerHealth(test.db);
    expect(report.violations).toEqual([]);
  });

  it("is deterministic: a second world seeded with the same now has the same figures", async () => {
    const digest = await worldDigest(test.db);
    const second = await createTestDatabase(provider);
    try {
      await seedDemoWorld(second.db, { now: NOW, scale: SCALE });
      expect(await worldDigest(second.db)).toBe(digest);
    } finally {
      await second.drop();
    }
    digests.set(provider, digest);
  });
});

describe("demo world across databases", () => {
  it("has the same figures on SQLite and PostgreSQL", () => {
    if (digests.size < 2) return;
    expect(digests.get("postgresql")).toBe(digests.get("sqlite"));
  });
});
