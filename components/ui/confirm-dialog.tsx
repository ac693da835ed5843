"use client";

import { useState, type ReactNode } from "react";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

/**
 * A destructive action behind a dialog that says what will happen before it happens. `onConfirm`
 * resolves true to close the dialog (false keeps it open, e.g. to show the error); while it runs
 * the confirm button is disabled, so a double click acts once.
 */
export function ConfirmDialog({
  trigger,
  title,
  description,
  children,
  confirmLabel,
  pendingLabel = "Working…",
  confirmVariant = "destructive",
  onConfirm,
}: {
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  confirmVariant?: ButtonProps["variant"];
  onConfirm: () => Promise<boolean>;
}) {
  const [isOpen, setIsOpen] = useState(false);
  const [isPending, setIsPending] = useState(false);
  return (
    <Dialog open={isOpen} onOpenChange={(next) => !isPending && setIsOpen(next)}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {children}
        <DialogFooter>
          <Button type="button" variant="outline" disabled={isPending} onClick={() => setIsOpen(false)}>
            Cancel
          </Button>
          <Button
            type="button"
            variant={confirmVariant}
            disabled={isPending}
            onClick={async () => {
              setIsPending(true);
              try {
                if (await onConfirm()) setIsOpen(false);
              } finally {
                setIsPending(false);
              }
            }}
          >
            {isPending ? pendingLabel : confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
