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
import { listAuditLog } from "@/lib/server/queries/admin";
import { hashApiKey } from "@/lib/server/services/api-keys";
import { listNotifications } from "@/lib/server/notifications/notifications";
import { freezeNotice, marginCallNotice } from "@/lib/domain/startup/notifications";
import { DEMO_ACCOUNTS, DEMO_API_KEYS } from "./demo-accounts";
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
  const keys = await db.apiKey.findMany({ select: { id: true, orgId: true, name: true, hash: true, spentMicros: true, createdAt: true, lastUsedAt: true } });
  const keyName = new Map(keys.map((k) => [k.id, k.name]));
  const byKey = await db.usageEvent.groupBy({ by: ["orgId", "apiKeyId"], _count: { _all: true }, _sum: { costMicros: true } });
  const notifications = await db.notification.findMany({ select: { orgId: true, kind: true, severity: true, title: true, body: true, createdAt: true, readAt: true } });
  const figures = {
    usage: usage.map((u) => [slugOf.get(u.orgId), u.modelSlug, u.providerSlug, u.status, u._count._all, u._sum.costMicros, u._sum.inputTokens, u._sum.outputTokens, u._sum.latencyMs].join("|")).sort(),
    daily: daily.map((d) => [slugOf.get(d.orgId), d.day, d.modelSlug, d.providerSlug, d.requests, d.costMicros].join("|")).sort(),
    loans: loans.map((l) => [l.reference, l.state, slugOf.get(l.startupOrgId), l.principalMicros, l.multiplierBps, l.pledgedMicros, l.principalOutstandingMicros, l.interestAccruedMicros].join("|")).sort(),
    lots: lots.map((l) => [slugOf.get(l.orgId), l.kind, l.originalMicros, l.remainingMicros, l.frozenMicros].join("|")).sort(),
    coverage: coverage.map((c) => [c.at.toISOString(), c.coverageBps, c.collateralMicros, c.debtMicros].join("|")).sort(),
    index: index.map((f) => `${f.day}|${f.priceMicrosPerGpuHour}`).sort(),
    keys: keys.map((k) => [slugOf.get(k.orgId), k.name, k.hash, k.spentMicros, k.createdAt.toISOString(), k.lastUsedAt?.toISOString()].join("|")).sort(),
    usageByKey: byKey.map((u) => [slugOf.get(u.orgId), keyName.get(u.apiKeyId ?? ""), u._count._all, u._sum.costMicros].join("|")).sort(),
    notifications: notifications.map((n) => [slugOf.get(n.orgId), n.kind, n.severity, n.title, n.body, n.createdAt.toISOString(), n.readAt?.toISOString()].join("|")).sort(),
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
  const userIdOf = async (email: string) => (await test.db.user.findUniqueOrThrow({ where: { email } })).id;

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
    expect(coverageOf("Halcyon Voice")).toBeGreaterThanOrEqual(11_000);
    expect(coverageOf("Halcyon Voice")).toBeLessThan(12_500);
    // Two margin calls, one per lender: the lender's desk e2e spec freezes Vectorly's, the startup specs cure Halcyon Voice's.
    const marginCalls = loans.filter((loan) => loan.state === "MARGIN_CALL");
    expect(marginCalls.map((loan) => loan.startup.name).sort()).toEqual(["Halcyon Voice", "Vectorly"]);
    expect(new Set(marginCalls.map((loan) => loan.lenderOrgId)).size).toBe(2);
    for (const loan of marginCalls) expect(loan.cureDeadline!.getTime() - loan.marginCallAt!.getTime(), loan.startup.name).toBe(72 * 3_600_000);
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
    expect(await test.db.alert.count({ where: { state: "OPEN" } })).toBeGreaterThanOrEqual(4);
  });

  it("leaves each margin-call borrower with an open MARGIN_CALL alert to its lender and all its own credits pledged", async () => {
    const loans = await test.db.loan.findMany({ where: { state: "MARGIN_CALL" }, include: { startup: true, lender: true } });
    expect(loans.map((loan) => [loan.startup.slug, loan.lender?.slug]).sort()).toEqual([
      ["halcyon-voice", "kestrel-capital"],
      ["vectorly", "northwind-credit-fund"],
    ]);
    for (const loan of loans) {
      const open = await test.db.alert.findMany({ where: { loanId: loan.id, kind: "MARGIN_CALL", state: "OPEN" } });
      expect(open.map((alert) => alert.lenderOrgId), loan.startup.name).toEqual([loan.lenderOrgId]);
      expect(loan.pledgedMicros, loan.startup.name).toBeGreaterThan(0n);
      // Every credit it holds is the loan's collateral: nothing of its own is left to pledge.
      const unpledged = await test.db.creditLot.aggregate({ where: { orgId: loan.startupOrgId, loanId: null, remainingMicros: { gt: 0n } }, _sum: { remainingMicros: true } });
      expect(unpledged._sum.remainingMicros ?? 0n, loan.startup.name).toBe(0n);
    }
  });

  it("freezes all of Parsec Robotics' credits: nothing spendable, every lot fully frozen, no usage after the FULL freeze", async () => {
    const parsec = await test.db.organization.findUniqueOrThrow({ where: { slug: "parsec-robotics" } });
    const loan = await test.db.loan.findFirstOrThrow({ where: { startupOrgId: parsec.id, state: "FROZEN" } });
    const spendable = await test.db.ledgerAccount.findFirstOrThrow({ where: { orgId: parsec.id, type: "STARTUP_SPENDABLE" } });
    expect(spendable.balanceMicros).toBe(0n);
    // Every credit it holds, its own included, is the loan's collateral, and all of it is frozen.
    const lots = await test.db.creditLot.findMany({ where: { orgId: parsec.id, remainingMicros: { gt: 0n } } });
    expect(lots.length).toBeGreaterThan(0);
    for (const lot of lots) expect({ kind: lot.kind, loanId: lot.loanId, unfrozen: lot.remainingMicros - lot.frozenMicros }).toEqual({ kind: lot.kind, loanId: loan.id, unfrozen: 0n });
    const frozen = await test.db.ledgerAccount.findFirstOrThrow({ where: { orgId: parsec.id, type: "STARTUP_FROZEN" } });
    expect(frozen.balanceMicros).toBe(lots.reduce((sum, lot) => sum + lot.remainingMicros, 0n));
    const [event] = await test.db.freezeEvent.findMany({ where: { loanId: loan.id } });
    expect(event).toMatchObject({ action: "FREEZE", mode: "FULL", amountMicros: frozen.balanceMicros, actorKind: "user", actorUserId: await userIdOf("analyst@kestrel.example") });
    // Its API refuses every request from the freeze on, so no usage was recorded after it.
    expect(await test.db.usageEvent.count({ where: { orgId: parsec.id, createdAt: { gte: event.requestedAt } } })).toBe(0);
    expect(await test.db.usageEvent.count({ where: { orgId: parsec.id } })).toBeGreaterThan(0);
  });

  it("stores the rejected application's reason, and the admin's rejection is audited with it", async () => {
    const rejected = await test.db.loan.findFirstOrThrow({ where: { state: "REJECTED" } });
    expect(rejected.rejectionReason?.trim().length).toBeGreaterThan(20);
    const rows = await test.db.auditLog.findMany({ where: { targetType: "Loan", targetId: rejected.id, action: "loan.reject" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorKind: "user", actorUserId: await userIdOf("admin@blockable.dev") });
    expect(JSON.parse(rows[0].detailJson)).toMatchObject({ from: "SUBMITTED", to: "REJECTED", reason: rejected.rejectionReason });
  });

  it("lists no installment of a closed loan as due: the liquidated loan's proceeds paid them all", async () => {
    const closed = await test.db.loan.findMany({ where: { state: { in: ["LIQUIDATED", "REPAID"] } }, include: { installments: true } });
    expect(closed.map((loan) => loan.state).sort()).toEqual(["LIQUIDATED", "REPAID"]);
    for (const loan of closed) {
      expect(loan.installments.length, loan.reference).toBeGreaterThan(0);
      expect(loan.installments.filter((i) => i.status === "DUE" || i.status === "OVERDUE").map((i) => i.seq), `${loan.reference} (${loan.state})`).toEqual([]);
    }
    // No loss on the liquidated loan: the sale paid the debt, so each installment is PAID, with when.
    const liquidated = closed.find((loan) => loan.state === "LIQUIDATED")!;
    expect(liquidated.lossMicros).toBe(0n);
    for (const installment of liquidated.installments) expect({ seq: installment.seq, status: installment.status, hasPaidAt: installment.paidAt !== null }).toEqual({ seq: installment.seq, status: "PAID", hasPaidAt: true });
  });

  it("audits every step with the demo user who took it, as the services write it", async () => {
    const users = new Map((await test.db.user.findMany()).map((user) => [user.id, user.email]));
    const rows = await test.db.auditLog.findMany();
    for (const row of rows) {
      if (row.actorKind === "user") expect(users.has(row.actorUserId ?? ""), `${row.action} by ${row.actorUserId}`).toBe(true);
      else expect({ action: row.action, kind: row.actorKind, user: row.actorUserId }).toEqual({ action: row.action, kind: "system", user: null });
    }
    // The loan pages read their trail by (targetType "Loan", loan id), as the services write it.
    expect(rows.filter((row) => row.targetType.toLowerCase() === "loan" && row.targetType !== "Loan")).toEqual([]);
    const actorsOf = (loanId: string, action: string) => rows.filter((row) => row.targetType === "Loan" && row.targetId === loanId && row.action === action).map((row) => users.get(row.actorUserId ?? ""));

    const loans = await test.db.loan.findMany({ include: { startup: true, payments: true } });
    for (const loan of loans) {
      expect(actorsOf(loan.id, "loan.submit"), `${loan.reference} submitted`).toEqual([`cto@${loan.startup.slug}.example`]);
      if (loan.activatedAt) expect(actorsOf(loan.id, "loan.approve"), `${loan.reference} approved`).toEqual(["admin@blockable.dev"]);
      // A payment is recorded by the admin who confirmed the money arrived.
      const recorded = loan.payments.filter((payment) => payment.recordedById !== null);
      expect(actorsOf(loan.id, "loan.payment"), `${loan.reference} payments`).toEqual(recorded.map(() => "admin@blockable.dev"));
    }
    const byState = (state: string) => loans.find((loan) => loan.state === state)!;
    expect(actorsOf(byState("REJECTED").id, "loan.reject")).toEqual(["admin@blockable.dev"]);
    expect(actorsOf(byState("FROZEN").id, "collateral.freeze")).toEqual(["analyst@kestrel.example"]);
    expect(actorsOf(byState("FROZEN").id, "loan.freeze")).toEqual(["analyst@kestrel.example"]);
    expect(actorsOf(byState("LIQUIDATED").id, "collateral.freeze")).toEqual(["analyst@kestrel.example"]);
    expect(actorsOf(byState("LIQUIDATED").id, "collateral.liquidate")).toEqual(["analyst@kestrel.example"]);
    expect(actorsOf(byState("REPAID").id, "loan.repaidInFull")).toEqual(["admin@blockable.dev"]);
    for (const loan of loans.filter((l) => l.state === "MARGIN_CALL")) expect(actorsOf(loan.id, "loan.coverageBelowMaintenance"), loan.reference).toEqual([undefined]);
    // Every acknowledged alert says who acknowledged it, in the alert and in the trail.
    const acknowledged = await test.db.alert.findMany({ where: { state: "ACKNOWLEDGED" } });
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const alert of acknowledged) {
      const trail = rows.filter((row) => row.action === "alert.acknowledge" && row.targetId === alert.id);
      expect(trail.map((row) => row.actorUserId)).toEqual([alert.acknowledgedById]);
    }

    // The admin's audit log shows each of them by name and email.
    for (const entry of await listAuditLog(test.db, rows.length)) {
      if (entry.actorKind === "user") expect(entry.user, `${entry.action} ${entry.id}`).toEqual({ name: expect.any(String), email: expect.stringContaining("@") });
    }
  });

  it("plans every seeded loan's installments exactly as the app plans a loan's schedule", async () => {
    const loans = await test.db.loan.findMany({ where: { activatedAt: { not: null } }, include: { installments: { orderBy: { seq: "asc" } } } });
    expect(loans.length).toBeGreaterThanOrEqual(7);
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

  it("attributes every seeded request to an API key of its own startup; each key's spend is exactly its requests' cost", async () => {
    const orgs = await test.db.organization.findMany({ where: { kind: "STARTUP" }, include: { apiKeys: true } });
    const usage = await test.db.usageEvent.groupBy({ by: ["orgId", "apiKeyId"], _count: { _all: true }, _sum: { costMicros: true }, _min: { createdAt: true }, _max: { createdAt: true } });
    expect(usage.filter((row) => row.apiKeyId === null)).toEqual([]);
    for (const org of orgs) {
      const rows = usage.filter((row) => row.orgId === org.id);
      expect(rows.length, org.slug).toBeGreaterThan(0);
      for (const row of rows) expect(org.apiKeys.map((key) => key.id), `${org.slug}: ${row.apiKeyId}`).toContain(row.apiKeyId);
      for (const key of org.apiKeys) {
        const row = rows.find((r) => r.apiKeyId === key.id);
        expect({ key: key.name, spent: key.spentMicros }, org.slug).toEqual({ key: key.name, spent: row?._sum.costMicros ?? 0n });
        expect(key.lastUsedAt?.getTime(), `${org.slug} ${key.name}`).toBe(row?._max.createdAt?.getTime());
        if (row) expect(key.createdAt.getTime(), `${org.slug} ${key.name}`).toBeLessThan(row._min.createdAt!.getTime());
        expect(key.createdAt.getTime()).toBeGreaterThan(org.createdAt.getTime());
        expect(key.spendCapMicros).toBeNull();
      }
    }
    // The README's keys are there, unchanged, and carry requests; the busier borrowers also run a batch key.
    for (const demoKey of DEMO_API_KEYS) {
      const org = orgs.find((o) => o.slug === demoKey.orgSlug)!;
      const key = org.apiKeys.find((k) => k.hash === hashApiKey(demoKey.plaintext));
      expect(key?.name, demoKey.orgSlug).toBe("Demo key (listed in the README)");
      expect(key!.spentMicros, demoKey.orgSlug).toBeGreaterThan(0n);
      // The newest key, so the keys screen's quickstart names it.
      expect(Math.max(...org.apiKeys.map((k) => k.createdAt.getTime())), demoKey.orgSlug).toBe(key!.createdAt.getTime());
    }
    for (const slug of ["acme-ai", "lumen-labs", "vectorly", "parsec-robotics", "halcyon-voice"]) {
      const batch = orgs.find((o) => o.slug === slug)!.apiKeys.find((k) => k.name === "Batch jobs");
      expect(batch?.spentMicros, slug).toBeGreaterThan(0n);
    }
    // Key creation is in the audit trail when the key was made, by the startup's CTO.
    const created = await test.db.auditLog.findMany({ where: { action: "apiKey.created" } });
    const keys = orgs.flatMap((org) => org.apiKeys);
    expect(created.map((row) => row.targetId).sort()).toEqual(keys.map((key) => key.id).sort());
    for (const row of created) expect(row.at.getTime()).toBe(keys.find((key) => key.id === row.targetId)!.createdAt.getTime());
  });

  it("tells the margin-call and frozen startups in their bells, as the services word it, the latest unread", async () => {
    const loans = await test.db.loan.findMany({ where: { state: { in: ["MARGIN_CALL", "FROZEN"] } }, include: { startup: true, freezeEvents: true } });
    expect(loans.map((loan) => loan.startup.slug).sort()).toEqual(["halcyon-voice", "parsec-robotics", "vectorly"]);
    for (const loan of loans) {
      const feed = await listNotifications(test.db, loan.startupOrgId);
      const opened = feed.items.filter((n) => n.kind === "MARGIN_CALL_OPENED" && n.loanId === loan.id);
      const draft = marginCallNotice({ reference: loan.reference, before: { marginCallAt: null }, after: { state: "MARGIN_CALL", marginCallAt: loan.marginCallAt, cureDeadline: loan.cureDeadline } })!;
      expect(opened.map((n) => [n.title, n.body, n.severity, n.createdAt]), loan.startup.slug).toEqual([[draft.title, draft.body, "critical", loan.marginCallAt!.toISOString()]]);
      expect(feed.unread, loan.startup.slug).toBe(1);
      expect(feed.items[0].readAt, loan.startup.slug).toBeNull();
      for (const item of feed.items.slice(1)) expect(item.readAt, `${loan.startup.slug} ${item.kind}`).not.toBeNull();
      if (loan.state === "FROZEN") {
        const [freeze] = loan.freezeEvents;
        const frozen = freezeNotice({ reference: loan.reference, action: "FREEZE", amountMicros: freeze.amountMicros, frozenAfterMicros: freeze.amountMicros, reason: freeze.reason, isAuto: false });
        expect(feed.items[0]).toMatchObject({ kind: "FROZEN", title: frozen.title, body: frozen.body, loanId: loan.id, createdAt: freeze.committedAt.toISOString() });
        expect(feed.items[0].body).toContain(freeze.reason);
      } else {
        expect(feed.items[0].kind, loan.startup.slug).toBe("MARGIN_CALL_OPENED");
      }
    }
    const rejected = await test.db.loan.findFirstOrThrow({ where: { state: "REJECTED" } });
    const rejection = await test.db.notification.findFirstOrThrow({ where: { loanId: rejected.id } });
    expect(rejection).toMatchObject({ orgId: rejected.startupOrgId, kind: "APPLICATION_REJECTED", createdAt: rejected.decidedAt });
    expect(rejection.body).toContain(rejected.rejectionReason!);
    expect(rejection.readAt).not.toBeNull();
    // A decided repayment notice told its startup, when it was decided.
    for (const notice of await test.db.paymentNotice.findMany({ where: { status: { in: ["CONFIRMED", "REFUSED"] } } })) {
      const told = await test.db.notification.findMany({ where: { orgId: notice.startupOrgId, kind: `PAYMENT_${notice.status}`, createdAt: notice.decidedAt! } });
      expect(told, notice.reference).toHaveLength(1);
    }
    // Nobody else's bell: lenders and the platform have none.
    expect(await test.db.notification.count({ where: { org: { kind: { not: "STARTUP" } } } })).toBe(0);
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
