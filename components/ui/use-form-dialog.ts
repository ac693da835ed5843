"use client";

import { useState } from "react";
import { useForm, type DefaultValues, type FieldValues, type UseFormProps, type UseFormReturn } from "react-hook-form";

/**
 * A react-hook-form form inside a dialog: every opening starts from `defaultValues` (as they are at
 * that render), the dialog does not close while the form submits, and `onOpen` / `onClose` run the
 * dialog's own steps (a fresh idempotency key, forgetting a secret shown once).
 */
export function useFormDialog<Values extends FieldValues, Output extends FieldValues = Values>(
  props: UseFormProps<Values, unknown, Output> & { defaultValues: DefaultValues<Values> },
  { onOpen, onClose }: { onOpen?: (form: UseFormReturn<Values, unknown, Output>) => void; onClose?: () => void } = {},
) {
  const [isOpen, setIsOpen] = useState(false);
  const form = useForm<Values, unknown, Output>(props);

  function onOpenChange(next: boolean) {
    if (form.formState.isSubmitting) return;
    setIsOpen(next);
    if (next) {
      form.reset(props.defaultValues);
      onOpen?.(form);
    } else {
      onClose?.();
    }
  }

  return { form, isOpen, onOpenChange, close: () => setIsOpen(false) };
}
