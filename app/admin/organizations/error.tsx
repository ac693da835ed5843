"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function OrganizationsError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Organisations and users" title="Organisations could not be loaded" />;
}
