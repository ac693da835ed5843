"use client";

import { useState } from "react";
import Form from "next/form";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { LoanSection } from "@/components/lender/loan/loan-section";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Money } from "@/components/money";
import { MAX_RANGE_DAYS, RANGE_PRESETS } from "@/lib/domain/startup/burn";
import type { BurnRangeDto } from "@/lib/server/queries/startup-overview";
import { cn } from "@/lib/utils";
import { StackedBurnChart } from "./stacked-burn-chart";

const PRESET_LABEL = { "7d": "7 days", "30d": "30 days", "90d": "90 days" } as const;

/** The range picker: 7/30/90 days as links, or a custom start and end (the server validates both). */
function RangePicker({ burn }: { burn: BurnRangeDto }) {
  const { range, rangeError } = burn;
  return (
    <div className="space-y-3">
      <nav aria-label="Range" className="flex flex-wrap gap-2">
        {RANGE_PRESETS.map((preset) => {
          const isCurrent = range.preset === preset;
          return (
            <Link
              key={preset}
              href={`/startup?range=${preset}`}
              scroll={false}
              aria-current={isCurrent ? "page" : undefined}
              className={cn(
                "rounded-md border px-3 py-1.5 text-sm outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50",
                isCurrent ? "border-primary bg-primary text-primary-foreground" : "bg-card hover:bg-muted",
              )}
            >
              Last {PRESET_LABEL[preset]}
            </Link>
          );
        })}
      </nav>
      <Form action="/startup" scroll={false} className="flex flex-wrap items-end gap-2" aria-label="Custom range">
        <div className="grid gap-1">
          <Label htmlFor="range-start">From</Label>
          <Input id="range-start" name="start" type="date" required defaultValue={range.start} max={range.end} className="w-40" aria-invalid={rangeError?.field === "start" || undefined} aria-describedby={rangeError ? "range-error" : undefined} />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="range-end">To</Label>
          <Input id="range-end" name="end" type="date" required defaultValue={range.end} className="w-40" aria-invalid={rangeError?.field === "end" || undefined} aria-describedby={rangeError ? "range-error" : undefined} />
        </div>
        <Button type="submit" variant="outline">
          Show range
        </Button>
      </Form>
      {rangeError ? (
        <p id="range-error" role="alert" className="text-sm text-destructive">
          {rangeError.message} Showing the last 30 days instead (a custom range covers at most {MAX_RANGE_DAYS} days, ending today at the latest).
        </p>
      ) : null}
    </div>
  );
}

/** The burn chart card: range, the stack toggle (model or provider) and the chart. */
export function BurnSection({ burn }: { burn: BurnRangeDto }) {
  const [stackBy, setStackBy] = useState<"model" | "provider">("model");
  const { range } = burn;
  return (
    <LoanSection
      id="burn"
      title="Burn"
      description={
        <>
          Daily spend of routed requests in USD, {range.start} to {range.end} (UTC days, {range.days} in all): <Money micros={burn.byModel.totalMicros} data-testid="burn-range-total" data-micros={burn.byModel.totalMicros} />. From the daily usage rollups; today
          is still counting.
        </>
      }
    >
      <div className="space-y-4">
        <RangePicker burn={burn} />
        <Tabs value={stackBy} onValueChange={(value) => setStackBy(value === "provider" ? "provider" : "model")}>
          <TabsList aria-label="Stack the chart by">
            <TabsTrigger value="model">By model</TabsTrigger>
            <TabsTrigger value="provider">By provider</TabsTrigger>
          </TabsList>
          <TabsContent value="model">
            <StackedBurnChart chart={burn.byModel} stackLabel="model" />
          </TabsContent>
          <TabsContent value="provider">
            <StackedBurnChart chart={burn.byProvider} stackLabel="provider" />
          </TabsContent>
        </Tabs>
      </div>
    </LoanSection>
  );
}
