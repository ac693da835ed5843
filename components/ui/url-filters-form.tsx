"use client";

import { useId, useTransition, type ComponentProps, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm, type DefaultValues, type FieldError, type Path, type Resolver, type UseFormRegisterReturn } from "react-hook-form";
import { Filter, Loader2, X } from "lucide-react";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { tableSelectClass } from "@/components/ui/table-parts";
import { cn } from "@/lib/utils";

// A filters form whose values live in the page's address: "Apply filters" validates the fields
// with the address's own zod schema (so the form refuses exactly what the page and its export
// would) and navigates to the filtered view; "Clear" empties them and navigates to the whole list.
// Used by the startup's usage explorer and the admin audit log.

type FilterFields = Record<string, string>;

/** What one field's control spreads on itself (id, error wiring, react-hook-form registration), and its error. */
export type FilterFieldState = {
  control: { id: string; defaultValue: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined } & UseFormRegisterReturn;
  error: ReactNode;
};

export type FilterChoice = { value: string; label: string };

export function useUrlFiltersForm<T extends FilterFields>({ initial, empty, schema, hrefOf }: { initial: T; empty: T; schema: z.ZodType; hrefOf: (fields: T) => string }) {
  const router = useRouter();
  const [isNavigating, startNavigation] = useTransition();
  const id = useId();
  const form = useForm<T>({
    defaultValues: initial as DefaultValues<T>,
    resolver: zodResolver(schema as never) as unknown as Resolver<T>,
  });
  const { errors } = form.formState;

  const go = (fields: T) => startNavigation(() => router.push(hrefOf(fields)));
  // The resolver's output drops blank fields; the fields as typed are what the address keeps.
  const onSubmit = form.handleSubmit(() => go(form.getValues() as T));
  const clear = () => {
    form.reset(empty);
    go(empty);
  };

  const field = (name: keyof T & string): FilterFieldState => {
    const message = (errors[name] as FieldError | undefined)?.message;
    const errorId = `${id}-${name}-error`;
    return {
      control: {
        id: `${id}-${name}`,
        defaultValue: initial[name],
        "aria-invalid": message ? true : undefined,
        "aria-describedby": message ? errorId : undefined,
        ...form.register(name as unknown as Path<T>),
      },
      error: message ? (
        <p id={errorId} className="text-xs text-destructive">
          {message}
        </p>
      ) : null,
    };
  };

  return { isNavigating, onSubmit, clear, field };
}

function FilterField({ label, field, children }: { label: string; field: FilterFieldState; children: ReactNode }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={field.control.id} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {field.error}
    </div>
  );
}

/** A select whose empty choice (`all`) means "no filter". */
export function FilterChoiceField({ label, field, all, choices }: { label: string; field: FilterFieldState; all: string; choices: readonly FilterChoice[] }) {
  return (
    <FilterField label={label} field={field}>
      <select className={cn(tableSelectClass, "w-full aria-invalid:border-destructive")} {...field.control}>
        <option value="">{all}</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </FilterField>
  );
}

/** A text input (a date, a search); the rest of the props go to the input. */
export function FilterInputField({ label, field, ...input }: { label: string; field: FilterFieldState } & Omit<ComponentProps<typeof Input>, "id" | "name" | "defaultValue">) {
  return (
    <FilterField label={label} field={field}>
      <Input {...input} {...field.control} />
    </FilterField>
  );
}

/** "Apply filters" (submits) and "Clear". */
export function FilterFormActions({ isNavigating, onClear, className }: { isNavigating: boolean; onClear: () => void; className?: string }) {
  return (
    <div className={cn("flex items-end gap-2", className)}>
      <Button type="submit" disabled={isNavigating}>
        {isNavigating ? <Loader2 className="animate-spin" aria-hidden="true" /> : <Filter aria-hidden="true" />}
        Apply filters
      </Button>
      <Button type="button" variant="outline" disabled={isNavigating} onClick={onClear}>
        <X aria-hidden="true" />
        Clear
      </Button>
    </div>
  );
}
