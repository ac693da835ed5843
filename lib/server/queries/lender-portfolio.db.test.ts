// The Portfolio page's query on real SQLite and PostgreSQL: every open loan's figures equal the
// per-loan computation (loadLoanFigures) and its days to margin call and 7-day burn equal the
// loan outlook's (getLoanOutlook), on the demo world and on a synthetic book of 1,000 loans; the
// number of queries does not grow with the book; another lender's loans never appear.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import { valueAtMarkMicros } from "@/lib/domain/valuation";
import { summarisePortfolio } from "@/lib/domain/valuation/portfolio";
import { DEFAULT_PORTFOLIO_VIEW, selectPortfolioRows, type PortfolioView } from "@/lib/domain/valuation/portfolio-view";
import type { Db } from "@/lib/server/db/client";
import { loadLoanFigures } from "@/lib/server/loans/figures";
import { seedDemoWorld } from "@/lib/server/seed/demo-world";
import { getLoanOutlook } from "@/lib/server/valuation/outlook";
import { getLenderBook, getLenderPortfolio, loadCoverageSparklines, SPARKLINE_DAYS, type LenderBook } from "./lender-portfolio";

const NOW = new Date("2026-11-25T10:26:41.343Z");
const DAY_MS = 86_400_000;
const BOOK_SIZE = 1_000;

/** A deterministic pseudo-random source (the same book every run). */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

async function inChunks<T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

/**
 * A lender with `size` loans written in bulk, in every open state and a few closed, with the
 * edge cases the figures must get right: no index at origination (par mark), an index above
 * origination, no debt (infinite coverage), interest accrued days ago with a carry, partly paid
 * and overdue installments, frozen collateral, loans activated days ago (short burn history),
 * custom early-warning levels; 4 coverage snapshots a day for 35 days and 8 days of rollups.
 */
