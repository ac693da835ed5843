"use client";

import { useId, useState } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { dayInput, priceUsdInput, priceUsdText } from "@/app/admin/gpu-index/inputs";
import { saveGpuIndexFixAction } from "@/app/admin/gpu-index/save-fix-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { formatMicros, parseUsdToMicros } from "@/lib/domain/money";

// The form checks what the action checks (the same day and price schemas) and keeps the price as
// text: the action parses it to µUSD itself.
const formSchema = z.object({
  day: dayInput,
  priceUsd: priceUsdText.superRefine((text, context) => {
    const parsed = priceUsdInput.safeParse(text);
    if (!parsed.success) context.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? "Enter a price in USD, e.g. 2.15." });
  }),
});
type FormValues = z.infer<typeof formSchema>;

const usdPerHour = (micros: bigint) => `${formatMicros(micros, { decimals: 4 })}/GPU-hour`;

/**
 * "Save fix": enter or correct one day's fix; a change starts the coverage recompute job. Replacing
 * a day's price asks first, with both prices.
 */
export function FixForm({
  todayUtc,
  latestDay,
  priceOn,
  onJobStarted,
}: {
  todayUtc: string;
  latestDay: string | null;
  /** The stored price of a day (µUSD), or null when the day has no fix yet. */
  priceOn: (day: string) => bigint | null;
  onJobStarted: (jobId: string) => void;
}) {
  const dayId = useId();
  const priceId = useId();
  const [correction, setCorrection] = useState<{ values: FormValues; beforeMicros: bigint; afterMicros: bigint } | null>(null);
  const [isCorrecting, setIsCorrecting] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<FormValues>({ resolver: zodResolver(formSchema), defaultValues: { day: todayUtc, priceUsd: "" } });

  async function save(values: FormValues) {
    const result = await saveGpuIndexFixAction(values);
    if (!result.ok) {
      const field = result.error.field === "day" || result.error.field === "priceUsd" ? result.error.field : null;
      if (field) setError(field, { message: result.error.message.replace(/^\w+: /, "") });
      else toast.error(result.error.message);
      return;
    }
    const { day, priceMicros, inserted, updated, jobId } = result.data;
    const price = usdPerHour(BigInt(priceMicros));
    if (inserted + updated === 0) {
      toast.info(`${day} is already fixed at ${price}; nothing changed.`);
    } else {
      toast.success(`${inserted ? "Saved" : "Corrected"} the fix of ${day}: ${price}. Recomputing coverage…`);
      if (jobId) onJobStarted(jobId);
    }
    reset({ day: values.day, priceUsd: "" });
  }

  const onSubmit = handleSubmit(async (values) => {
    const beforeMicros = priceOn(values.day.trim());
    const afterMicros = parseUsdToMicros(values.priceUsd);
    if (beforeMicros !== null && beforeMicros !== afterMicros) {
      setCorrection({ values, beforeMicros, afterMicros });
      return;
    }
    await save(values);
  });

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Enter a fix" className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-start">
      <div className="space-y-1.5">
        <Label htmlFor={dayId}>Day (UTC)</Label>
        <Input id={dayId} type="date" max={todayUtc} aria-invalid={errors.day ? true : undefined} aria-describedby={`${dayId}-hint`} {...register("day")} />
        <p id={`${dayId}-hint`} className={errors.day ? "text-sm text-destructive" : "text-xs text-muted-foreground"}>
          {errors.day?.message ?? `Today or earlier${latestDay ? `; the latest fix is ${latestDay}` : ""}. A day already fixed is corrected.`}
        </p>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={priceId}>Price (USD per GPU-hour)</Label>
        <Input id={priceId} inputMode="decimal" autoComplete="off" placeholder="e.g. 2.15" aria-invalid={errors.priceUsd ? true : undefined} aria-describedby={`${priceId}-hint`} {...register("priceUsd")} />
        <p id={`${priceId}-hint`} className={errors.priceUsd ? "text-sm text-destructive" : "text-xs text-muted-foreground"}>
          {errors.priceUsd?.message ?? "H100 on-demand price; up to 6 decimals."}
        </p>
      </div>
      <Button type="submit" disabled={isSubmitting || isCorrecting} className="sm:mt-6">
        {isSubmitting ? "Saving…" : "Save fix"}
      </Button>
      <Dialog open={correction !== null} onOpenChange={(open) => !open && !isCorrecting && setCorrection(null)}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Correct the fix of {correction?.values.day}?</DialogTitle>
            <DialogDescription>
              {correction
                ? `The stored ${usdPerHour(correction.beforeMicros)} becomes ${usdPerHour(correction.afterMicros)} (${correction.afterMicros > correction.beforeMicros ? "+" : ""}${(Number(((correction.afterMicros - correction.beforeMicros) * 10_000n) / correction.beforeMicros) / 100).toFixed(2)}%). The change is audited, and every open loan's coverage is recomputed in the background.`
                : null}
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button type="button" variant="outline" disabled={isCorrecting} onClick={() => setCorrection(null)}>
              Cancel
            </Button>
            <Button
              type="button"
              disabled={isCorrecting}
              onClick={async () => {
                if (!correction) return;
                setIsCorrecting(true);
                try {
                  await save(correction.values);
                } finally {
                  setIsCorrecting(false);
                  setCorrection(null);
                }
              }}
            >
              {isCorrecting ? "Saving…" : "Correct fix"}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </form>
  );
}
