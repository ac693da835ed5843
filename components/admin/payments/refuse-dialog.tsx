"use client";

import type { ReactNode } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { z } from "zod";
import { reasonText } from "@/app/admin/payments/schemas";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, FormField } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";
import { useFormDialog } from "@/components/ui/use-form-dialog";

const schema = z.object({ reason: reasonText });
type Values = z.input<typeof schema>;
type RefuseResult = { ok: true; data: unknown } | { ok: false; error: { message: string; code: string; field: string | null } };

/**
 * "Refuse" on a notice or a purchase request: a reason the startup reads is required; nothing
 * moves. The dialog says so before it happens, then a toast and the row moves to the history.
 */
export function RefuseDialog({ id, title, summary, confirmLabel, toastText, refuse }: { id: string; title: string; summary: ReactNode; confirmLabel: string; toastText: string; refuse: (reason: string) => Promise<RefuseResult> }) {
  const router = useRouter();
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { reason: "" } });
  const { register, handleSubmit, setError, formState: { errors, isSubmitting } } = form;
  const fieldId = `refuse-${id}-reason`;

  const onSubmit = handleSubmit(async (values) => {
    const result = await refuse(values.reason);
    if (!result.ok) {
      showActionError(result.error, { fields: ["reason"], setError, otherwise: toast.error });
      return;
    }
    toast.success(toastText);
    close();
    router.refresh();
  });

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button" variant="outline" size="sm">
          Refuse
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>Nothing moves: no payment is recorded and no credits are issued. The startup sees the reason.</DialogDescription>
          </DialogHeader>
          <div className="text-sm">{summary}</div>
          <FormField id={fieldId} label="Reason" hint="3 to 500 characters, in words the startup can act on." error={errors.reason?.message}>
            {(aria) => <Textarea {...aria} rows={3} maxLength={500} placeholder="e.g. No wire with this reference reached the collection account." {...register("reason")} />}
          </FormField>
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel={confirmLabel} pendingLabel="Refusing…" variant="destructive" />
        </form>
      </DialogContent>
    </Dialog>
  );
}
