"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function StartupFinancingError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Financing" title="Your financing could not be loaded" />;
}
