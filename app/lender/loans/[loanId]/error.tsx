"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function LoanError(props: RouteErrorProps) {
  return <RouteError {...props} heading="This loan could not be loaded" title="Something went wrong while loading the loan" back={{ href: "/lender", label: "Back to portfolio" }} hint="try-again" />;
}
