"use client";

import { useId, useState, useTransition, type FormEvent } from "react";
import { Plus } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { CreatedStep, TextField } from "@/components/ui/form-field";
import { fieldMessage } from "@/components/ui/form-errors";
import { OneTimeSecret } from "./one-time-secret";
import type { CreateTokenAction } from "./types";

type Created = { name: string; plaintext: string };

/** "Create token": a name in, the plaintext out exactly once, with its copy button. */
export function CreateTokenDialog({ createToken }: { createToken: CreateTokenAction }) {
  const [isOpen, setIsOpen] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [isPending, startTransition] = useTransition();
  const nameId = useId();

  function onOpenChange(next: boolean) {
    if (isPending) return;
    setIsOpen(next);
    if (!next) {
      // The plaintext leaves memory with the dialog.
      setCreated(null);
      setName("");
      setError(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createToken({ name });
      if (!result.ok) {
        setError(fieldMessage(result.error.message, result.error.field));
        if (!result.error.field) toast.error(result.error.message);
        return;
      }
      setError(null);
      setCreated({ name: result.data.name, plaintext: result.data.plaintext });
      toast.success(`Token “${result.data.name}” created.`);
    });
  }

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button">
          <Plus aria-hidden="true" />
          Create token
        </Button>
      </DialogTrigger>
      <DialogContent>
        {created ? (
          <CreatedStep
            title={<>Token “{created.name}” created</>}
            description="Send it as a bearer token to the lender API: it acts for your organisation until you revoke it."
            onDone={() => onOpenChange(false)}
          >
            <OneTimeSecret label="API token" value={created.plaintext} copyLabel="Copy token" />
            <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs text-foreground">
              {`# with the token above in $LENDER_TOKEN:\ncurl ${typeof window === "undefined" ? "" : window.location.origin}/api/lender/v1/loans \\\n  -H "Authorization: Bearer $LENDER_TOKEN"`}
            </pre>
          </CreatedStep>
        ) : (
          <form onSubmit={onSubmit} className="grid gap-4" noValidate>
            <DialogHeader>
              <DialogTitle>Create an API token</DialogTitle>
              <DialogDescription>A token lets your systems read your loans and alerts and freeze, unfreeze or liquidate through the lender API.</DialogDescription>
            </DialogHeader>
            <TextField
              id={nameId}
              label="Token name"
              hint="1 to 64 characters, so you can tell your tokens apart."
              error={error ?? undefined}
              name="name"
              value={name}
              maxLength={64}
              autoComplete="off"
              placeholder="e.g. Risk feed"
              onChange={(event) => setName(event.target.value)}
            />
            <DialogFooter>
              <Button type="button" variant="outline" disabled={isPending} onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={isPending}>
                {isPending ? "Creating…" : "Create token"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
