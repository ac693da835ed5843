import "@/lib/server/server-only";
import { cache } from "react";
import { summarisePortfolio, type PortfolioSummary } from "@/lib/domain/valuation/portfolio";
import { matchesSearch, matchesStateFilter, portfolioPage, selectPortfolioRows, type PortfolioView, type SortKey, type StateFilter } from "@/lib/domain/valuation/portfolio-view";
import type { Db } from "@/lib/server/db/client";
import { DEFAULT_HORIZON_DAYS } from "@/lib/server/valuation/outlook";
import { DISBURSED_STATES, getLenderBook, NO_FIGURES, openLoanFigures, serializePortfolioLoan, serializePortfolioSummary, type PortfolioLoan } from "./lender-portfolio";

// Every lender's loans in one table, for the platform's admins (read-only). The figures are each
// lender's own book (getLenderBook): the same query, the same rounding, so a loan reads the same
// on the admin desk as on its lender's Portfolio. Loans not disbursed yet (submitted, withdrawn,
// rejected) have no lender's book and carry no figures. Filter, search, sort and page run on the
// server: the page ships one page of rows, and the CSV export takes the same selection.

/** One loan on the platform: its lender's book row, with the lender named. */
export type PlatformLoan = PortfolioLoan & { lenderOrgId: string | null; lenderName: string | null };

/** What the admin table asks for (components/admin/loans/loans-view.ts parses it from the URL). */
export type PlatformLoansSelection = {
  /** "open", "all", EARLY_WARNING, or a loan state. */
  state: string;
  /** A lender organisation's id, or "all". */
  lender: string;
  q: string;
  /** A Portfolio sort key, or "lender". */
  sort: SortKey | "lender";
  dir: "asc" | "desc";
};

export type PlatformLoanBook = {
  asOf: Date;
  horizonDays: number;
  lenders: { id: string; name: string }[];
  /** Totals over the open loans of every lender. */
  summary: PortfolioSummary;
  /** Every loan on the platform, disbursed or not. */
  loans: PlatformLoan[];
};

/** Every loan on the platform with its live figures: one lender's book per lender, then the loans no book holds. */
export async function getPlatformLoanBook(db: Db, options: { now?: Date; horizonDays?: number } = {}): Promise<PlatformLoanBook> {
  const now = options.now ?? new Date();
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const lenders = await db.organization.findMany({ where: { kind: "LENDER" }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const [books, undisbursed] = await Promise.all([
    Promise.all(lenders.map((lender) => getLenderBook(db, lender.id, { now, horizonDays }))),
    db.loan.findMany({
      where: { state: { notIn: DISBURSED_STATES } },
      select: { id: true, reference: true, state: true, lenderOrgId: true, maintenanceCoverageBps: true, liquidationCoverageBps: true, startup: { select: { name: true } }, lender: { select: { name: true } }, facility: { select: { name: true } } },
    }),
  ]);
  const loans: PlatformLoan[] = books.flatMap((book, i) => book.loans.map((loan) => ({ ...loan, lenderOrgId: lenders[i].id, lenderName: lenders[i].name })));
  for (const loan of undisbursed) {
    loans.push({
      id: loan.id,
      reference: loan.reference,
      startupName: loan.startup.name,
      facilityName: loan.facility?.name ?? null,
      lenderOrgId: loan.lenderOrgId,
      lenderName: loan.lender?.name ?? null,
      state: loan.state,
      watchStatus: loan.state,
      isOpen: false,
      maintenanceBps: loan.maintenanceCoverageBps,
      liquidationBps: loan.liquidationCoverageBps,
      earlyWarningBps: [],
      cureDeadline: null,
      openAlerts: 0,
      ...NO_FIGURES,
    });
  }
  return { asOf: now, horizonDays, lenders, summary: summarisePortfolio(openLoanFigures(loans)), loans };
}

/**
 * The loans the selection shows, in its order (every page): state (as the Portfolio's filter; any
 * other state compares equal), lender, search (borrower, reference, facility or lender), sort
 * (the Portfolio's order; "lender" by name, loans without a lender last). Ties by reference.
 */
export function selectPlatformLoans(loans: readonly PlatformLoan[], selection: PlatformLoansSelection): PlatformLoan[] {
  const needle = selection.q.trim().toLowerCase();
  const matching = loans.filter(
    (loan) =>
      matchesStateFilter(loan, selection.state as StateFilter) &&
      (selection.lender === "all" || loan.lenderOrgId === selection.lender) &&
      (matchesSearch(loan, needle) || (loan.lenderName ?? "").toLowerCase().includes(needle)),
  );
  if (selection.sort !== "lender") return selectPortfolioRows(matching, { state: "all", q: "", sort: selection.sort, dir: selection.dir });
  const sign = selection.dir === "desc" ? -1 : 1;
  return [...matching].sort((a, b) => {
    if (a.lenderName !== b.lenderName) {
      if (a.lenderName === null || b.lenderName === null) return a.lenderName === null ? 1 : -1;
      return a.lenderName.localeCompare(b.lenderName, "en") * sign;
    }
    return a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0;
  });
}

/** The admin's loans page: totals over the open loans, the lenders for the filter, and one page of the selection. */
export async function getPlatformLoans(db: Db, selection: PlatformLoansSelection & Pick<PortfolioView, "page" | "size">, options: { now?: Date } = {}) {
  const { loans, ...book } = await getPlatformLoanBook(db, options);
  const page = portfolioPage(selectPlatformLoans(loans, selection), selection);
  return { ...book, totalLoans: loans.length, page };
}

// ───────────────────────────── On the wire ─────────────────────────────

/** One platform loan on the wire: the Portfolio's row (money as µUSD strings) and its lender. */
export function serializePlatformLoan(loan: PlatformLoan) {
  return { ...serializePortfolioLoan(loan), lenderOrgId: loan.lenderOrgId, lenderName: loan.lenderName };
}

export function serializePlatformLoans(result: Awaited<ReturnType<typeof getPlatformLoans>>) {
  return {
    asOf: result.asOf.toISOString(),
    horizonDays: result.horizonDays,
    lenders: result.lenders,
    totalLoans: result.totalLoans,
    summary: serializePortfolioSummary(result.summary),
    page: { loans: result.page.rows.map(serializePlatformLoan), total: result.page.total, page: result.page.page, pageCount: result.page.pageCount },
  };
}

export type PlatformLoansDto = ReturnType<typeof serializePlatformLoans>;
export type PlatformLoanDto = ReturnType<typeof serializePlatformLoan>;

/**
 * Any loan on the platform by id (an admin's desk reads every lender's), with its lender's name, or
 * null when there is none: the admin loan page's existence check before anything streams. Once per
 * request (React cache).
 */
export const findPlatformLoan = cache(async (db: Db, loanId: string): Promise<{ id: string; reference: string; lenderName: string | null; startupName: string } | null> => {
  if (typeof loanId !== "string" || loanId.length === 0 || loanId.length > 64) return null;
  const loan = await db.loan.findFirst({ where: { id: loanId }, select: { id: true, reference: true, lender: { select: { name: true } }, startup: { select: { name: true } } } });
  return loan ? { id: loan.id, reference: loan.reference, lenderName: loan.lender?.name ?? null, startupName: loan.startup.name } : null;
});
