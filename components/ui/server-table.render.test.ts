// The server-paged table as the server renders it (the lender's Portfolio and the admin's loans
// use it): the names the e2e specs and screen readers rely on — the caption, the filter and search
// labels, Export CSV, the sort state of each header, "Rows per page", the range read out, and the
// "Previous page" / "Next page" buttons.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, test, vi } from "vitest";
import { renderedText } from "@/test/render";

vi.mock("@/components/ui/info-tip", () => ({ InfoTip: ({ label }: { label: string }) => createElement("button", { "aria-label": `How ${label} is computed` }) }));

const { FilterSelect, ServerPagedTable } = await import("./server-table");

type Row = { id: string; name: string; amount: number };
const rows: Row[] = [
  { id: "a", name: "Acme", amount: 3 },
  { id: "b", name: "Vectorly", amount: 7 },
];

function render(overrides: Partial<Parameters<typeof ServerPagedTable<Row, "name" | "amount">>[0]> = {}) {
  return renderToString(
    createElement(ServerPagedTable<Row, "name" | "amount">, {
      caption: "Loans across the platform",
      noun: { one: "loan", many: "loans" },
      columns: [
        { key: "name", header: "Loan", firstDir: "asc", cell: (row) => row.name },
        { key: "amount", header: "Debt", isRight: true, firstDir: "desc", info: "USD.", cell: (row) => String(row.amount) },
      ],
      rows,
      rowKey: (row) => row.id,
      view: { q: "", sort: "amount", dir: "desc", page: 2, size: 25 },
      total: 1234,
      pageCount: 50,
      pageSizes: [10, 25, 50, 100],
      isPending: false,
      onNavigate: () => undefined,
      filters: createElement(FilterSelect<"open" | "all">, { label: "State", value: "open", options: [{ value: "open", label: "Open loans" }, { value: "all", label: "All loans" }], onChange: () => undefined }),
      search: { label: "Search loans", placeholder: "Borrower, reference or lender" },
      csv: { url: "/admin/loans/export", fallbackFilename: "blockable-loans.csv" },
      ...overrides,
    }),
  );
}

describe("ServerPagedTable", () => {
  test("names its table, filters, search, export and pager; says which page it shows", () => {
    const html = render();
    const text = renderedText(html);
    expect(html).toContain('<caption class="sr-only">Loans across the platform</caption>');
    for (const label of ["State", "Search loans", "Rows per page"]) expect(html).toMatch(new RegExp(`<label for="[^"]+"[^>]*>${label}</label>`));
    expect(html).toContain('type="search"');
    expect(text).toContain("Export CSV");
    expect(html).toContain('aria-label="Previous page"');
    expect(html).toContain('aria-label="Next page"');
    expect(html).toContain('aria-label="How debt is computed"');
    expect(text).toContain("Loans 26–50 of 1,234");
    expect(html).toMatch(/aria-sort="descending"[^>]*>.*?Debt/);
    expect(html).toMatch(/aria-sort="none"[^>]*>.*?Loan/);
    expect(text).toContain("Vectorly");
  });

  test("with no rows: the empty row, No loans, Export CSV and both page buttons disabled", () => {
    const html = render({ rows: [], total: 0, pageCount: 1, view: { q: "zzz", sort: "name", dir: "asc", page: 1, size: 25 } });
    const text = renderedText(html);
    expect(text).toContain("No loans match the filter.");
    expect(text).toContain("No loans");
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>.*?Export CSV/);
    expect(html).toMatch(/aria-label="Previous page" disabled=""/);
    expect(html).toMatch(/aria-label="Next page" disabled=""/);
    expect(html).toContain('value="zzz"');
  });
});
