import { Badge } from "@/components/ui/badge";

const VARIANT: Record<string, "default" | "secondary" | "outline" | "success" | "warning" | "destructive"> = {
  ACTIVE: "success",
  SUBMITTED: "secondary",
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
