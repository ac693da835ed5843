"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function WebhookDeliveriesError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Webhook deliveries" title="The delivery log could not be loaded" />;
}
