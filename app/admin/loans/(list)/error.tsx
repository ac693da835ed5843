"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function AdminLoansError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Loans" title="The loans could not be loaded" hint="try-again" />;
}
