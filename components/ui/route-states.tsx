// Building blocks for a route's loading.tsx and not-found.tsx (server components: no "use client").
// Skeletons are aria-hidden; PageSkeleton gives assistive technology one status line instead.
import type { ReactNode } from "react";
import Link from "next/link";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";

/** A page's shape while it loads: busy, a screen-reader status line, and an optional hidden heading. */
export function PageSkeleton({ label, heading, className, children }: { label: string; heading?: string; className?: string; children?: ReactNode }) {
  return (
    <div className={cn("space-y-6", className)} aria-busy="true">
      {heading ? <h1 className="sr-only">{heading}</h1> : null}
      <p className="sr-only" role="status">
        {label}
      </p>
      {children}
    </div>
  );
}

/**
 * The page header's shape: an optional back link, the title (a real h1 when `title` is given, so the
 * heading is there before the data), a one-line description, and an optional action button on the right.
 */
export function PageHeaderSkeleton({
  title,
  back = false,
  description = true,
  action,
  titleClassName,
  descriptionClassName,
}: {
  title?: string;
  back?: boolean;
  description?: boolean;
  /** The action button's width, e.g. "w-40"; none when omitted. */
  action?: string;
  titleClassName?: string;
  descriptionClassName?: string;
}) {
  const header = (
    <div className="space-y-2">
      {title ? <h1 className="text-2xl font-semibold tracking-tight">{title}</h1> : <Skeleton className={cn("h-8 w-48", titleClassName)} />}
      {description ? <Skeleton className={cn("h-4 w-96 max-w-full", descriptionClassName)} /> : null}
    </div>
  );
  return (
    <>
      {back ? <Skeleton className="h-4 w-36" /> : null}
      {action ? (
        <div className="flex flex-wrap items-start justify-between gap-3">
          {header}
          <Skeleton className={cn("h-9", action)} />
        </div>
      ) : (
        header
      )}
    </>
  );
}

/** A grid of figure cards (four across on wide screens unless `columns` says otherwise). */
export function StatCardsSkeleton({ count = 4, columns = "sm:grid-cols-2 xl:grid-cols-4", cardClassName = "h-24" }: { count?: number; columns?: string; cardClassName?: string }) {
  return (
    <div className={cn("grid gap-4", columns)}>
      {Array.from({ length: count }, (_, index) => (
        <Skeleton key={index} className={cardClassName} />
      ))}
    </div>
  );
}

/** A chart's box, or `count` of them side by side on wide screens. */
export function ChartSkeleton({ count = 1, className = "h-80" }: { count?: number; className?: string }) {
  if (count === 1) return <Skeleton className={className} />;
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      {Array.from({ length: count }, (_, index) => (
        <Skeleton key={index} className={className} />
      ))}
    </div>
  );
}

/** A table in its card: an optional toolbar (filter, export) and `rows` rows. */
export function TableSkeleton({ rows = 8, rowClassName = "h-11", toolbar }: { rows?: number; rowClassName?: string; /** The toolbar's width, e.g. "w-96"; none when omitted. */ toolbar?: string }) {
  return (
    <div className="space-y-2 rounded-lg border bg-card p-4">
      {toolbar ? <Skeleton className={cn("h-9 max-w-full", toolbar)} /> : null}
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} className={rowClassName} />
      ))}
    </div>
  );
}

/** A list page's shape: header with an action on the right, a filter box, and a table of `rows` rows. */
export function ListPageSkeleton({ label, rows = 5 }: { label: string; rows?: number }) {
  return (
    <PageSkeleton label={label}>
      <PageHeaderSkeleton titleClassName="w-40" action="w-40" />
      <Skeleton className="h-9 w-72 max-w-full" />
      <TableSkeleton rows={rows} rowClassName="h-12" />
    </PageSkeleton>
  );
}

/** A titled card section: its title (and an action button), an optional description line, and its body. */
export function SectionSkeleton({ action = false, description = true, bodyClassName = "h-48" }: { action?: boolean; description?: boolean; bodyClassName?: string }) {
  return (
    <div className="space-y-4 rounded-lg border bg-card p-5">
      {action ? (
        <div className="flex items-center justify-between gap-3">
          <Skeleton className="h-6 w-32" />
          <Skeleton className="h-9 w-32" />
        </div>
      ) : (
        <Skeleton className="h-6 w-40" />
      )}
      {description ? <Skeleton className="h-4 w-2/3" /> : null}
      <Skeleton className={bodyClassName} />
    </div>
  );
}

/** A 404 inside a route: what is missing, why, and the way back. */
export function RouteNotFound({ title, message, href, linkLabel, className }: { title: string; message: string; href: string; linkLabel: string; className?: string }) {
  return (
    <div className={cn("mx-auto max-w-md space-y-3 py-16 text-center", className)}>
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="text-muted-foreground">{message}</p>
      <Link href={href} className="text-primary underline underline-offset-4">
        {linkLabel}
      </Link>
    </div>
  );
}
