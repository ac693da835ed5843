"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function AdminPaymentsError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Payments" title="The payments could not be loaded" />;
}
