"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function AuditLogError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Audit log" title="The audit log could not be loaded" />;
}
