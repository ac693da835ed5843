"use client";

import { useRouter } from "next/navigation";
import { zodResolver } from "@hookform/resolvers/zod";
import { Plus } from "lucide-react";
import { toast } from "sonner";
import type { z } from "zod";
import { createOrganizationAction } from "@/app/admin/organizations/create-organization-action";
import { createOrganizationInput, ORG_KIND_LABELS, ORG_KINDS } from "@/app/admin/organizations/schemas";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, FormField, SELECT_CLASS } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useFormDialog } from "@/components/ui/use-form-dialog";

type Values = z.input<typeof createOrganizationInput>;

const KIND_HINTS: Record<(typeof ORG_KINDS)[number], string> = {
  STARTUP: "Buys and borrows compute credits; its users have the startup role.",
  LENDER: "Funds loans through facilities; its users have the lender role.",
  PLATFORM: "Runs Blockable; its users are admins.",
};

/** "Create organisation": a name and a kind; the address (slug) is derived from the name. */
export function CreateOrganizationDialog() {
  const router = useRouter();
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values>({ resolver: zodResolver(createOrganizationInput), defaultValues: { name: "", kind: "STARTUP" } });
  const { register, handleSubmit, setError, watch, formState: { errors, isSubmitting } } = form;
  const kind = watch("kind") as (typeof ORG_KINDS)[number];

  const onSubmit = handleSubmit(async (values) => {
    const result = await createOrganizationAction(values);
    if (!result.ok) {
      showActionError(result.error, { fields: ["name", "kind"], setError, otherwise: toast.error });
      return;
    }
    toast.success(`${result.data.name} created (${ORG_KIND_LABELS[result.data.kind as (typeof ORG_KINDS)[number]].toLowerCase()}).`);
    close();
    router.push(`/admin/organizations/${result.data.id}`);
  });

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button">
          <Plus aria-hidden="true" />
          Create organisation
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Create an organisation</DialogTitle>
            <DialogDescription>A startup, a lender or the platform. You add its users (and, for a lender, its facilities) next.</DialogDescription>
          </DialogHeader>
          <FormField id="create-org-name" label="Name" hint="2 to 80 characters. Its address is made from it (e.g. “Acme AI” → acme-ai) and must be unused." error={errors.name?.message}>
            {(aria) => <Input {...aria} autoComplete="off" maxLength={80} placeholder="e.g. Acme AI" {...register("name")} />}
          </FormField>
          <FormField id="create-org-kind" label="Kind" hint={KIND_HINTS[kind] ?? undefined} error={errors.kind?.message}>
            {(aria) => (
              <select {...aria} className={SELECT_CLASS} {...register("kind")}>
                {ORG_KINDS.map((value) => (
                  <option key={value} value={value}>
                    {ORG_KIND_LABELS[value]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Create organisation" pendingLabel="Creating…" />
        </form>
      </DialogContent>
    </Dialog>
  );
}
