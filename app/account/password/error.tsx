"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function ChangePasswordError(props: RouteErrorProps) {
  return (
    <main className="grid min-h-screen place-items-center bg-muted/40 px-4 py-12">
      <RouteError {...props} heading="Change your password" title="This page could not be loaded" className="w-full max-w-sm" headingClassName="text-center" />
    </main>
  );
}
