"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function LenderSettingsError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Settings" title="Settings could not be loaded" />;
}
