"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function StartupKeysError(props: RouteErrorProps) {
  return <RouteError {...props} heading="API keys" title="API keys could not be loaded" />;
}
