"use client";

import type { ComponentProps, ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

// The labelled fields of the admin forms and what ends a form dialog: a hint under each field, and
// an error that is announced (role="alert") and tied to its control (aria-describedby), as
// react-hook-form or the server reports it.

/** A native select styled like the inputs (keyboard and screen readers get the platform's own). */
export const SELECT_CLASS =
  "h-9 w-full rounded-md border border-input bg-card px-3 text-sm text-foreground shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 aria-invalid:border-destructive";

/** What a control inside a FormField spreads on itself: its id and the ids of its hint and error. */
export type FieldAria = { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined };

type FieldProps = { id: string; label: string; hint?: ReactNode; error?: string; className?: string };

/**
 * A labelled control with an optional hint and error; the control (an input, a select, a textarea,
 * given as a render function) receives the ids it must point at.
 */
export function FormField({ id, label, hint, error, className, children }: FieldProps & { children: (aria: FieldAria) => ReactNode }) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("grid content-start gap-2", className)}>
      <Label htmlFor={id}>{label}</Label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled text input (the rest of the props go to the input, e.g. react-hook-form's register). */
export function TextField({ id, label, hint, error, className, ...input }: FieldProps & Omit<ComponentProps<typeof Input>, "id">) {
  return (
    <FormField id={id} label={label} hint={hint} error={error} className={className}>
      {(aria) => <Input {...aria} {...input} />}
    </FormField>
  );
}

/** A labelled native select over `options`. */
export function SelectField({ id, label, hint, error, className, options, ...select }: FieldProps & { options: readonly { value: string; label: string }[] } & Omit<ComponentProps<"select">, "id">) {
  return (
    <FormField id={id} label={label} hint={hint} error={error} className={className}>
      {(aria) => (
        <select {...aria} className={SELECT_CLASS} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}

/** A checkbox with its label beside it and a hint under the label. */
export function CheckboxField({ id, label, hint, className, ...input }: { id: string; label: string; hint?: ReactNode } & Omit<ComponentProps<"input">, "id" | "type">) {
  return (
    <div className={cn("flex items-start gap-2", className)}>
      <input id={id} type="checkbox" className="mt-0.5 size-4 shrink-0 accent-primary" aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      <div className="grid gap-1">
        <Label htmlFor={id}>{label}</Label>
        {hint ? (
          <p id={`${id}-hint`} className="text-xs text-muted-foreground">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** An error about the whole form (not one field), announced when it appears. */
export function FormError({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" className="text-sm text-destructive">
      {message}
    </p>
  ) : null;
}

/** A form dialog's last row: Cancel, and the submit button that says what it is doing while it works. */
export function FormDialogFooter({
  isSubmitting,
  onCancel,
  submitLabel,
  pendingLabel,
  variant,
  isDisabled = false,
}: {
  isSubmitting: boolean;
  onCancel: () => void;
  submitLabel: string;
  pendingLabel: string;
  variant?: ComponentProps<typeof Button>["variant"];
  isDisabled?: boolean;
}) {
  return (
    <DialogFooter>
      <Button type="button" variant="outline" disabled={isSubmitting} onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" variant={variant} disabled={isSubmitting || isDisabled}>
        {isSubmitting ? pendingLabel : submitLabel}
      </Button>
    </DialogFooter>
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
