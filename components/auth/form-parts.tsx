"use client";

import { useState, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { CircleAlert, LoaderCircle } from "lucide-react";
import { Button } from "@/components/ui/button";

// What the account forms (sign in, change password) share: the error about the whole form above
// the fields, the full-width submit button that spins while the request and the redirect run, and
// the submit itself (clear the error, try, go to the next page, or say the server is unreachable).

/**
 * `submit(attempt)`: `attempt` resolves to the path to go to, or null when it set its own error;
 * the form stays pending until the next page replaces it.
 */
export function useRedirectingSubmit() {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [isRedirecting, setRedirecting] = useState(false);

  async function submit(attempt: () => Promise<string | null>) {
    setFormError(null);
    try {
      const path = await attempt();
      if (path === null) return;
      setRedirecting(true);
      router.replace(path);
      router.refresh();
    } catch {
      setFormError("Could not reach the server. Try again.");
    }
  }

  return { formError, setFormError, isRedirecting, submit };
}

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
