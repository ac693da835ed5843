"use client";

import type { ComponentProps, ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

// What the Settings create dialogs ("Create token", "Add endpoint") share: the labelled field with
// its hint and its error, and the step they end on, where the new secret is shown once.

/** A labelled input with a hint under it; an error, when there is one, is announced and described. */
export function HintedField({ id, label, hint, error, ...input }: { id: string; label: string; hint: ReactNode; error: string | null | undefined } & Omit<ComponentProps<typeof Input>, "id">) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} {...input} aria-invalid={error ? true : undefined} aria-describedby={error ? `${errorId} ${hintId}` : hintId} />
      <p id={hintId} className="text-xs text-muted-foreground">
        {hint}
      </p>
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The last step of a create dialog: what was made, its secret (the children, shown this once), and Done. */
export function CreatedStep({ title, description, descriptionClassName, onDone, children }: { title: ReactNode; description: ReactNode; descriptionClassName?: string; onDone: () => void; children: ReactNode }) {
  return (
    <>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription className={descriptionClassName}>{description}</DialogDescription>
      </DialogHeader>
      {children}
      <DialogFooter>
        <Button type="button" onClick={onDone}>
          Done
        </Button>
      </DialogFooter>
    </>
  );
}
