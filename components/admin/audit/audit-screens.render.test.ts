// The audit log's parts as the server renders them: the table's columns and pager links (cursors
// in the address), an entry's before and after, and the filter form's fields by their labels.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { renderedText } from "@/test/render";
import { describe, expect, test, vi } from "vitest";
import type { AdminAuditEntryDto, AdminAuditPageDto } from "@/lib/server/queries/audit";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), refresh: vi.fn() }) }));
vi.mock("@/components/ui/dialog", async () => (await import("@/test/render")).flatDialog);

const { AuditLogTable } = await import("./audit-log-table");
const { AuditEntryDialog } = await import("./audit-entry-dialog");
const { AuditFiltersForm } = await import("./audit-filters-form");

const entry: AdminAuditEntryDto = {
  id: "cmaudit1",
  at: "2026-02-01T09:30:00.000Z",
  action: "webhookEndpoint.disabled",
  what: "Webhook endpoint disabled",
  actor: { kind: "user", name: "Ana Analyst", email: "ana@northwind.example", tokenName: null, tokenPrefix: null, label: "Ana Analyst <ana@northwind.example>" },
  target: { type: "WebhookEndpoint", id: "cmendpoint1" },
  org: { id: "org1", name: "Northwind Credit" },
  requestId: "req_0123456789abcdef0123456789abcdef",
  changes: [{ field: "isEnabled", label: "Is enabled", before: "true", after: "false", isChanged: true }],
  details: ["Url: https://hooks.example/a"],
  detailJson: '{"url":"https://hooks.example/a","before":{"isEnabled":true},"after":{"isEnabled":false}}',
};

describe("AuditLogTable", () => {
  test("who by name and email, what, target, organisation, request id; newer/older links keep the filters", () => {
    const page: AdminAuditPageDto = { entries: [entry], newerCursor: "1700000000000_cmaudit0", olderCursor: "1600000000000_cmaudit1" };
    const html = renderToString(createElement(AuditLogTable, { page, query: "?action=webhookEndpoint.disabled", isFiltered: true }));
    const words = renderedText(html);
    for (const expected of ["2026-02-01 09:30:00", "Ana Analyst", "ana@northwind.example", "Webhook endpoint disabled", "WebhookEndpoint", "Northwind Credit", "req_0123456789abcdef", "Export CSV", "Newest", "Newer", "Older"]) {
      expect(words).toContain(expected);
    }
    expect(html).toContain('href="/api/admin/audit/export?action=webhookEndpoint.disabled"');
    expect(html).toContain('href="/admin/audit?action=webhookEndpoint.disabled&amp;before=1700000000000_cmaudit0"');
    expect(html).toContain('href="/admin/audit?action=webhookEndpoint.disabled&amp;after=1600000000000_cmaudit1"');
  });

  test("no entries: the empty state says what to do", () => {
    const html = renderToString(createElement(AuditLogTable, { page: { entries: [], newerCursor: null, olderCursor: null }, query: "?org=x", isFiltered: true }));
    expect(renderedText(html)).toContain("No entries match these filters");
    expect(html).not.toContain("Newest");
  });
});

test("AuditEntryDialog: before and after field by field, the details and the request id", () => {
  const words = renderedText(renderToString(createElement(AuditEntryDialog, { entry, onOpenChange: () => undefined })));
  expect(words).toContain("Before and after");
  expect(words).toMatch(/Field Before After Is enabled \(changed\) true false/);
  expect(words).toContain("Url: https://hooks.example/a");
  expect(words).toContain("req_0123456789abcdef0123456789abcdef");
});

test("AuditFiltersForm: labelled fields with the address's values, the actions and organisations to pick", () => {
  const html = renderToString(
    createElement(AuditFiltersForm, {
      initial: { actor: "ana", action: "loan.approve", org: "", from: "2026-01-01", to: "" },
      options: { actions: [{ action: "loan.approve", what: "Approved the loan" }], organizations: [{ id: "org1", name: "Northwind Credit", kind: "LENDER" }] },
    }),
  );
  const words = renderedText(html);
  for (const label of ["Who", "Action", "Organisation", "From (UTC day)", "To (UTC day)", "Apply filters", "Clear", "All actions", "Approved the loan (loan.approve)", "Northwind Credit (lender)"]) {
    expect(words).toContain(label);
  }
  expect(html).toMatch(/value="ana"/);
  expect(html).toMatch(/value="2026-01-01"/);
});
