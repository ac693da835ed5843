"use client";

import type { ReactNode } from "react";
import { CircleAlert, LoaderCircle } from "lucide-react";
import { Button } from "@/components/ui/button";

// What the account forms (sign in, change password) share: the error about the whole form above
// the fields, and the full-width submit button that spins while the request and the redirect run.

/** The form's own error (not a field's), announced when it appears. */
export function FormAlert({ message }: { message: string | null }) {
  return message ? (
    <div className="flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive">
      <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <p role="alert">{message}</p>
    </div>
  ) : null;
}

/** The submit button: disabled and busy while pending, its name unchanged (e.g. "Sign in"). */
export function PendingSubmitButton({ isPending, children }: { isPending: boolean; children: ReactNode }) {
  return (
    <Button type="submit" className="w-full" disabled={isPending} aria-busy={isPending || undefined}>
      {isPending ? <LoaderCircle aria-hidden="true" className="animate-spin" /> : null}
      {children}
    </Button>
  );
}