async function seedSyntheticBook(db: Db, size: number): Promise<string> {
  const random = lcg(20_261_125);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const tag = `book-${Date.now().toString(36)}`;
  const lender = await db.organization.create({ data: { name: `Synthetic Lender ${tag}`, slug: tag, kind: "LENDER" } });
  const startups = Array.from({ length: size }, (_, i) => ({ id: `${tag}-s${i}`, name: `Startup ${i}`, slug: `${tag}-s${i}`, kind: "STARTUP" }));
  await inChunks(startups, 500, (chunk) => db.organization.createMany({ data: chunk }));
  const indexNow = (await db.gpuIndexFix.findFirst({ where: { day: { lte: NOW.toISOString().slice(0, 10) } }, orderBy: { day: "desc" } }))!.priceMicrosPerGpuHour;
  const states = ["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "MARGIN_CALL", "DELINQUENT", "FROZEN", "REPAID", "LIQUIDATED"] as const;

  const loans = [];
  const lots = [];
  const installments = [];
  const snapshots = [];
  const usage = [];
  const alerts = [];
  for (let i = 0; i < size; i++) {
    const id = `${tag}-l${i}`;
    const state = states[i % states.length];
    const principal = BigInt(10_000 + Math.floor(random() * 490_000)) * 1_000_000n;
    const isDebtFree = i % 97 === 0;
    const activatedDaysAgo = i % 50 === 0 ? 3 : 20 + Math.floor(random() * 300);
    const activatedAt = new Date(NOW.getTime() - activatedDaysAgo * DAY_MS - Math.floor(random() * DAY_MS));
    const indexAtOrigination = i % 11 === 0 ? null : (indexNow * BigInt(800 + Math.floor(random() * 500))) / 1_000n;
    loans.push({
      id,
      reference: `${tag}-${String(i).padStart(4, "0")}`,
      startupOrgId: startups[i].id,
      lenderOrgId: lender.id,
      state,
      principalMicros: principal,
      multiplierBps: 12_500,
      termMonths: 12,
      pledgedMicros: 0n,
      purpose: "synthetic",
      aprBps: pick([0, 900, 1_400, 1_650, 2_400]),
      earlyWarningBps: i % 13 === 0 ? "15000" : "14000,13000",
      maintenanceCoverageBps: i % 17 === 0 ? 13_000 : 12_500,
      redistributionFeeBps: pick([1_500, 1_500, 1_000, 2_000]),
      indexAtOriginationMicros: indexAtOrigination,
      principalOutstandingMicros: isDebtFree ? 0n : (principal * BigInt(50 + Math.floor(random() * 50))) / 100n,
      interestAccruedMicros: isDebtFree ? 0n : BigInt(Math.floor(random() * 5_000_000_000)),
      interestAccruedThrough: new Date(NOW.getTime() - Math.floor(random() * 9 * DAY_MS)),
      interestCarry: BigInt(Math.floor(random() * 3_650_000)),
      activatedAt,
      closedAt: state === "REPAID" || state === "LIQUIDATED" ? new Date(NOW.getTime() - DAY_MS) : null,
      cureDeadline: state === "MARGIN_CALL" ? new Date(NOW.getTime() + 30 * 3_600_000) : null,
      marginCallAt: state === "MARGIN_CALL" ? new Date(NOW.getTime() - 42 * 3_600_000) : null,
    });
    const financed = (principal * BigInt(8_000 + Math.floor(random() * 12_000))) / 10_000n;
    const pledged = i % 3 === 0 ? BigInt(Math.floor(random() * 50_000)) * 1_000_000n + 7n : 0n;
    lots.push({ id: `${id}-f`, orgId: startups[i].id, kind: "FINANCED", priority: 0, loanId: id, lenderOrgId: lender.id, originalMicros: financed, remainingMicros: financed, frozenMicros: state === "FROZEN" ? financed / 2n : 0n });
    if (pledged > 0n) lots.push({ id: `${id}-p`, orgId: startups[i].id, kind: "PLEDGED", priority: 1, loanId: id, lenderOrgId: lender.id, originalMicros: pledged, remainingMicros: pledged, frozenMicros: 0n });
    // Own credits outside the loan: never collateral.
    lots.push({ id: `${id}-o`, orgId: startups[i].id, kind: "PURCHASED", priority: 2, loanId: null, lenderOrgId: null, originalMicros: 123_000_000n, remainingMicros: 123_000_000n, frozenMicros: 0n });
    const installment = principal / 12n + 1_234_567n;
    for (let seq = 1; seq <= 12; seq++) {
      const dueDate = new Date(activatedAt.getTime() + seq * 30 * DAY_MS);
      const isPast = dueDate.getTime() < NOW.getTime();
      // Past installments are paid, except every 7th loan's latest one (overdue) and some partly paid.
      const isOverdue = isPast && i % 7 === 0 && dueDate.getTime() > NOW.getTime() - 30 * DAY_MS;
      const paid = isPast && !isOverdue ? installment : i % 5 === 0 && seq === 12 ? installment / 3n : 0n;
      installments.push({ id: `${id}-i${seq}`, loanId: id, seq, dueDate, amountMicros: installment, principalMicros: installment, interestMicros: 0n, paidMicros: paid, status: paid === installment ? "PAID" : isOverdue ? "OVERDUE" : "DUE" });
    }
    for (let day = 0; day < 35; day++) {
      for (let k = 0; k < 4; k++) {
        const at = new Date(NOW.getTime() - day * DAY_MS - k * 5 * 3_600_000 - 60_000);
        const coverage = i % 97 === 0 && k === 0 ? null : 9_000 + Math.floor(random() * 12_000);
        snapshots.push({ loanId: id, at, collateralMicros: financed, debtMicros: principal, markPpm: 850_000, coverageBps: coverage, indexMicros: indexNow, reason: "seed" });
      }
    }
    for (let day = 1; day <= 8; day++) {
      if (i % 4 === 0 && day === 2) continue; // a day without spend
      for (const modelSlug of ["m-a", "m-b"]) {
        usage.push({ orgId: startups[i].id, day: new Date(NOW.getTime() - day * DAY_MS).toISOString().slice(0, 10), modelSlug, providerSlug: "simulator", requests: 10, costMicros: BigInt(Math.floor(random() * 2_000_000_000)) });
      }
    }
    if (i % 10 === 0) alerts.push({ loanId: id, lenderOrgId: lender.id, kind: "EARLY_WARNING_1", severity: "warning", state: "OPEN", openKey: `${id}:EARLY_WARNING_1`, message: "synthetic" });
    if (i % 20 === 0) alerts.push({ loanId: id, lenderOrgId: lender.id, kind: "FROZEN", severity: "info", state: "ACKNOWLEDGED", openKey: `${id}:FROZEN`, message: "synthetic" });
  }
  await inChunks(loans, 500, (chunk) => db.loan.createMany({ data: chunk }));
  await inChunks(lots, 1_000, (chunk) => db.creditLot.createMany({ data: chunk }));
  await inChunks(installments, 2_000, (chunk) => db.installment.createMany({ data: chunk }));
  await inChunks(snapshots, 5_000, (chunk) => db.coverageSnapshot.createMany({ data: chunk }));
  await inChunks(usage, 2_000, (chunk) => db.usageDaily.createMany({ data: chunk }));
  await db.alert.createMany({ data: alerts });
  return lender.id;
}

/** Counts Prisma model calls and SQL programs through a client, passing everything through. */
function countingDb(db: Db) {
  const counter = { calls: 0 };
  const client = (db as unknown as { $blockableClient?: object }).$blockableClient ?? db;
  const proxy = new Proxy(db, {
    get(target, property, receiver) {
      if (property === "$blockableClient") return client;
      const value = Reflect.get(target, property, receiver);
      if (typeof property === "string" && !property.startsWith("$") && value && typeof value === "object") {
        return new Proxy(value, {
          get(delegate, method) {
            const fn = Reflect.get(delegate, method);
            if (typeof fn !== "function") return fn;
            return (...args: unknown[]) => {
              counter.calls++;
              return fn.apply(delegate, args);
            };
          },
        });
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: proxy, counter };
}

/** Every open loan's figures against the per-loan computation, the outlook and the stored rows. */
async function expectSameAsPerLoan(db: Db, lenderOrgId: string, book: LenderBook) {
  const loans = await db.loan.findMany({ where: { lenderOrgId, state: { in: [...OPEN_LOAN_STATES] } } });
  const rows = new Map(book.loans.map((row) => [row.id, row]));
  expect(book.loans.filter((row) => row.isOpen).map((row) => row.id).sort()).toEqual(loans.map((loan) => loan.id).sort());
  const perLoan = [];
  for (const loan of loans) {
    const row = rows.get(loan.id)!;
    const figures = await loadLoanFigures(db, loan, NOW);
    const outlook = await getLoanOutlook(db, { loanId: loan.id, viewerOrgId: lenderOrgId, now: NOW });
    // Selling the collateral at the loan's exact mark raises ⌊collateral × mark⌋.
    const collateralValueMicros = valueAtMarkMicros(figures.collateralMicros, figures.mark);
    const schedule = await db.installment.findMany({ where: { loanId: loan.id }, orderBy: { seq: "asc" } });
    const nextUnpaid = schedule.find((installment) => installment.paidMicros < installment.amountMicros) ?? null;
    expect(
      {
        debtMicros: row.debtMicros,
        collateralMicros: row.collateralMicros,
        frozenMicros: row.frozenMicros,
        collateralValueMicros: row.collateralValueMicros,
        markPpm: row.markPpm,
        coverageBps: row.coverageBps,
        burnMicrosPerDay: row.burnMicrosPerDay,
        daysToMarginCall: row.daysToMarginCall,
        marginCallDate: row.marginCallDate,
        nextInstallment: row.nextInstallment && { dueAt: row.nextInstallment.dueAt, amountMicros: row.nextInstallment.amountMicros },
      },
      loan.reference,
    ).toEqual({
      debtMicros: figures.debtMicros,
      collateralMicros: figures.collateralMicros,
      frozenMicros: figures.frozenCollateralMicros,
      collateralValueMicros,
      markPpm: figures.markPpm,
      coverageBps: figures.coverageBps,
      burnMicrosPerDay: outlook.assumptions.burnMicrosPerDay,
      daysToMarginCall: outlook.projection.daysToMarginCall,
      marginCallDate: outlook.projection.marginCallDate,
      nextInstallment: nextUnpaid && { dueAt: nextUnpaid.dueDate, amountMicros: nextUnpaid.amountMicros - nextUnpaid.paidMicros },
    });
    perLoan.push({ ...figures, collateralValueMicros, state: loan.state, earlyWarningBps: row.earlyWarningBps });
  }
  // The KPIs are the per-loan figures summed by the domain's rule; open alerts are the lender's OPEN ones.
  const { openAlerts, ...summary } = book.summary;
  expect(summary).toEqual(summarisePortfolio(perLoan));
  expect(openAlerts).toBe(await db.alert.count({ where: { lenderOrgId, state: "OPEN" } }));
  expect(book.distribution.reduce((n, band) => n + band.loans, 0)).toBe(loans.length);
  expect(book.distribution.reduce((sum, band) => sum + band.debtMicros, 0n)).toBe(summary.totalDebtMicros);

  // Sparklines: coverage at the end of each of the 30 UTC days ending today = the last stored snapshot before that day's end.
  const today = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate());
  const dayEnds = Array.from({ length: SPARKLINE_DAYS }, (_, slot) => today - (SPARKLINE_DAYS - 2 - slot) * DAY_MS);
  const stored = await db.coverageSnapshot.findMany({ where: { loan: { lenderOrgId, state: { in: [...OPEN_LOAN_STATES] } } }, select: { loanId: true, at: true, coverageBps: true }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  const byLoan = new Map<string, { at: number; coverageBps: number | null }[]>();
  for (const snapshot of stored) byLoan.set(snapshot.loanId, [...(byLoan.get(snapshot.loanId) ?? []), { at: snapshot.at.getTime(), coverageBps: snapshot.coverageBps }]);
  const sparklines = await loadCoverageSparklines(db, lenderOrgId, loans.map((loan) => loan.id), NOW);
  for (const loan of loans) {
    const history = byLoan.get(loan.id) ?? [];
    expect(sparklines.get(loan.id), loan.reference).toEqual(dayEnds.map((end) => history.filter((snapshot) => snapshot.at < end).at(-1)?.coverageBps ?? null));
  }
}

function expectWorstCoverageFirst(book: LenderBook) {
  const open = book.loans.filter((row) => row.isOpen);
  const closedFrom = book.loans.findIndex((row) => !row.isOpen);
  if (closedFrom >= 0) expect(book.loans.slice(closedFrom).every((row) => !row.isOpen)).toBe(true);
  const ranks = open.map((row) => row.coverageBps ?? Infinity);
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
}

const view = (patch: Partial<PortfolioView> = {}): PortfolioView => ({ ...DEFAULT_PORTFOLIO_VIEW, ...patch });

await describeEachProvider("lender portfolio", (provider) => {
  let test: TestDatabase;
  let northwindId: string;
  let kestrelId: string;
  let bookId: string;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await seedDemoWorld(test.db, { now: NOW, scale: 0.02 });
    northwindId = (await test.db.organization.findUniqueOrThrow({ where: { slug: "northwind-credit-fund" } })).id;
    kestrelId = (await test.db.organization.findUniqueOrThrow({ where: { slug: "kestrel-capital" } })).id;
    bookId = await seedSyntheticBook(test.db, BOOK_SIZE);
  }, 600_000);
  afterAll(async () => {
    await test?.drop();
  });

  it("on the demo world, every figure equals the per-loan computation, worst coverage first", async () => {
    for (const lenderOrgId of [northwindId, kestrelId]) {
      const book = await getLenderBook(test.db, lenderOrgId, { now: NOW });
      expect(book.loans.some((row) => row.isOpen)).toBe(true);
      await expectSameAsPerLoan(test.db, lenderOrgId, book);
      expectWorstCoverageFirst(book);
    }
    const northwind = await getLenderPortfolio(test.db, northwindId, { now: NOW });
    // Vectorly's margin call (120.5% coverage) is the loan that needs the analyst first.
    expect(northwind.page.loans[0]).toMatchObject({ startupName: "Vectorly", state: "MARGIN_CALL", watchStatus: "MARGIN_CALL", daysToMarginCall: 0 });
    expect(northwind.summary.loansByWatchStatus.MARGIN_CALL).toBe(1);
    // The seeded snapshots (one at the end of every day) show as a full 30-day line.
    expect(northwind.page.loans[0].coverageDailyBps.filter((bps) => bps !== null).length).toBe(SPARKLINE_DAYS);
  });

  it("Kestrel sees none of Northwind's loans, and Northwind none of Kestrel's", async () => {
    const all = view({ state: "all", size: 100 });
    const [northwind, kestrel] = await Promise.all([getLenderPortfolio(test.db, northwindId, { now: NOW, view: all }), getLenderPortfolio(test.db, kestrelId, { now: NOW, view: all })]);
    const northwindLoans = await test.db.loan.findMany({ where: { lenderOrgId: northwindId }, select: { id: true } });
    expect(northwindLoans.length).toBeGreaterThan(0);
    const kestrelIds = new Set(kestrel.page.loans.map((row) => row.id));
    for (const { id } of northwindLoans) expect(kestrelIds.has(id)).toBe(false);
    expect(kestrel.page.loans.map((row) => row.startupName)).toEqual(expect.arrayContaining(["Lumen Labs", "Parsec Robotics"]));
    expect(kestrel.page.loans.some((row) => ["Vectorly", "Acme AI"].includes(row.startupName))).toBe(false);
    expect(northwind.page.loans.some((row) => ["Lumen Labs", "Parsec Robotics"].includes(row.startupName))).toBe(false);
    expect(kestrel.summary.openAlerts).toBe(await test.db.alert.count({ where: { lenderOrgId: kestrelId, state: "OPEN" } }));
    // Searching for Northwind's borrower from Kestrel finds nothing; Northwind's loan ids draw no line for Kestrel.
    expect((await getLenderPortfolio(test.db, kestrelId, { now: NOW, view: view({ state: "all", q: "Vectorly" }) })).page.total).toBe(0);
    expect((await loadCoverageSparklines(test.db, kestrelId, northwindLoans.map((loan) => loan.id), NOW)).size).toBe(0);
    // A lender with no loans sees an empty book, not someone else's.
    const empty = await test.db.organization.create({ data: { name: "Empty Lender", slug: `empty-${provider}`, kind: "LENDER" } });
    const none = await getLenderPortfolio(test.db, empty.id, { now: NOW, view: all });
    expect([none.totalLoans, none.page.total, none.page.loans]).toEqual([0, 0, []]);
    expect(none.summary).toMatchObject({ openLoans: 0, totalDebtMicros: 0n, openAlerts: 0, debtWeightedCoverageBps: null });
  });

  it(`on a synthetic book of ${BOOK_SIZE} loans, every figure equals the per-loan computation`, async () => {
    const book = await getLenderBook(test.db, bookId, { now: NOW });
    expect(book.loans).toHaveLength(BOOK_SIZE);
    await expectSameAsPerLoan(test.db, bookId, book);
    expectWorstCoverageFirst(book);
    // The edge cases are really in the book.
    const open = book.loans.filter((row) => row.isOpen);
    expect(open.some((row) => row.coverageBps === null)).toBe(true);
    expect(open.some((row) => row.nextInstallment?.isOverdue)).toBe(true);
    expect(open.some((row) => row.daysToMarginCall !== null && row.daysToMarginCall > 0)).toBe(true);
    expect(Object.values(book.summary.loansByWatchStatus).every((count) => count > 0)).toBe(true);
  });

  it("shows the page the view asks for, with the lines of just those loans", async () => {
    const book = await getLenderBook(test.db, bookId, { now: NOW });
    for (const asked of [view(), view({ state: "FROZEN", sort: "debt", dir: "desc", page: 2, size: 10 }), view({ state: "all", q: "00", sort: "daysToMarginCall", page: 3, size: 50 }), view({ page: 99 })]) {
      const portfolio = await getLenderPortfolio(test.db, bookId, { now: NOW, view: asked });
      const selected = selectPortfolioRows(book.loans, asked);
      const pageCount = Math.max(1, Math.ceil(selected.length / asked.size));
      const page = Math.min(asked.page, pageCount);
      expect(portfolio.view).toEqual({ ...asked, page });
      expect([portfolio.page.total, portfolio.page.pageCount, portfolio.totalLoans]).toEqual([selected.length, pageCount, BOOK_SIZE]);
      expect(portfolio.page.loans.map((row) => row.id)).toEqual(selected.slice((page - 1) * asked.size, page * asked.size).map((row) => row.id));
      const lines = await loadCoverageSparklines(test.db, bookId, portfolio.page.loans.map((row) => row.id), NOW);
      for (const row of portfolio.page.loans) expect(row.coverageDailyBps, row.reference).toEqual(row.isOpen ? lines.get(row.id) : []);
    }
  });

  it("reads the whole book in the same number of queries for 2 loans and for 1,000, and reports its time", async () => {
    const small = countingDb(test.db);
    await getLenderPortfolio(small.db, northwindId, { now: NOW });
    const large = countingDb(test.db);
    await getLenderPortfolio(large.db, bookId, { now: NOW });
    // Prisma calls (the SQL reads — spend, coverage lines — are one statement each, by construction).
    expect(large.counter.calls).toBe(small.counter.calls);
    expect(large.counter.calls).toBeLessThanOrEqual(6);

    const timings: Record<string, number[]> = { demo: [], book: [] };
    for (let i = 0; i < 20; i++) {
      let started = performance.now();
      await getLenderPortfolio(test.db, northwindId, { now: NOW });
      timings.demo.push(performance.now() - started);
      started = performance.now();
      await getLenderPortfolio(test.db, bookId, { now: NOW });
      timings.book.push(performance.now() - started);
    }
    const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1].toFixed(1);
    for (const [name, values] of Object.entries(timings)) console.log(`portfolio query on ${provider}, ${name}: p50 ${pct(values, 50)} ms, p95 ${pct(values, 95)} ms (20 runs)`);
  });
});
