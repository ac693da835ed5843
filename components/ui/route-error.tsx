"use client";

import { useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ErrorState } from "@/components/ui/states";
import { cn } from "@/lib/utils";

/** What Next hands an error.tsx. The thrown value is usually an Error, but Next does not promise it. */
export type RouteErrorProps = { error: unknown; reset: () => void };

/** The server's opaque reference for a failure (never its message, which may hold internals). */
function digestOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;
}

/**
 * A route segment that failed to load (the database away, a bug): the page's heading, what could
 * not be loaded, and Retry. Retry asks the server for the page again (router.refresh) and clears the
 * boundary in one transition, so it shows fresh data; reset() alone would re-render what failed.
 * `hint` is the reassurance under the title: "nothing-changed" for pages that only read,
 * "try-again" where the reference reads better as an aside.
 */
export function RouteError({
  error,
  reset,
  heading,
  title,
  back,
  hint = "nothing-changed",
  className,
  headingClassName,
}: RouteErrorProps & {
  heading: string;
  title: string;
  back?: { href: string; label: string };
  hint?: "nothing-changed" | "try-again";
  className?: string;
  headingClassName?: string;
}) {
  const router = useRouter();
  const [isRetrying, startTransition] = useTransition();
  const digest = digestOf(error);
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  const message = isRetrying
    ? "Trying again…"
    : hint === "try-again"
      ? digest
        ? `Try again in a moment. (Reference ${digest})`
        : "Try again in a moment."
      : digest
        ? `Nothing was changed. Reference: ${digest}`
        : "Nothing was changed.";
  return (
    <div className={cn("space-y-6", className)}>
      {back ? (
        <Link href={back.href} className="text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
          {back.label}
        </Link>
      ) : null}
      <h1 className={cn("text-2xl font-semibold tracking-tight", headingClassName)}>{heading}</h1>
      <ErrorState title={title} message={message} onRetry={isRetrying ? undefined : retry} />
    </div>
  );
}
