import type { ReactNode } from "react";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";

/**
 * A list page's two cards: its "Filters" form, then its results — or, when the address holds
 * filters that are not valid (`invalidMessage`), an alert saying so instead of any rows.
 */
export function FilteredView({ description, filters, invalidMessage, children }: { description: ReactNode; filters: ReactNode; invalidMessage: string | null; children: ReactNode }) {
  return (
    <>
      <Card>
        <CardHeader>
          <h2 className="leading-none font-semibold tracking-tight">Filters</h2>
          <CardDescription>{description}</CardDescription>
        </CardHeader>
        <CardContent>{filters}</CardContent>
      </Card>
      <Card>
        <CardContent className="pt-5">
          {invalidMessage === null ? (
            children
          ) : (
            <div role="alert" className="rounded-lg border border-destructive/40 p-6 text-sm">
              <p className="font-medium">These filters are not valid, so nothing is shown.</p>
              <p className="text-muted-foreground">{invalidMessage}</p>
            </div>
          )}
        </CardContent>
      </Card>
    </>
  );
}

/** The first problem zod found in the address's filters, as the alert shows it. */
export const filtersIssueMessage = (parsed: { success: true } | { success: false; error: { issues: readonly { message: string }[] } }) =>
  parsed.success ? null : (parsed.error.issues[0]?.message ?? "Check the filters.");
