// The "Concurrency limit" dialog on an organisation's admin page, as the server renders it (the
// dialog primitive opened flat): what the organisation gets now (its own limit, or the default
// named as such), and the field's hint naming the default a blank falls back to.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { renderedText } from "@/test/render";
import { describe, expect, test, vi } from "vitest";

vi.mock("@/app/admin/organizations/set-concurrency-limit-action", () => ({ setConcurrencyLimitAction: vi.fn() }));
vi.mock("@/components/ui/dialog", async () => (await import("@/test/render")).flatDialog);

const { ConcurrencyLimitDialog } = await import("./concurrency-limit-dialog");
const { concurrencyLimitLabel } = await import("@/lib/domain/limits/concurrency-label");

const render = (limit: number | null) => renderedText(renderToString(createElement(ConcurrencyLimitDialog, { orgId: "o1", orgName: "Acme", limit, defaultLimit: 64 })), { joinTextNodes: true });

describe("ConcurrencyLimitDialog", () => {
  test("an organisation on the default says so, and a blank field means the default", () => {
    const shown = render(null);
    expect(shown).toContain("Concurrency limit for Acme");
    expect(shown).toContain("Now: 64 (default).");
    expect(shown).toContain("Requests in flight at once");
    expect(shown).toContain("blank for the platform default (64)");
    expect(shown).toContain("Save limit");
  });

  test("an organisation with its own limit shows it", () => {
    expect(render(1500)).toContain("Now: 1,500.");
  });

  test.each<[number | null, string]>([
    [null, "64 (default)"],
    [8, "8"],
    [12000, "12,000"],
  ])("limit %s reads %s", (limit, expected) => {
    expect(concurrencyLimitLabel(limit, 64)).toBe(expected);
  });
});
