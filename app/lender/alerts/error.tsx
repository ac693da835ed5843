"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function LenderAlertsError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Alerts" title="The alerts could not be loaded" />;
}
