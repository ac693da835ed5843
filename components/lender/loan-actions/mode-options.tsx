"use client";

import { useId, type ReactNode } from "react";
import { cn } from "@/lib/utils";

export type ModeOption<M extends string> = { value: M; label: string; detail: ReactNode; disabledReason?: string | null };

/** A labelled radio group (fieldset + legend): each option with what it means in numbers. */
export function ModeOptions<M extends string>({ legend, name, value, options, onChange }: { legend: string; name: string; value: M; options: ModeOption<M>[]; onChange: (value: M) => void }) {
  const baseId = useId();
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      {options.map((option) => {
        const id = `${baseId}-${option.value}`;
        const isDisabled = Boolean(option.disabledReason);
        return (
          <label
            key={option.value}
            htmlFor={id}
            className={cn(
              "flex cursor-pointer items-start gap-3 rounded-md border p-3 text-sm has-[:checked]:border-primary has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
              isDisabled && "cursor-not-allowed opacity-60",
            )}
          >
            <input id={id} type="radio" name={name} value={option.value} checked={value === option.value} disabled={isDisabled} onChange={() => onChange(option.value)} className="mt-0.5 size-4 accent-primary" />
            <span className="grid gap-0.5">
              <span className="font-medium">{option.label}</span>
              <span className="text-muted-foreground">{option.disabledReason ?? option.detail}</span>
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
