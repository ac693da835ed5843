import { describe, expect, it } from "vitest";
import { DEFAULT_PORTFOLIO_VIEW, parsePortfolioView, portfolioPage, portfolioViewQuery, selectPortfolioRows, type PortfolioRowFields, type PortfolioView } from "./portfolio-view";

const row = (reference: string, fields: Partial<PortfolioRowFields> = {}): PortfolioRowFields => ({
  reference,
  startupName: `Startup ${reference}`,
  facilityName: "Facility I",
  state: "ACTIVE",
  watchStatus: "ACTIVE",
  isOpen: true,
  coverageBps: 15_000,
  debtMicros: 100n,
  collateralMicros: 200n,
  daysToMarginCall: null,
  burnMicrosPerDay: 5n,
  nextInstallmentDueAt: new Date("2026-12-01T00:00:00Z"),
  openAlerts: 0,
  ...fields,
});

const closed = (reference: string, state = "REPAID") =>
  row(reference, { state, watchStatus: state, isOpen: false, coverageBps: null, debtMicros: null, collateralMicros: null, daysToMarginCall: null, burnMicrosPerDay: null, nextInstallmentDueAt: null });

const book = [
  row("L1", { coverageBps: 18_000, debtMicros: 400n }),
  row("L2", { state: "MARGIN_CALL", watchStatus: "MARGIN_CALL", coverageBps: 12_050, daysToMarginCall: 0, debtMicros: 160n, openAlerts: 2 }),
  row("L3", { watchStatus: "EARLY_WARNING", coverageBps: 13_500, daysToMarginCall: 12, startupName: "Lumen Labs" }),
  row("L4", { coverageBps: null, debtMicros: 0n }), // no debt: infinite coverage
  row("L5", { state: "FROZEN", watchStatus: "FROZEN", coverageBps: 10_500, daysToMarginCall: 0, facilityName: "Kestrel Line" }),
  closed("L6"),
  closed("L7", "LIQUIDATED"),
];
const refs = (rows: PortfolioRowFields[]) => rows.map((r) => r.reference);
const view = (patch: Partial<PortfolioView> = {}) => ({ ...DEFAULT_PORTFOLIO_VIEW, ...patch });

describe("parsePortfolioView reads the URL, falling back to the default for anything else", () => {
  it.each<[string, Record<string, string | string[] | undefined>, Partial<PortfolioView>]>([
    ["nothing: open loans, worst coverage first, 25 a page", {}, {}],
    ["every field", { state: "FROZEN", q: " lumen ", sort: "debt", dir: "desc", page: "3", size: "50" }, { state: "FROZEN", q: "lumen", sort: "debt", dir: "desc", page: 3, size: 50 }],
    ["an unknown state, sort, direction and size", { state: "BANKRUPT", sort: "password", dir: "up", size: "1000" }, {}],
    ["page 0", { page: "0" }, {}],
    ["a negative page", { page: "-2" }, {}],
    ["a page that is not a number", { page: "two" }, {}],
    ["a fractional page", { page: "1.5" }, {}],
    ["a repeated parameter takes the first", { state: ["MARGIN_CALL", "FROZEN"] }, { state: "MARGIN_CALL" }],
    ["a search longer than 100 characters is cut", { q: "x".repeat(150) }, { q: "x".repeat(100) }],
  ])("%s", (_label, params, expected) => {
    expect(parsePortfolioView(params)).toEqual(view(expected));
  });

  it("round-trips through its query, leaving defaults out", () => {
    const custom = view({ state: "all", q: "a&b=c", sort: "alerts", dir: "desc", page: 2, size: 100 });
    expect(parsePortfolioView(Object.fromEntries(new URLSearchParams(portfolioViewQuery(custom))))).toEqual(custom);
    expect(portfolioViewQuery(DEFAULT_PORTFOLIO_VIEW)).toBe("");
    expect(portfolioViewQuery(view({ page: 4, q: "vec" }), ["state", "q", "sort", "dir"])).toBe("q=vec");
  });
});

describe("selectPortfolioRows", () => {
  it.each<[string, Partial<PortfolioView>, string[]]>([
    ["default: open loans, worst coverage first, infinite coverage last", {}, ["L5", "L2", "L3", "L1", "L4"]],
    ["coverage, best first: closed loans still last (nothing to compare)", { state: "all", dir: "desc" }, ["L4", "L1", "L3", "L2", "L5", "L6", "L7"]],
    ["all loans, worst coverage first, closed last by reference", { state: "all" }, ["L5", "L2", "L3", "L1", "L4", "L6", "L7"]],
    ["early warning is a watch status, not a state", { state: "EARLY_WARNING" }, ["L3"]],
    ["a state", { state: "LIQUIDATED" }, ["L7"]],
    ["search by borrower, any case", { q: "LUMEN" }, ["L3"]],
    ["search by facility", { q: "kestrel" }, ["L5"]],
    ["search by reference, across states", { state: "all", q: "l6" }, ["L6"]],
    ["days to margin call: soonest first, beyond the horizon after", { sort: "daysToMarginCall" }, ["L2", "L5", "L3", "L1", "L4"]],
    ["debt, largest first", { sort: "debt", dir: "desc" }, ["L1", "L2", "L3", "L5", "L4"]],
    ["state: frozen, margin call, delinquent, early warning, active", { sort: "state", state: "all" }, ["L5", "L2", "L3", "L1", "L4", "L6", "L7"]],
    ["alerts, most first; ties by reference", { sort: "alerts", dir: "desc" }, ["L2", "L1", "L3", "L4", "L5"]],
  ])("%s", (_label, patch, expected) => {
    expect(refs(selectPortfolioRows(book, view(patch)))).toEqual(expected);
  });

  it("sorts money exactly, beyond a float's precision", () => {
    const big = [row("A", { debtMicros: 9_007_199_254_740_993n }), row("B", { debtMicros: 9_007_199_254_740_992n })];
    expect(refs(selectPortfolioRows(big, view({ sort: "debt" })))).toEqual(["B", "A"]);
  });
});

describe("portfolioPage", () => {
  const rows = Array.from({ length: 53 }, (_, i) => i);
  it.each([
    ["the first page", 1, 25, [0, 24], 53, 1, 3],
    ["the last, partial page", 3, 25, [50, 52], 53, 3, 3],
    ["a page past the end shows the last", 9, 25, [50, 52], 53, 3, 3],
    ["100 a page: one page", 1, 100, [0, 52], 53, 1, 1],
  ] as const)("%s", (_label, page, size, [from, to], total, shown, pageCount) => {
    const result = portfolioPage(rows, { page, size });
    expect([result.rows[0], result.rows.at(-1), result.total, result.page, result.pageCount]).toEqual([from, to, total, shown, pageCount]);
  });

  it("an empty selection is one empty page", () => {
    expect(portfolioPage([], { page: 2, size: 25 })).toEqual({ rows: [], total: 0, page: 1, pageCount: 1 });
  });
});
