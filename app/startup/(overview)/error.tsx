"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function StartupOverviewError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Overview" title="The overview could not be loaded" />;
}
