"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function StartupUsageError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Usage" title="Your usage could not be loaded" />;
}
