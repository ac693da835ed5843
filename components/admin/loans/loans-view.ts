// What the admin's loans table shows: which loans (state, lender, search), in which order, which
// page. The view lives in the URL (?state=&lender=&q=&sort=&dir=&page=&size=), so the server renders
// only the page asked for, a link or a reload shows the same table, and the CSV export takes the
// same selection. Pure: the page, the export route and the client's links read and write it here.
// Built on the lender's Portfolio view (lib/domain/valuation/portfolio-view.ts): the same search,
// direction, page and page sizes; more states (applications not disbursed) and the lender.

import { parsePortfolioView, STATE_FILTERS, type PageSize, type SortKey } from "@/lib/domain/valuation/portfolio-view";

export const PLATFORM_STATE_FILTERS = [
  ...STATE_FILTERS.filter((option) => option.value !== "all"),
  { value: "SUBMITTED", label: "Submitted" },
  { value: "REJECTED", label: "Rejected" },
  { value: "WITHDRAWN", label: "Withdrawn" },
  { value: "all", label: "All loans" },
] as const;
export type PlatformStateFilter = (typeof PLATFORM_STATE_FILTERS)[number]["value"];

export const PLATFORM_SORT_KEYS = ["loan", "lender", "state", "coverage", "debt", "collateral", "daysToMarginCall"] as const satisfies readonly (SortKey | "lender")[];
export type PlatformSortKey = (typeof PLATFORM_SORT_KEYS)[number];

export type PlatformLoansView = { state: PlatformStateFilter; lender: string; q: string; sort: PlatformSortKey; dir: "asc" | "desc"; page: number; size: PageSize };

/** Open loans of every lender, worst coverage first, 25 a page. */
export const DEFAULT_PLATFORM_LOANS_VIEW: PlatformLoansView = { state: "open", lender: "all", q: "", sort: "coverage", dir: "asc", page: 1, size: 25 };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The view in a URL's query; anything missing or not understood is the default (a bad link shows the default table, never an error). */
export function parsePlatformLoansView(params: SearchParams): PlatformLoansView {
  const { q, dir, page, size } = parsePortfolioView(params);
  const state = first(params.state);
  const sort = first(params.sort);
  const lender = first(params.lender)?.trim();
  return {
    state: PLATFORM_STATE_FILTERS.some((option) => option.value === state) ? (state as PlatformStateFilter) : DEFAULT_PLATFORM_LOANS_VIEW.state,
    lender: lender && lender.length <= 64 ? lender : DEFAULT_PLATFORM_LOANS_VIEW.lender,
    q,
    sort: (PLATFORM_SORT_KEYS as readonly string[]).includes(sort ?? "") ? (sort as PlatformSortKey) : DEFAULT_PLATFORM_LOANS_VIEW.sort,
    dir,
    page,
    size,
  };
}

/** The URL query for a view, defaults left out ("" for the default view); `keys` limits it (the export needs no page). */
export function platformLoansViewQuery(view: PlatformLoansView, keys: readonly (keyof PlatformLoansView)[] = ["state", "lender", "q", "sort", "dir", "page", "size"]): string {
  const params = new URLSearchParams();
  for (const key of keys) if (view[key] !== DEFAULT_PLATFORM_LOANS_VIEW[key]) params.set(key, String(view[key]));
  return params.toString();
}
