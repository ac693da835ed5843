// What the Portfolio page's loans table shows of a book: which loans (State filter, search), in
// which order, which page. The view lives in the URL (?state=&q=&sort=&dir=&page=&size=), so the
// server renders only the page the analyst looks at — a thousand-loan book ships 25 rows, not a
// thousand — a link or a reload shows the same table, and the CSV export takes the same view.
// Pure: the page, the export route and the client's links all read and write it here.

export const STATE_FILTERS = [
  { value: "open", label: "Open loans" },
  { value: "EARLY_WARNING", label: "Early warning" },
  { value: "MARGIN_CALL", label: "Margin call" },
  { value: "DELINQUENT", label: "Delinquent" },
  { value: "FROZEN", label: "Frozen" },
  { value: "ACTIVE", label: "Active" },
  { value: "REPAID", label: "Repaid" },
  { value: "LIQUIDATED", label: "Liquidated" },
  { value: "all", label: "All loans" },
] as const;
export type StateFilter = (typeof STATE_FILTERS)[number]["value"];

export const SORT_KEYS = ["loan", "state", "coverage", "debt", "collateral", "daysToMarginCall", "burn", "nextInstallment", "alerts"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export const MAX_SEARCH_LENGTH = 100;

export type PortfolioView = { state: StateFilter; q: string; sort: SortKey; dir: "asc" | "desc"; page: number; size: PageSize };

/** Open loans, worst coverage first, 25 a page: the analyst's morning question. */
export const DEFAULT_PORTFOLIO_VIEW: PortfolioView = { state: "open", q: "", sort: "coverage", dir: "asc", page: 1, size: 25 };

type SearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The view in a URL's query; anything missing or not understood is the default (a bad link shows the default table, never an error). */
export function parsePortfolioView(params: SearchParams): PortfolioView {
  const state = first(params.state);
  const sort = first(params.sort);
  const dir = first(params.dir);
  const page = Number(first(params.page));
  const size = Number(first(params.size));
  return {
    state: STATE_FILTERS.some((option) => option.value === state) ? (state as StateFilter) : DEFAULT_PORTFOLIO_VIEW.state,
    q: (first(params.q) ?? "").trim().slice(0, MAX_SEARCH_LENGTH),
    sort: (SORT_KEYS as readonly string[]).includes(sort ?? "") ? (sort as SortKey) : DEFAULT_PORTFOLIO_VIEW.sort,
    dir: dir === "desc" ? "desc" : dir === "asc" ? "asc" : DEFAULT_PORTFOLIO_VIEW.dir,
    page: Number.isSafeInteger(page) && page >= 1 ? page : DEFAULT_PORTFOLIO_VIEW.page,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? (size as PageSize) : DEFAULT_PORTFOLIO_VIEW.size,
  };
}

/** The URL query for a view, defaults left out ("" for the default view); `keys` limits it (the export needs no page). */
export function portfolioViewQuery(view: PortfolioView, keys: readonly (keyof PortfolioView)[] = ["state", "q", "sort", "dir", "page", "size"]): string {
  const params = new URLSearchParams();
  for (const key of keys) if (view[key] !== DEFAULT_PORTFOLIO_VIEW[key]) params.set(key, String(view[key]));
  return params.toString();
}

/** What filtering and sorting read of a loan (the server's rows have more). */
export type PortfolioRowFields = {
  reference: string;
  startupName: string;
  facilityName: string | null;
  state: string;
  watchStatus: string;
  isOpen: boolean;
  /** null on an open loan = infinite (no debt). */
  coverageBps: number | null;
  debtMicros: bigint | null;
  collateralMicros: bigint | null;
  /** null on an open loan = not within the projection's horizon. */
  daysToMarginCall: number | null;
  burnMicrosPerDay: bigint | null;
  nextInstallmentDueAt: Date | null;
  openAlerts: number;
};

export function matchesStateFilter(loan: Pick<PortfolioRowFields, "isOpen" | "state" | "watchStatus">, filter: StateFilter): boolean {
  if (filter === "all") return true;
  if (filter === "open") return loan.isOpen;
  if (filter === "EARLY_WARNING") return loan.watchStatus === "EARLY_WARNING";
  return loan.state === filter;
}

/** "Search loans" looks in the borrower's name, the loan's reference and the facility's name, ignoring case. */
export function matchesSearch(loan: Pick<PortfolioRowFields, "startupName" | "reference" | "facilityName">, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (!needle) return true;
  return [loan.startupName, loan.reference, loan.facilityName ?? ""].some((text) => text.toLowerCase().includes(needle));
}

/** The State column sorts by what needs the analyst first. */
const WATCH_ORDER = ["FROZEN", "MARGIN_CALL", "DELINQUENT", "EARLY_WARNING", "ACTIVE", "REPAID", "LIQUIDATED"];

type SortValue = number | bigint | string | null;

/** A loan's value in a column; null = nothing to compare (a closed loan's live figures), always listed last. */
function sortValue(loan: PortfolioRowFields, key: SortKey): SortValue {
  switch (key) {
    case "loan":
      return loan.startupName.toLowerCase();
    case "state": {
      const rank = WATCH_ORDER.indexOf(loan.watchStatus);
      return rank === -1 ? WATCH_ORDER.length : rank;
    }
    case "coverage":
      return loan.isOpen ? (loan.coverageBps ?? Number.POSITIVE_INFINITY) : null;
    case "daysToMarginCall":
      return loan.isOpen ? (loan.daysToMarginCall ?? Number.POSITIVE_INFINITY) : null;
    case "debt":
      return loan.debtMicros;
    case "collateral":
      return loan.collateralMicros;
    case "burn":
      return loan.burnMicrosPerDay;
    case "nextInstallment":
      return loan.nextInstallmentDueAt?.getTime() ?? null;
    case "alerts":
      return loan.openAlerts;
  }
}

function compareValues(a: Exclude<SortValue, null>, b: Exclude<SortValue, null>): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The loans the view shows, in its order (every page of them): filter, search, sort; ties by reference. */
export function selectPortfolioRows<T extends PortfolioRowFields>(loans: readonly T[], view: Pick<PortfolioView, "state" | "q" | "sort" | "dir">): T[] {
  const sign = view.dir === "desc" ? -1 : 1;
  return loans
    .filter((loan) => matchesStateFilter(loan, view.state) && matchesSearch(loan, view.q))
    .map((loan) => ({ loan, value: sortValue(loan, view.sort) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) {
        if (a.value !== b.value) return a.value === null ? 1 : -1;
      } else {
        const order = compareValues(a.value, b.value) * sign;
        if (order !== 0) return order;
      }
      return a.loan.reference < b.loan.reference ? -1 : a.loan.reference > b.loan.reference ? 1 : 0;
    })
    .map(({ loan }) => loan);
}

export type PortfolioPage<T> = { rows: T[]; total: number; page: number; pageCount: number };

/** One page of the selected rows; a page past the end shows the last one. */
export function portfolioPage<T>(rows: readonly T[], view: Pick<PortfolioView, "page" | "size">): PortfolioPage<T> {
  const pageCount = Math.max(1, Math.ceil(rows.length / view.size));
  const page = Math.min(view.page, pageCount);
  return { rows: rows.slice((page - 1) * view.size, page * view.size), total: rows.length, page, pageCount };
}
