// The admin's loans across the platform on real SQLite and PostgreSQL, on the demo world: every
// loan of every lender (and every application not disbursed) in one table; each loan's figures
// are exactly its lender's (the Portfolio's row, the loan page's detail and series); filter by
// state, lender and search, sort and page as asked.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PageSize } from "@/lib/domain/valuation/portfolio-view";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { seedDemoWorld } from "@/lib/server/seed/demo-world";
import { findPlatformLoan, getPlatformLoanBook, getPlatformLoans, selectPlatformLoans, serializePlatformLoans, type PlatformLoansSelection } from "./admin-loans";
import { getLenderLoanPageOrThrow, getLoanPageOrThrow } from "./lender-loan-page";
import { getLenderLoanOrThrow, getScopedLoanOrThrow } from "./lender-loans";
import { getLenderBook } from "./lender-portfolio";

const NOW = new Date("2026-11-25T10:26:41.343Z");
const ALL: PlatformLoansSelection = { state: "all", lender: "all", q: "", sort: "coverage", dir: "asc" };

await describeEachProvider("admin loans across the platform", (provider) => {
  let test: TestDatabase;
  let northwindId: string;
  let kestrelId: string;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await seedDemoWorld(test.db, { now: NOW, scale: 0.02 });
    northwindId = (await test.db.organization.findUniqueOrThrow({ where: { slug: "northwind-credit-fund" } })).id;
    kestrelId = (await test.db.organization.findUniqueOrThrow({ where: { slug: "kestrel-capital" } })).id;
  }, 600_000);
  afterAll(async () => {
    await test?.drop();
  });

  it("holds every loan on the platform once, each disbursed one with exactly its lender's figures", async () => {
    const book = await getPlatformLoanBook(test.db, { now: NOW });
    expect(book.loans).toHaveLength(await test.db.loan.count());
    expect(new Set(book.loans.map((loan) => loan.id)).size).toBe(book.loans.length);
    expect(book.lenders.map((lender) => lender.name)).toEqual(expect.arrayContaining(["Kestrel Capital", "Northwind Credit Fund"]));
    for (const [lenderOrgId, lenderName] of [
      [northwindId, "Northwind Credit Fund"],
      [kestrelId, "Kestrel Capital"],
    ]) {
      const lenderBook = await getLenderBook(test.db, lenderOrgId, { now: NOW });
      const platformRows = book.loans.filter((loan) => loan.lenderOrgId === lenderOrgId && loan.watchStatus !== "SUBMITTED");
      expect(lenderBook.loans.length).toBeGreaterThan(0);
      for (const row of lenderBook.loans) expect(platformRows.find((loan) => loan.id === row.id), row.reference).toEqual({ ...row, lenderOrgId, lenderName });
    }
    // The open loans' totals are every lender's summed.
    const [northwind, kestrel] = await Promise.all([getLenderBook(test.db, northwindId, { now: NOW }), getLenderBook(test.db, kestrelId, { now: NOW })]);
    expect(book.summary.openLoans).toBe(northwind.summary.openLoans + kestrel.summary.openLoans);
    expect(book.summary.totalDebtMicros).toBe(northwind.summary.totalDebtMicros + kestrel.summary.totalDebtMicros);
    expect(book.summary.collateralValueMicros).toBe(northwind.summary.collateralValueMicros + kestrel.summary.collateralValueMicros);
    // An application not yet decided has no lender's book: it is listed, without figures.
    const submitted = book.loans.filter((loan) => loan.state === "SUBMITTED");
    expect(submitted.length).toBeGreaterThan(0);
    for (const loan of submitted) expect(loan).toMatchObject({ isOpen: false, coverageBps: null, debtMicros: null, collateralMicros: null });
  });

  it("reads a loan's page as its lender does: the same detail and the same series and tables", async () => {
    const loans = await test.db.loan.findMany({ where: { lenderOrgId: { not: null }, state: { in: ["MARGIN_CALL", "FROZEN", "ACTIVE", "REPAID"] } }, select: { id: true, lenderOrgId: true } });
    expect(loans.length).toBeGreaterThan(2);
    for (const loan of loans.slice(0, 4)) {
      expect(await getScopedLoanOrThrow(test.db, { kind: "platform" }, loan.id, NOW)).toEqual(await getLenderLoanOrThrow(test.db, loan.lenderOrgId!, loan.id, NOW));
      expect(await getLoanPageOrThrow(test.db, { kind: "platform" }, loan.id, { now: NOW })).toEqual(await getLenderLoanPageOrThrow(test.db, loan.lenderOrgId!, loan.id, { now: NOW }));
    }
    // A submitted application (no lender yet) has a page too, with nothing to chart.
    const submitted = await test.db.loan.findFirstOrThrow({ where: { state: "SUBMITTED" } });
    expect(await getLoanPageOrThrow(test.db, { kind: "platform" }, submitted.id, { now: NOW })).toMatchObject({ state: "SUBMITTED", projection: null, coverage: { points: [] } });
    // No such loan: a 404 for the page, null for the layout's check.
    await expect(getScopedLoanOrThrow(test.db, { kind: "platform" }, "no-such-loan", NOW)).rejects.toMatchObject({ status: 404, code: "loan_not_found" });
    await expect(getLoanPageOrThrow(test.db, { kind: "platform" }, "no-such-loan", { now: NOW })).rejects.toMatchObject({ status: 404 });
    expect(await findPlatformLoan(test.db, "no-such-loan")).toBeNull();
    expect(await findPlatformLoan(test.db, "x".repeat(65))).toBeNull();
    expect(await findPlatformLoan(test.db, loans[0].id)).toMatchObject({ id: loans[0].id, lenderName: expect.any(String) });
  });

  it("filters by state (open by default), lender and search, sorts and pages on the server", async () => {
    const { loans } = await getPlatformLoanBook(test.db, { now: NOW });
    const open = selectPlatformLoans(loans, { ...ALL, state: "open" });
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((loan) => loan.isOpen)).toBe(true);
    expect(new Set(open.map((loan) => loan.lenderName))).toEqual(new Set(["Kestrel Capital", "Northwind Credit Fund"]));
    // Worst coverage first, as the lender's Portfolio.
    const ranks = open.map((loan) => loan.coverageBps ?? Infinity);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));

    expect(selectPlatformLoans(loans, { ...ALL, state: "SUBMITTED" }).every((loan) => loan.state === "SUBMITTED")).toBe(true);
    expect(selectPlatformLoans(loans, { ...ALL, state: "SUBMITTED" }).length).toBe(await test.db.loan.count({ where: { state: "SUBMITTED" } }));
    expect(selectPlatformLoans(loans, { ...ALL, state: "REPAID" }).length).toBe(await test.db.loan.count({ where: { state: "REPAID" } }));

    const kestrel = selectPlatformLoans(loans, { ...ALL, lender: kestrelId });
    expect(kestrel.length).toBe(await test.db.loan.count({ where: { lenderOrgId: kestrelId } }));
    expect(kestrel.every((loan) => loan.lenderName === "Kestrel Capital")).toBe(true);
    // Search looks in the lender's name too, ignoring case.
    expect(selectPlatformLoans(loans, { ...ALL, q: "kestrel" }).map((loan) => loan.id).sort()).toEqual(kestrel.map((loan) => loan.id).sort());
    expect(selectPlatformLoans(loans, { ...ALL, q: "Vectorly" }).every((loan) => loan.startupName === "Vectorly")).toBe(true);
    expect(selectPlatformLoans(loans, { ...ALL, lender: "no-such-lender" })).toEqual([]);

    // By lender, A→Z then Z→A; loans without a lender last either way.
    for (const dir of ["asc", "desc"] as const) {
      const names = selectPlatformLoans(loans, { ...ALL, sort: "lender", dir }).map((loan) => loan.lenderName);
      const named = names.filter((name): name is string => name !== null);
      expect(names.slice(named.length).every((name) => name === null)).toBe(true);
      const sorted = [...named].sort((a, b) => a.localeCompare(b, "en"));
      expect(named).toEqual(dir === "asc" ? sorted : sorted.reverse());
    }

    // One page of the selection (3 a page: the small demo world has a few loans); a page past the end shows the last one.
    const all = selectPlatformLoans(loans, { ...ALL, sort: "debt", dir: "desc" });
    expect(all.length).toBeGreaterThan(6);
    const second = await getPlatformLoans(test.db, { ...ALL, sort: "debt", dir: "desc", page: 2, size: 3 as PageSize }, { now: NOW });
    expect(second.page).toMatchObject({ total: all.length, page: 2, pageCount: Math.ceil(all.length / 3) });
    expect(second.page.rows.map((loan) => loan.id)).toEqual(all.slice(3, 6).map((loan) => loan.id));
    const past = await getPlatformLoans(test.db, { ...ALL, page: 99, size: 100 }, { now: NOW });
    expect(past.page.page).toBe(past.page.pageCount);
    // On the wire: money as µUSD strings, the lender named.
    const wire = serializePlatformLoans(second);
    expect(wire.page.loans[0]).toMatchObject({ id: all[3].id, lenderName: all[3].lenderName, debtMicros: all[3].debtMicros?.toString() ?? null });
  });
});
