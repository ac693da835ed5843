import type { FieldPath, FieldValues, UseFormSetError } from "react-hook-form";

// A server action's error as a form shows it: under the field it names, or for the whole form.

type ActionError = { message: string; field: string | null };

/** The message without the `field: ` prefix the server puts in front of a field's error. */
export function fieldMessage(message: string, field: string | null): string {
  if (!field) return message;
  const prefix = `${field}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/**
 * Puts an action's error under its field when the form has that field (and focuses it); any other
 * error goes to `otherwise` (a toast, or a line above the buttons). `aliases` maps a server field
 * name onto the form's (e.g. amountMicros → amountUsd).
 */
export function showActionError<Values extends FieldValues>(
  error: ActionError,
  {
    fields,
    setError,
    otherwise,
    aliases = {},
  }: { fields: readonly FieldPath<Values>[]; setError: UseFormSetError<Values>; otherwise: (message: string) => void; aliases?: Record<string, FieldPath<Values>> },
): void {
  const message = fieldMessage(error.message, error.field);
  const field = error.field === null ? undefined : (aliases[error.field] ?? fields.find((name) => name === error.field));
  if (field) setError(field, { message }, { shouldFocus: true });
  else otherwise(message);
}
