import type { ReactNode } from "react";

/** Label / value pairs, values right-aligned in tabular figures (a dialog's "what will happen, in numbers"). */
export function FigureList({ rows }: { rows: { label: ReactNode; value: ReactNode; isTotal?: boolean }[] }) {
  return (
    <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1.5 rounded-md border bg-muted/40 p-3 text-sm">
      {rows.map((row, index) => (
        <div key={index} className={row.isTotal ? "contents font-semibold" : "contents"}>
          <dt className={row.isTotal ? "border-t pt-1.5" : "text-muted-foreground"}>{row.label}</dt>
          <dd className={row.isTotal ? "num border-t pt-1.5 text-right" : "num text-right"}>{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}
