"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { setFourEyesThresholdAction } from "@/app/admin/applications/set-threshold-action";
import { Button } from "@/components/ui/button";
import { InfoTip } from "@/components/ui/info-tip";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { MoneyParseError, parseUsdToMicros } from "@/lib/domain/money";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import { usd0 } from "./format";

/** "Second approval above $X": the four-eyes threshold, shown, and changed by an admin (audited). */
export function ThresholdForm({ thresholdMicros, isDefault }: { thresholdMicros: string; isDefault: boolean }) {
  const router = useRouter();
  const inputId = useId();
  const errorId = useId();
  const [isEditing, setIsEditing] = useState(false);
  const [text, setText] = useState(() => microsToUsdDecimal(BigInt(thresholdMicros)).replace(/\.0+$/, ""));
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    try {
      parseUsdToMicros(text);
    } catch (parseError) {
      if (!(parseError instanceof MoneyParseError)) throw parseError;
      setError(parseError.message);
      return;
    }
    setIsPending(true);
    try {
      const result = await setFourEyesThresholdAction({ thresholdUsd: text });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      setIsEditing(false);
      toast.success(result.data.changed ? `Second approval now needed above ${usd0(result.data.thresholdMicros)}.` : "The threshold was already that amount.");
      router.refresh();
    } finally {
      setIsPending(false);
    }
  }

  if (!isEditing) {
    return (
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span>
          Second approval above <strong className="num">{usd0(thresholdMicros)}</strong>
          {isDefault ? <span className="text-muted-foreground"> (default)</span> : null}
        </span>
        <InfoTip label="the four-eyes threshold">An application whose principal is above this amount is disbursed only when a second, different admin approves the same terms.</InfoTip>
        <Button type="button" variant="outline" size="sm" onClick={() => setIsEditing(true)}>
          Change threshold
        </Button>
      </div>
    );
  }
  return (
    <form onSubmit={save} className="flex flex-wrap items-end gap-2 text-sm" noValidate>
      <div className="space-y-1">
        <Label htmlFor={inputId}>Second approval above (USD)</Label>
        <div className="flex items-center gap-1">
          <span aria-hidden="true" className="text-muted-foreground">
            $
          </span>
          <Input id={inputId} inputMode="decimal" className="w-40" value={text} onChange={(event) => setText(event.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} />
        </div>
        {error ? (
          <p id={errorId} className="text-sm text-destructive" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <Button type="submit" size="sm" disabled={isPending}>
        {isPending ? "Saving…" : "Save threshold"}
      </Button>
      <Button type="button" variant="ghost" size="sm" disabled={isPending} onClick={() => setIsEditing(false)}>
        Cancel
      </Button>
    </form>
  );
}
