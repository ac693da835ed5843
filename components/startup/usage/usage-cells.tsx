import { Badge, type BadgeProps } from "@/components/ui/badge";
import type { UsageKeyDto } from "@/lib/server/queries/startup-usage";

export const USAGE_STATUS_LABELS: Record<string, string> = { ok: "OK", error: "Error", aborted: "Aborted by client", frozen: "Stopped by a freeze" };

const STATUS_VARIANTS: Record<string, BadgeProps["variant"]> = { ok: "success", error: "destructive", aborted: "warning", frozen: "info" };

/** A request's status in words, in its badge colour. */
export function UsageStatusBadge({ status }: { status: string }) {
  return <Badge variant={STATUS_VARIANTS[status] ?? "outline"}>{USAGE_STATUS_LABELS[status] ?? status}</Badge>;
}

/** The key by name and prefix; a revoked one says so; none recorded reads as such. */
export function UsageKeyName({ apiKey }: { apiKey: UsageKeyDto | null }) {
  if (!apiKey) return <span className="text-muted-foreground">No key recorded</span>;
  return (
    <span className="inline-flex flex-col">
      <span>
        {apiKey.name ?? "Deleted key"}
        {apiKey.isRevoked ? <span className="text-xs text-muted-foreground"> (revoked)</span> : null}
      </span>
      {apiKey.prefix ? <span className="font-mono text-xs text-muted-foreground">{apiKey.prefix}…</span> : null}
    </span>
  );
}
