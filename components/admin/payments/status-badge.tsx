import { Badge, type BadgeProps } from "@/components/ui/badge";

// A notice's or purchase request's status, written out; the colour only repeats it (AA on its tint).
const VARIANT: Record<string, NonNullable<BadgeProps["variant"]>> = { PENDING: "info", CONFIRMED: "success", REFUSED: "destructive", WITHDRAWN: "outline" };

export function DecisionStatusBadge({ status }: { status: string }) {
  return <Badge variant={VARIANT[status] ?? "secondary"}>{status.toLowerCase()}</Badge>;
}
