"use client";

import { useId } from "react";
import { TriangleAlert } from "lucide-react";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** A temporary password, shown the one time it exists in plaintext, with its copy button. */
export function TemporaryPassword({ email, value }: { email: string; value: string }) {
  const id = useId();
  const warningId = `${id}-warning`;
  return (
    <div className="space-y-2">
      <Label htmlFor={id}>Temporary password</Label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input id={id} readOnly value={value} aria-describedby={warningId} className="font-mono text-sm" onFocus={(event) => event.currentTarget.select()} />
        <CopyButton value={value} label="Copy password" />
      </div>
      <p id={warningId} className="flex items-start gap-1.5 rounded-md border border-warning/40 p-2 text-sm font-medium text-foreground">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden="true" />
        <span>
          Copy it now and hand it to {email} privately: you will not see it again. They must choose their own password when they sign in with it.
        </span>
      </p>
    </div>
  );
}
