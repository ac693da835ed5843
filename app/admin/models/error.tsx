"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function AdminModelsError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Models and prices" title="Models could not be loaded" />;
}
