"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function StartupLoanError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Loan" title="This loan could not be loaded" />;
}
