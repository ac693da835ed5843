// The GPU index screen as the server renders it: its headings, the figures with their units, the
// fixes table, and the last recompute's report (the loans whose coverage moved, the alerts opened).
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderedText } from "@/test/render";
import { describe, expect, test, vi } from "vitest";
import type { IndexFixDto, JobDto } from "./types";

vi.mock("@/app/admin/gpu-index/save-fix-action", () => ({ saveGpuIndexFixAction: vi.fn() }));
vi.mock("@/app/admin/gpu-index/preview-import-action", () => ({ previewGpuIndexCsvAction: vi.fn() }));
vi.mock("@/app/admin/gpu-index/import-action", () => ({ importGpuIndexCsvAction: vi.fn() }));
vi.mock("@/components/ui/info-tip", () => ({ InfoTip: () => null }));
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: vi.fn() }) }));

const { GpuIndexScreen } = await import("./gpu-index-screen");

const fix = (day: string, priceMicros: string, source = "seed"): IndexFixDto => ({ day, priceMicros, source, createdByName: source === "admin" ? "Ada Admin" : null, createdByEmail: source === "admin" ? "admin@blockable.dev" : null, createdAt: `${day}T16:00:00.000Z` });

const job: JobDto = {
  id: "job-1",
  kind: "index.recompute",
  status: "SUCCEEDED",
  progressDone: 4,
  progressTotal: 4,
  result: {
    fromDay: "2026-12-04",
    toDay: "2026-12-04",
    indexMicros: "1944000",
    loans: 4,
    recorded: 4,
    moved: [{ loanId: "l1", reference: "BL-2026-0006", fromState: "ACTIVE", state: "MARGIN_CALL", beforeBps: 13_500, afterBps: 12_150 }],
    alertsOpened: [{ loanId: "l1", reference: "BL-2026-0006", kind: "EARLY_WARNING_2", coverageBps: 12_150 }],
    resolved: 0,
    autoFrozen: [],
    failed: [],
  },
  error: null,
  requestedById: "u1",
  createdAt: "2026-12-04T10:00:00.000Z",
  startedAt: "2026-12-04T10:00:00.100Z",
  finishedAt: "2026-12-04T10:00:01.300Z",
};

function render(props: Parameters<typeof GpuIndexScreen>[0]) {
  const client = new QueryClient();
  return renderedText(renderToString(createElement(QueryClientProvider, { client }, createElement(GpuIndexScreen, props))));
}

describe("the GPU index screen", () => {
  test("with fixes and a finished recompute: figures, the report's two tables, the fixes table", () => {
    const page = render({ fixes: [fix("2026-12-04", "1944000", "admin"), fix("2026-12-03", "2160000")], lastJob: job, todayUtc: "2026-12-04" });
    expect(page).toContain("GPU index");
    expect(page).toContain("Latest fix $1.9440 per GPU-hour, 2026-12-04");
    expect(page).toContain("Loans whose coverage moved");
    expect(page).toContain("BL-2026-0006 135.00% 121.50% −13.50 active → margin call");
    expect(page).toContain("Alerts opened");
    expect(page).toContain("Early warning, second level");
    expect(page).toContain("4 open loans revalued at $1.9440");
    expect(page).toContain("1 moved, 1 alert opened, 0 resolved");
    expect(page).toContain("Ada Admin admin@blockable.dev");
    expect(page).toContain("Save fix");
    expect(page).toContain("CSV file");
    expect(page).toContain("2 daily fixes from 2026-12-03 to 2026-12-04: $2.16/GPU-hour at the start, $1.94/GPU-hour on 2026-12-04 (−10.00%)".replace("−", "-"));
  });

  test("empty: no fixes, no recompute yet", () => {
    const page = render({ fixes: [], lastJob: null, todayUtc: "2026-12-04" });
    expect(page).toContain("No recompute yet");
    expect(page).toContain("No fixes yet");
  });

  test("a running job shows its progress bar", () => {
    const page = render({ fixes: [fix("2026-12-04", "1944000")], lastJob: { ...job, status: "RUNNING", progressDone: 1, progressTotal: 4, result: null, finishedAt: null }, todayUtc: "2026-12-04" });
    expect(page).toContain("Recomputing loans: 1 of 4 25 %");
    expect(page).not.toContain("Loans whose coverage moved");
  });
});
