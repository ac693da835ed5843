"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function AdminGpuIndexError(props: RouteErrorProps) {
  return <RouteError {...props} heading="GPU index" title="The GPU index could not be loaded" />;
}
