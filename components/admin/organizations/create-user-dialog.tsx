"use client";

import { useState } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { UserPlus } from "lucide-react";
import { toast } from "sonner";
import type { z } from "zod";
import { createUserAction } from "@/app/admin/organizations/create-user-action";
import { createUserInput, ORG_KIND_LABELS } from "@/app/admin/organizations/schemas";
import { Button } from "@/components/ui/button";
import { CreatedStep } from "@/components/ui/form-field";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, FormField, SELECT_CLASS, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";
import { roleForOrgKind, type OrgKind } from "@/lib/domain/auth/permissions";
import { TemporaryPassword } from "./temporary-password";

type Values = z.input<typeof createUserInput>;
export type OrgOption = { id: string; name: string; kind: OrgKind };

/**
 * "Create user": name, email and organisation (fixed when opened from an organisation's page); the
 * role follows the organisation's kind. Ends on the temporary password, shown this once.
 */
export function CreateUserDialog({ organizations, fixedOrgId }: { organizations: OrgOption[]; fixedOrgId?: string }) {
  const [created, setCreated] = useState<{ email: string; temporaryPassword: string } | null>(null);
  const { form, isOpen, onOpenChange } = useFormDialog<Values>(
    { resolver: zodResolver(createUserInput), defaultValues: { orgId: fixedOrgId ?? "", name: "", email: "" } },
    // The temporary password leaves memory with the dialog.
    { onClose: () => setCreated(null) },
  );
  const { register, handleSubmit, setError, watch, formState: { errors, isSubmitting } } = form;
  const org = organizations.find((candidate) => candidate.id === watch("orgId"));
  const fixedOrg = fixedOrgId ? organizations.find((candidate) => candidate.id === fixedOrgId) : undefined;

  const onSubmit = handleSubmit(async (values) => {
    const result = await createUserAction(values);
    if (!result.ok) {
      showActionError(result.error, { fields: ["name", "email", "orgId"], setError, otherwise: toast.error });
      return;
    }
    setCreated({ email: result.data.email, temporaryPassword: result.data.temporaryPassword });
    toast.success(`${result.data.email} created with the ${result.data.role} role.`);
  });

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button" variant={fixedOrgId ? "default" : "outline"}>
          <UserPlus aria-hidden="true" />
          Create user
        </Button>
      </DialogTrigger>
      <DialogContent>
        {created ? (
          <CreatedStep title={`${created.email} created`} description="They sign in with this temporary password and must choose their own before anything else." onDone={() => onOpenChange(false)}>
            <TemporaryPassword email={created.email} value={created.temporaryPassword} />
          </CreatedStep>
        ) : (
          <form onSubmit={onSubmit} className="grid gap-4" noValidate>
            <DialogHeader>
              <DialogTitle>{fixedOrg ? `Create a user in ${fixedOrg.name}` : "Create a user"}</DialogTitle>
              <DialogDescription>You get a temporary password to hand over; they choose their own at first sign-in.</DialogDescription>
            </DialogHeader>
            <TextField id="create-user-name" label="Name" error={errors.name?.message} autoComplete="off" maxLength={80} placeholder="e.g. Ada Chen" {...register("name")} />
            <TextField
              id="create-user-email"
              label="Email"
              hint="They sign in with it; one account per email."
              error={errors.email?.message}
              type="email"
              inputMode="email"
              spellCheck={false}
              autoComplete="off"
              maxLength={254}
              {...register("email")}
            />
            {fixedOrg ? null : (
              <FormField
                id="create-user-org"
                label="Organisation"
                hint={org ? `${ORG_KIND_LABELS[org.kind]} organisation: the user gets the ${roleForOrgKind(org.kind)} role.` : "The role follows the organisation's kind."}
                error={errors.orgId?.message}
              >
                {(aria) => (
                  <select {...aria} className={SELECT_CLASS} {...register("orgId")}>
                    <option value="">Choose an organisation…</option>
                    {organizations.map((option) => (
                      <option key={option.id} value={option.id}>
                        {option.name} ({ORG_KIND_LABELS[option.kind].toLowerCase()})
                      </option>
                    ))}
                  </select>
                )}
              </FormField>
            )}
            {fixedOrg ? <p className="text-sm text-muted-foreground">Role: {roleForOrgKind(fixedOrg.kind)} (from the organisation&apos;s kind).</p> : null}
            <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Create user" pendingLabel="Creating…" />
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
