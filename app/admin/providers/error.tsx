"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function AdminProvidersError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Providers" title="Providers could not be loaded" />;
}
