"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function ApplicationError(props: RouteErrorProps) {
  return <RouteError {...props} heading="This application could not be loaded" title="Something went wrong while loading the application" back={{ href: "/admin/applications", label: "Back to applications" }} hint="try-again" />;
}
