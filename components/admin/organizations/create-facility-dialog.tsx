"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { Plus } from "lucide-react";
import { toast } from "sonner";
import type { z } from "zod";
import { createFacilityAction } from "@/app/admin/organizations/create-facility-action";
import { createFacilityInput } from "@/app/admin/organizations/schemas";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";

type Values = z.input<typeof createFacilityInput>;

const FIELDS = ["name", "limitUsd", "defaultAprPercent"] as const;

/** "Create facility" on a lender: a name, the limit in USD and the default APR in percent. */
export function CreateFacilityDialog({ orgId, orgName }: { orgId: string; orgName: string }) {
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values, z.output<typeof createFacilityInput>>({
    resolver: zodResolver(createFacilityInput),
    defaultValues: { orgId, name: "", limitUsd: "", defaultAprPercent: "" },
  });
  const { register, handleSubmit, getValues, setError, formState: { errors, isSubmitting } } = form;

  // Checked here with the action's schema, then sent as typed: the server parses the same text.
  const onSubmit = handleSubmit(async () => {
    const result = await createFacilityAction(getValues());
    if (!result.ok) {
      showActionError(result.error, { fields: FIELDS, setError, otherwise: toast.error });
      return;
    }
    toast.success(`Facility “${result.data.name}” opened for ${orgName}.`);
    close();
  });

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button" variant="outline">
          <Plus aria-hidden="true" />
          Create facility
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Create a facility for {orgName}</DialogTitle>
            <DialogDescription>A credit line that admins approve this lender&apos;s loans against: principal outstanding on it never exceeds its limit.</DialogDescription>
          </DialogHeader>
          <TextField
            id="create-facility-name"
            label="Facility name"
            hint="Up to 64 characters, unique within this lender."
            error={errors.name?.message}
            autoComplete="off"
            maxLength={64}
            placeholder="e.g. Growth facility II"
            {...register("name")}
          />
          <TextField
            id="create-facility-limit"
            label="Limit (USD)"
            hint="The most this facility may have lent at once, e.g. 2,500,000."
            error={errors.limitUsd?.message}
            inputMode="decimal"
            autoComplete="off"
            placeholder="2,500,000"
            {...register("limitUsd")}
          />
          <TextField
            id="create-facility-apr"
            label="Default APR (% a year)"
            hint="Proposed for new loans on this facility, e.g. 12.5; simple interest accrued daily. Each loan keeps the APR it was approved with."
            error={errors.defaultAprPercent?.message}
            inputMode="decimal"
            autoComplete="off"
            placeholder="12.5"
            {...register("defaultAprPercent")}
          />
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Create facility" pendingLabel="Creating…" />
        </form>
      </DialogContent>
    </Dialog>
  );
}
