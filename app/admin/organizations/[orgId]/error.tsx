"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function OrganizationError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Organisation" title="This organisation could not be loaded" />;
}
