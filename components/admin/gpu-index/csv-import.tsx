"use client";

import { useId, useRef, useState, type ChangeEvent } from "react";
import type { ColumnDef } from "@tanstack/react-table";
import { CircleAlert, FileCheck2 } from "lucide-react";
import { toast } from "sonner";
import { importGpuIndexCsvAction } from "@/app/admin/gpu-index/import-action";
import { MAX_INDEX_CSV_CHARS } from "@/app/admin/gpu-index/inputs";
import { previewGpuIndexCsvAction } from "@/app/admin/gpu-index/preview-import-action";
import { Money } from "@/components/money";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import { INDEX_PRICE_DECIMALS } from "./fixes-table";
import { ProgressBar } from "./progress-bar";
import { readFileInChunks } from "./read-file";

// CSV import in two steps: choose a file → it is read in chunks (progress bar) and checked on the
// server (the preview writes nothing) → rows to insert, update or leave, and every bad line by
// number. "Import" is enabled only for a file with no problems, and commits all of it or none.

type Preview = Extract<Awaited<ReturnType<typeof previewGpuIndexCsvAction>>, { ok: true }>["data"];
type PreviewRow = Preview["rows"][number];

type Step =
  | { kind: "idle" }
  | { kind: "reading"; fileName: string; loadedBytes: number; totalBytes: number }
  | { kind: "checking"; fileName: string }
  | { kind: "preview"; fileName: string; csv: string; preview: Preview }
  | { kind: "failed"; fileName: string; message: string };

const CHANGE: Record<PreviewRow["change"], { label: string; variant: BadgeProps["variant"] }> = {
  insert: { label: "New", variant: "info" },
  update: { label: "Correction", variant: "warning" },
  unchanged: { label: "Unchanged", variant: "outline" },
};

const usdCsv = (micros: string | null) => (micros === null ? "" : microsToUsdDecimal(BigInt(micros)));

const previewColumns: ColumnDef<PreviewRow>[] = [
  { id: "line", header: "Line", accessorFn: (row) => row.line ?? "", meta: { align: "right" } },
  { accessorKey: "day", header: "Day", cell: ({ row }) => <span className="num whitespace-nowrap">{row.original.day}</span> },
  {
    id: "price",
    header: "New price (USD/GPU-hour)",
    accessorFn: (row) => row.priceMicros,
    cell: ({ row }) => <Money micros={row.original.priceMicros} decimals={INDEX_PRICE_DECIMALS} />,
    meta: { align: "right", csv: (row) => usdCsv(row.priceMicros) },
  },
  {
    id: "before",
    header: "Stored now",
    accessorFn: (row) => row.beforeMicros ?? "",
    cell: ({ row }) => (row.original.beforeMicros === null ? <span className="text-muted-foreground">—</span> : <Money micros={row.original.beforeMicros} decimals={INDEX_PRICE_DECIMALS} />),
    meta: { align: "right", csv: (row) => usdCsv(row.beforeMicros) },
  },
  {
    id: "change",
    header: "Change",
    accessorFn: (row) => CHANGE[row.change].label,
    cell: ({ row }) => <Badge variant={CHANGE[row.original.change].variant}>{CHANGE[row.original.change].label}</Badge>,
  },
];

const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

