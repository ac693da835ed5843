"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function ApplicationsError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Applications" title="The applications could not be loaded" hint="try-again" />;
}
