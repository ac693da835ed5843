"use client";

import { useId } from "react";
import { TriangleAlert } from "lucide-react";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** A token or signing secret shown the one time it exists in plaintext, with its copy button. */
export function OneTimeSecret({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  const id = useId();
  const warningId = `${id}-warning`;
  return (
    <div className="space-y-2">
      <Label htmlFor={id}>{label}</Label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input id={id} readOnly value={value} aria-describedby={warningId} className="font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
        <CopyButton value={value} label={copyLabel} />
      </div>
      <p id={warningId} className="flex items-start gap-1.5 rounded-md border border-warning/40 p-2 text-sm font-medium text-foreground">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden="true" />
        Copy it now: you will not see it again. Blockable keeps only a hash (tokens) or a sealed copy it never shows (secrets).
      </p>
    </div>
  );
}
