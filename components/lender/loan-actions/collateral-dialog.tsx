"use client";

import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

export type ConfirmOutcome = { ok: true } | { ok: false; message: string };

/**
 * The shell of the loan page's collateral dialogs: a trigger button with a plain name, a form with
 * the dialog's fields and its preview, the action's error shown in place (the dialog stays open and
 * nothing has changed), and a confirm button that acts once — disabled while the action runs, and
 * guarded against a second click landing before React re-renders.
 */
export function CollateralDialog({
  triggerLabel,
  triggerVariant = "outline",
  disabledReasonId,
  isDisabled,
  title,
  description,
  confirmLabel,
  pendingLabel,
  confirmVariant = "destructive",
  blockedReason,
  onConfirm,
  onOpen,
  children,
}: {
  triggerLabel: string;
  triggerVariant?: ButtonProps["variant"];
  /** The id of the visible text saying why the trigger is disabled. */
  disabledReasonId?: string;
  isDisabled: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  confirmVariant?: ButtonProps["variant"];
  /** Why Confirm cannot be pressed yet (shown beside it); null when it can. */
  blockedReason: string | null;
  onConfirm: () => Promise<ConfirmOutcome>;
  /** Reset the fields each time the dialog opens. */
  onOpen?: () => void;
  children: ReactNode;
}) {
  const [isOpen, setIsOpen] = useState(false);
  const [isPending, setIsPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const errorId = useId();
  const blockedId = useId();

  function onOpenChange(next: boolean) {
    if (inFlight.current) return;
    if (next) {
      setError(null);
      onOpen?.();
    }
    setIsOpen(next);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current || blockedReason !== null) return;
    inFlight.current = true;
    setIsPending(true);
    setError(null);
    try {
      const outcome = await onConfirm();
      if (outcome.ok) setIsOpen(false);
      else setError(outcome.message);
    } catch {
      setError("The request did not reach the server, or its answer was lost. Nothing is known to have changed: reload the page to see the loan as it is, then try again.");
    } finally {
      inFlight.current = false;
      setIsPending(false);
    }
  }

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button" variant={triggerVariant} disabled={isDisabled} aria-describedby={isDisabled ? disabledReasonId : undefined}>
          {triggerLabel}
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-xl">
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
          </DialogHeader>
          {children}
          {error ? (
            <p id={errorId} role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive">
              {error}
            </p>
          ) : null}
          {blockedReason && !isPending ? (
            <p id={blockedId} className="text-sm text-muted-foreground">
              {blockedReason}
            </p>
          ) : null}
          <DialogFooter>
            <Button type="button" variant="outline" disabled={isPending} onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" variant={confirmVariant} disabled={isPending || blockedReason !== null} aria-describedby={blockedReason ? blockedId : error ? errorId : undefined}>
              {isPending ? pendingLabel : confirmLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
