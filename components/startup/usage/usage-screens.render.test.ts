// The usage explorer's parts as the server renders them: the table's columns, exact costs and
// pager, the empty states, a request's details (and what is not recorded), the filter form's labels.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, test, vi } from "vitest";
import { renderedText } from "@/test/render";
import type { UsagePageDto } from "@/lib/server/queries/startup-usage";
import type { UsageView } from "./usage-table";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), replace: vi.fn(), refresh: vi.fn() }), usePathname: () => "/startup/usage" }));
vi.mock("@/components/ui/dialog", async () => (await import("@/test/render")).flatDialog);

const { UsageTable } = await import("./usage-table");
const { UsageRequestDialog } = await import("./usage-request-dialog");
const { UsageFiltersForm } = await import("./usage-filters-form");

const row: UsagePageDto["rows"][number] = {
  id: "cmusage1",
  requestId: "req_0123456789abcdef",
  at: "2026-02-10T09:30:00.123Z",
  apiKey: { id: "key1", name: "Production", prefix: "sk-bl-3f9a", isRevoked: false },
  modelSlug: "gpt-4o-mini",
  providerSlug: "simulator-backup",
  endpoint: "chat.completions",
  inputTokens: 12_345,
  outputTokens: 678,
  costMicros: "9007199254740993",
  latencyMs: 1_234,
  status: "ok",
  detail: {
    hold: { reservedMicros: "5000000", settledMicros: "1234567", status: "SETTLED", startedAt: "2026-02-10T09:29:59.000Z", resolvedAt: "2026-02-10T09:30:00.123Z" },
    route: { providerName: "Blockable Simulator (backup region)", providerKind: "simulator", upstreamModel: "gpt-4o-mini", isEnabled: true },
  },
};
const view: UsageView = { from: "", to: "", model: "gpt-4o-mini", provider: "", key: "", status: "", sort: "time_desc", after: "", before: "" };

describe("UsageTable", () => {
  test("time, key by name and prefix, model, provider, tokens, exact cost, latency, status; the export keeps the filters", () => {
    const html = renderToString(createElement(UsageTable, { page: { rows: [row], previousCursor: "t1_a", nextCursor: "t0_b" }, view, isFiltered: true }));
    const words = renderedText(html, { joinTextNodes: true });
    for (const expected of ["2026-02-10 09:30:00", "Production", "sk-bl-3f9a…", "gpt-4o-mini", "simulator-backup", "12,345", "678", "$9,007,199,254.740993", "1,234", "OK", "Export CSV", "First page", "Previous page", "Next page", "1 request on this page, newest first."]) {
      expect(words).toContain(expected);
    }
    expect(html).toContain('href="/api/startup/usage/export?model=gpt-4o-mini"');
    expect(html).toContain('aria-sort="descending"');
  });

  test.each<[string, boolean, string]>([
    ["filtered", true, "No requests match these filters"],
    ["nothing yet", false, "No requests yet"],
  ])("no rows, %s: the empty state says what to do", (_label, isFiltered, title) => {
    const html = renderToString(createElement(UsageTable, { page: { rows: [], previousCursor: null, nextCursor: null }, view, isFiltered }));
    expect(renderedText(html)).toContain(title);
    expect(renderedText(html)).not.toContain("First page");
  });
});

test("UsageRequestDialog: the request id, route, hold, and that failovers are not recorded", () => {
  const words = renderedText(renderToString(createElement(UsageRequestDialog, { row, onOpenChange: () => undefined })), { joinTextNodes: true });
  for (const expected of ["Request details", "req_0123456789abcdef", "Copy request ID", "Blockable Simulator (backup region) (simulator-backup)", "Route taken", "Failovers", "Not recorded.", "$5.000000", "$1.234567", "12,345 in · 678 out"]) {
    expect(words).toContain(expected);
  }
  const bare = renderedText(renderToString(createElement(UsageRequestDialog, { row: { ...row, apiKey: null, status: "error", detail: { hold: null, route: null } }, onOpenChange: () => undefined })));
  for (const expected of ["No key recorded", "the last provider tried", "No hold is on record", "no longer in the catalog"]) expect(bare).toContain(expected);
});

test("UsageFiltersForm: every filter by its label, an unknown key in the address still shows", () => {
  const options = { models: ["gpt-4o-mini"], providers: ["simulator"], keys: [{ id: "key1", name: "Production", prefix: "sk-bl-3f9a", isRevoked: true }] };
  const html = renderToString(createElement(UsageFiltersForm, { initial: { from: "", to: "", model: "", provider: "", key: "foreign1", status: "" }, sort: "time_desc", options }));
  const words = renderedText(html);
  for (const expected of ["Model", "Provider", "API key", "Status", "From (UTC day)", "To (UTC day)", "Apply filters", "Clear", "Production (sk-bl-3f9a…), revoked", "No key recorded", "A key not in this organisation", "Stopped by a freeze"]) {
    expect(words).toContain(expected);
  }
});
