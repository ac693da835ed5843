"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { Gauge } from "lucide-react";
import { toast } from "sonner";
import type { z } from "zod";
import { setConcurrencyLimitAction } from "@/app/admin/organizations/set-concurrency-limit-action";
import { setConcurrencyLimitInput } from "@/app/admin/organizations/schemas";
import { Button } from "@/components/ui/button";
import { concurrencyLimitLabel } from "@/lib/domain/limits/concurrency-label";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";

type Values = z.input<typeof setConcurrencyLimitInput>;

/** "Concurrency limit": how many routed requests the organisation may have in flight at once, across every instance. */
export function ConcurrencyLimitDialog({ orgId, orgName, limit, defaultLimit }: { orgId: string; orgName: string; limit: number | null; defaultLimit: number }) {
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values, z.output<typeof setConcurrencyLimitInput>>({
    resolver: zodResolver(setConcurrencyLimitInput),
    defaultValues: { orgId, maxConcurrentRequests: limit === null ? "" : String(limit) },
  });
  const { register, handleSubmit, getValues, setError, formState: { errors, isSubmitting } } = form;

  // Checked here with the action's schema, then sent as typed: the server parses the same text.
  const onSubmit = handleSubmit(async () => {
    const result = await setConcurrencyLimitAction(getValues());
    if (!result.ok) {
      showActionError(result.error, { fields: ["maxConcurrentRequests"], setError, otherwise: toast.error });
      return;
    }
    toast.success(`${orgName} may now have ${concurrencyLimitLabel(result.data.maxConcurrentRequests, defaultLimit)} requests in flight at once.`);
    close();
  });

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button" variant="outline">
          <Gauge aria-hidden="true" />
          Concurrency limit
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Concurrency limit for {orgName}</DialogTitle>
            <DialogDescription>
              How many of its routing API requests may be in flight at once, across every instance. One more gets 429 concurrency_limit_exceeded until one of them finishes. Now:{" "}
              {concurrencyLimitLabel(limit, defaultLimit)}.
            </DialogDescription>
          </DialogHeader>
          <TextField
            id="concurrency-limit"
            label="Requests in flight at once"
            hint={`A whole number, e.g. 128; blank for the platform default (${defaultLimit.toLocaleString("en-US")}). Applies from its next request.`}
            error={errors.maxConcurrentRequests?.message}
            inputMode="numeric"
            autoComplete="off"
            placeholder={`${defaultLimit.toLocaleString("en-US")} (default)`}
            {...register("maxConcurrentRequests")}
          />
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Save limit" pendingLabel="Saving…" />
        </form>
      </DialogContent>
    </Dialog>
  );
}