export function CsvImport({ onJobStarted }: { onJobStarted: (jobId: string) => void }) {
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [step, setStep] = useState<Step>({ kind: "idle" });

  function clear() {
    setStep({ kind: "idle" });
    if (inputRef.current) inputRef.current.value = "";
  }

  async function onFileChosen(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const fileName = file.name;
    // Bytes ≥ characters: a file this much over the limit cannot fit, whatever it holds.
    if (file.size > MAX_INDEX_CSV_CHARS * 4) {
      setStep({ kind: "failed", fileName, message: `${fileName} is ${(file.size / 1_000_000).toFixed(1)} MB; the limit is ${Math.round(MAX_INDEX_CSV_CHARS / 1000)} KB per file. Split it into smaller files.` });
      return;
    }
    try {
      setStep({ kind: "reading", fileName, loadedBytes: 0, totalBytes: file.size });
      const csv = await readFileInChunks(file, ({ loadedBytes, totalBytes }) => setStep({ kind: "reading", fileName, loadedBytes, totalBytes }));
      setStep({ kind: "checking", fileName });
      const result = await previewGpuIndexCsvAction({ csv });
      if (!result.ok) {
        setStep({ kind: "failed", fileName, message: result.error.message });
        return;
      }
      setStep({ kind: "preview", fileName, csv, preview: result.data });
    } catch (error) {
      setStep({ kind: "failed", fileName, message: error instanceof Error ? `The file could not be read: ${error.message}` : "The file could not be read." });
    }
  }

  async function commit(csv: string): Promise<boolean> {
    const result = await importGpuIndexCsvAction({ csv });
    if (!result.ok) {
      toast.error(result.error.message);
      return false;
    }
    const { inserted, updated, fromDay, toDay, jobId } = result.data;
    toast.success(`Imported ${plural(inserted, "new fix", "new fixes")} and ${plural(updated, "correction")} (${fromDay} to ${toDay}).${jobId ? " Recomputing coverage…" : ""}`);
    if (jobId) onJobStarted(jobId);
    clear();
    return true;
  }

  const isBusy = step.kind === "reading" || step.kind === "checking";
  const preview = step.kind === "preview" ? step.preview : null;
  const changes = preview ? preview.counts.insert + preview.counts.update : 0;
  const canImport = preview !== null && preview.issueCount === 0 && changes > 0;

  return (
    <div className="space-y-4">
      <div className="space-y-1.5">
        <Label htmlFor={inputId}>CSV file</Label>
        <Input ref={inputRef} id={inputId} type="file" accept=".csv,text/csv" disabled={isBusy} aria-describedby={`${inputId}-hint`} onChange={(event) => void onFileChosen(event)} className="max-w-md" />
        <p id={`${inputId}-hint`} className="text-xs text-muted-foreground">
          A header <code className="font-mono">day,price_usd_per_gpu_hour</code> (or <code className="font-mono">day,price_micros_per_gpu_hour</code>), then one line per UTC day, e.g.{" "}
          <code className="font-mono">2026-03-01,2.15</code>. Nothing is written until you press Import.
        </p>
      </div>

      {step.kind === "reading" ? <ProgressBar label={`Reading ${step.fileName}`} done={step.loadedBytes} total={step.totalBytes} /> : null}
      {step.kind === "checking" ? <ProgressBar label={`Checking ${step.fileName} against the stored fixes`} done={0} total={0} isIndeterminate /> : null}
      {step.kind === "failed" ? (
        <div role="alert" className="flex items-start gap-2 rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive">
          <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <p>{step.message}</p>
        </div>
      ) : null}

      {step.kind === "preview" && preview ? (
        <section aria-labelledby={`${inputId}-preview`} className="space-y-3">
          <h3 id={`${inputId}-preview`} className="flex items-center gap-2 font-medium">
            <FileCheck2 aria-hidden="true" className="size-4" />
            Preview of {step.fileName}
          </h3>
          <p className="text-sm">
            {plural(preview.rowCount, "valid line")}: {plural(preview.counts.insert, "new fix", "new fixes")}, {plural(preview.counts.update, "correction")}, {preview.counts.unchanged.toLocaleString("en-US")} unchanged
            {preview.fromDay ? ` (${preview.fromDay} to ${preview.toDay})` : ""}.
          </p>
          {preview.issueCount > 0 ? (
            <div role="alert" className="space-y-2 rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm">
              <p className="font-medium text-destructive">
                {plural(preview.issueCount, "problem")} — the file cannot be imported. Correct {preview.issueCount === 1 ? "it" : "them"} and choose the file again; nothing was written.
              </p>
              <ul className="max-h-64 list-none space-y-1 overflow-y-auto">
                {preview.issues.map((issue, index) => (
                  <li key={`${issue.label}-${index}`}>
                    <span className="font-medium">{issue.line !== null ? `Line ${issue.line}` : issue.label}:</span> {issue.message}
                  </li>
                ))}
              </ul>
              {preview.issueCount > preview.issues.length ? <p className="text-muted-foreground">…and {(preview.issueCount - preview.issues.length).toLocaleString("en-US")} more.</p> : null}
            </div>
          ) : null}
          <div className="flex flex-wrap items-center gap-2">
            <ConfirmDialog
              trigger={
                <Button type="button" disabled={!canImport}>
                  Import
                </Button>
              }
              title="Import these fixes?"
              description={`${plural(preview.counts.insert, "new fix", "new fixes")} and ${plural(preview.counts.update, "correction")} are written together, or none of them. Every open loan's coverage is then recomputed in the background; you can watch it here.`}
              confirmLabel="Import fixes"
              pendingLabel="Importing…"
              confirmVariant="default"
              onConfirm={() => commit(step.csv)}
            />
            <Button type="button" variant="outline" onClick={clear}>
              Choose another file
            </Button>
            {preview.issueCount === 0 && changes === 0 ? <p className="text-sm text-muted-foreground">Every line matches the stored fixes: nothing to import.</p> : null}
          </div>
          {preview.rows.length > 0 ? (
            <>
              {preview.rowCount > preview.rows.length ? <p className="text-xs text-muted-foreground">The first {preview.rows.length.toLocaleString("en-US")} lines are listed; the counts cover all {preview.rowCount.toLocaleString("en-US")}.</p> : null}
              <DataTable columns={previewColumns} data={preview.rows} filename="blockable-gpu-index-preview.csv" filterPlaceholder="Filter the preview…" />
            </>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
