"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function LenderPortfolioError(props: RouteErrorProps) {
  return <RouteError {...props} heading="Portfolio" title="The portfolio could not be loaded" />;
}
