"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function AdminLoanError(props: RouteErrorProps) {
  return <RouteError {...props} heading="This loan could not be loaded" title="Something went wrong while loading the loan" back={{ href: "/admin/loans", label: "Back to loans" }} hint="try-again" />;
}
