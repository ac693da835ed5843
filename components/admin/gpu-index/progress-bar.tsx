import { cn } from "@/lib/utils";
import { percentOf } from "./read-file";

/** A labelled progress bar; `total` 0 with `isIndeterminate` shows work whose size is not known yet. */
export function ProgressBar({ label, done, total, isIndeterminate = false, className }: { label: string; done: number; total: number; isIndeterminate?: boolean; className?: string }) {
  const percent = percentOf(done, total);
  return (
    <div className={cn("space-y-1", className)}>
      <div className="flex items-center justify-between gap-2 text-sm">
        <span>{label}</span>
        {isIndeterminate ? null : <span className="num text-muted-foreground">{percent}%</span>}
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={isIndeterminate ? undefined : percent}
        className="h-2 w-full overflow-hidden rounded-full bg-muted"
      >
        <div className={cn("h-full rounded-full bg-primary transition-[width] duration-300", isIndeterminate && "w-1/3 animate-pulse")} style={isIndeterminate ? undefined : { width: `${percent}%` }} />
      </div>
    </div>
  );
}
