"use client";

import { useState } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { Plus } from "lucide-react";
import { toast } from "sonner";
import type { z } from "zod";
import { createKeyAction } from "@/app/startup/keys/create-key-action";
import { createKeyInput, RPM_LIMIT_MAX } from "@/app/startup/keys/schemas";
import { OneTimeSecret } from "@/components/lender/settings/one-time-secret";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { DialogForm } from "@/components/ui/form-dialog";
import { showActionError } from "@/components/ui/form-errors";
import { CreatedStep, FormDialogFooter, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";

type Values = z.input<typeof createKeyInput>;
export type CreatedKey = { id: string; name: string; prefix: string };

/**
 * "Create key": a name, an optional lifetime spend cap in dollars and an optional rate limit; ends
 * on the key itself, shown this once with its copy button.
 */
export function CreateKeyDialog({ defaultRpm, onCreated }: { defaultRpm: number; onCreated: (key: CreatedKey) => void }) {
  const [created, setCreated] = useState<(CreatedKey & { plaintext: string }) | null>(null);
  const { form, isOpen, onOpenChange } = useFormDialog<Values, z.output<typeof createKeyInput>>(
    { resolver: zodResolver(createKeyInput), defaultValues: { name: "", spendCapUsd: "", rpmLimit: "" } },
    // The plaintext leaves memory with the dialog.
    { onClose: () => setCreated(null) },
  );
  const { register, handleSubmit, getValues, setError, formState: { errors, isSubmitting } } = form;

  // Checked here with the action's schema, then sent as typed: the server parses the same text.
  const onSubmit = handleSubmit(async () => {
    const result = await createKeyAction(getValues());
    if (!result.ok) {
      showActionError(result.error, { fields: ["name", "spendCapUsd", "rpmLimit"], setError, otherwise: toast.error, aliases: { spendCapMicros: "spendCapUsd" } });
      return;
    }
    setCreated(result.data);
    onCreated({ id: result.data.id, name: result.data.name, prefix: result.data.prefix });
    toast.success(`Key “${result.data.name}” created.`);
  });

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button">
          <Plus aria-hidden="true" />
          Create key
        </Button>
      </DialogTrigger>
      <DialogContent>
        {created ? (
          <CreatedStep
            title={<>Key “{created.name}” created</>}
            description="Send it as a bearer token to the routing API; it spends your organisation's credits until you revoke it. The quickstart below shows where it goes."
            onDone={() => onOpenChange(false)}
          >
            <OneTimeSecret label="API key" value={created.plaintext} copyLabel="Copy key" />
          </CreatedStep>
        ) : (
          <DialogForm
            title="Create an API key"
            description="A key calls the routing API (OpenAI-compatible) and spends your credits. You see it once; Blockable keeps only its hash."
            onSubmit={onSubmit}
          >
            <TextField id="create-key-name" label="Key name" hint="1 to 64 characters, so you can tell your keys apart." error={errors.name?.message} autoComplete="off" maxLength={64} placeholder="e.g. Production" {...register("name")} />
            <TextField
              id="create-key-cap"
              label="Spend cap (USD, optional)"
              hint="The most this key may ever spend, exact to the µUSD (e.g. 250 or 1,000.50). A request whose worst-case cost would pass it gets 402 spend_cap_exceeded. Blank: no cap."
              error={errors.spendCapUsd?.message}
              inputMode="decimal"
              autoComplete="off"
              placeholder="No cap"
              {...register("spendCapUsd")}
            />
            <TextField
              id="create-key-rpm"
              label="Rate limit (requests per minute, optional)"
              hint={`A whole number from 1 to ${RPM_LIMIT_MAX.toLocaleString("en-US")}; requests above it get 429 with retry-after. Blank: the default, ${defaultRpm.toLocaleString("en-US")} per minute.`}
              error={errors.rpmLimit?.message}
              inputMode="numeric"
              autoComplete="off"
              placeholder={`${defaultRpm.toLocaleString("en-US")} (default)`}
              {...register("rpmLimit")}
            />
            <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Create key" pendingLabel="Creating…" />
          </DialogForm>
        )}
      </DialogContent>
    </Dialog>
  );
}
