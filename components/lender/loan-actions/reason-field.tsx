"use client";

import { useId } from "react";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";

/** The required reason: audited, and sent to the lender's webhooks with the action. */
export function ReasonField({ value, onChange, placeholder }: { value: string; onChange: (value: string) => void; placeholder: string }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>Reason</Label>
      <Textarea id={id} name="reason" required aria-required="true" maxLength={500} rows={2} value={value} placeholder={placeholder} aria-describedby={hintId} onChange={(event) => onChange(event.target.value)} />
      <p id={hintId} className="text-xs text-muted-foreground">
        Required. It goes to the audit log, the loan&apos;s alert and your webhooks.
      </p>
    </div>
  );
}
