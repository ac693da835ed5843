"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm, type FieldPath } from "react-hook-form";
import { toast } from "sonner";
import { FormAlert, PendingSubmitButton, useRedirectingSubmit } from "@/components/auth/form-parts";
import { Card, CardContent } from "@/components/ui/card";
import { showActionError } from "@/components/ui/form-errors";
import { TextField } from "@/components/ui/form-field";
import type { ActionResult } from "@/lib/server/http/action";
import { changePasswordInput, PASSWORD_MIN_LENGTH, type ChangePasswordValues } from "./schema";

type ChangePassword = (input: ChangePasswordValues) => Promise<ActionResult<{ homePath: string }>>;

const FIELDS: { name: FieldPath<ChangePasswordValues>; label: string; autoComplete: string; hint?: string }[] = [
  { name: "currentPassword", label: "Current password", autoComplete: "current-password" },
  { name: "newPassword", label: "New password", autoComplete: "new-password", hint: `At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a good one.` },
  { name: "confirmPassword", label: "New password again", autoComplete: "new-password" },
];

export function ChangePasswordForm({ email, isTemporary, changePassword }: { email: string; isTemporary: boolean; changePassword: ChangePassword }) {
  const { formError, setFormError, isRedirecting, submit } = useRedirectingSubmit();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ChangePasswordValues>({ resolver: zodResolver(changePasswordInput), defaultValues: { currentPassword: "", newPassword: "", confirmPassword: "" } });

  const onSubmit = handleSubmit((values) =>
    submit(async () => {
      const result = await changePassword(values);
      if (!result.ok) {
        showActionError(result.error, { fields: FIELDS.map((field) => field.name), setError, otherwise: setFormError });
        return null;
      }
      toast.success("Password changed.");
      return result.data.homePath;
    }),
  );

  const isPending = isSubmitting || isRedirecting;

  return (
    <Card>
      <CardContent className="pt-5">
        <form onSubmit={onSubmit} noValidate aria-label="Change password" className="space-y-4">
          <FormAlert message={formError} />
          {/* For password managers: which account the new password belongs to. */}
          <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
          {FIELDS.map((field) => (
            <TextField
              key={field.name}
              id={`change-password-${field.name}`}
              label={field.name === "currentPassword" && isTemporary ? "Temporary password" : field.label}
              hint={field.hint}
              error={errors[field.name]?.message}
              type="password"
              autoComplete={field.autoComplete}
              {...register(field.name)}
            />
          ))}
          <PendingSubmitButton isPending={isPending}>Change password</PendingSubmitButton>
        </form>
      </CardContent>
    </Card>
  );
}
