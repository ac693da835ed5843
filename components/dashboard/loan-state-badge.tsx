import { Badge, type BadgeProps } from "@/components/ui/badge";

// Colour repeats what the words say (the state is always written out); every variant's text meets
// WCAG AA on its own opaque tint in light and dark (app/globals.css, "State badges").
const VARIANT: Record<string, NonNullable<BadgeProps["variant"]>> = {
  ACTIVE: "success",
  SUBMITTED: "info",
  MARGIN_CALL: "warning",
  DELINQUENT: "warning",
  FROZEN: "destructive",
  LIQUIDATED: "outline",
  REPAID: "outline",
  REJECTED: "outline",
  WITHDRAWN: "outline",
};

export function LoanStateBadge({ state }: { state: string }) {
  return <Badge variant={VARIANT[state] ?? "secondary"}>{state.replace(/_/g, " ").toLowerCase()}</Badge>;
}
