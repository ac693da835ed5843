"use client";

import type { ReactNode } from "react";
import { InfoTip } from "@/components/ui/info-tip";
import { cn } from "@/lib/utils";

export type PreviewRow = { label: string; value: ReactNode; howComputed: ReactNode; isEmphasised?: boolean; isWarning?: boolean };

/** "What will happen", figure by figure, each with its unit and how it is computed. */
export function PreviewList({ title, rows }: { title: string; rows: PreviewRow[] }) {
  return (
    <section aria-label={title} className="rounded-lg border bg-muted/40 p-3">
      <h3 className="mb-1 text-sm font-medium">{title}</h3>
      <dl className="divide-y text-sm">
        {rows.map((row) => (
          <div key={row.label} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-0.5 py-1.5">
            <dt className="flex items-center gap-1 text-muted-foreground">
              {row.label}
              <InfoTip label={row.label.toLowerCase()}>{row.howComputed}</InfoTip>
            </dt>
            <dd className={cn("num text-right", row.isEmphasised && "font-semibold", row.isWarning && "text-destructive")}>{row.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
