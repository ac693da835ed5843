"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function LedgerHealthError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Ledger health" title="The ledger health page could not be loaded" />;
}
