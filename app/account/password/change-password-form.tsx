"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { zodResolver } from "@hookform/resolvers/zod";
import { CircleAlert, LoaderCircle } from "lucide-react";
import { useForm, type FieldPath } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/server/http/action";
import { changePasswordInput, PASSWORD_MIN_LENGTH, type ChangePasswordValues } from "./schema";

type ChangePassword = (input: ChangePasswordValues) => Promise<ActionResult<{ homePath: string }>>;

const FIELDS: { name: FieldPath<ChangePasswordValues>; label: string; autoComplete: string; hint?: string }[] = [
  { name: "currentPassword", label: "Current password", autoComplete: "current-password" },
  { name: "newPassword", label: "New password", autoComplete: "new-password", hint: `At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a good one.` },
  { name: "confirmPassword", label: "New password again", autoComplete: "new-password" },
];

function stripFieldPrefix(message: string, field: string | null) {
  return field && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

export function ChangePasswordForm({ email, isTemporary, changePassword }: { email: string; isTemporary: boolean; changePassword: ChangePassword }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [isRedirecting, setRedirecting] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ChangePasswordValues>({ resolver: zodResolver(changePasswordInput), defaultValues: { currentPassword: "", newPassword: "", confirmPassword: "" } });

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      const result = await changePassword(values);
      if (!result.ok) {
        const field = result.error.field;
        if (field && FIELDS.some((f) => f.name === field)) setError(field as FieldPath<ChangePasswordValues>, { message: stripFieldPrefix(result.error.message, field) }, { shouldFocus: true });
        else setFormError(result.error.message);
        return;
      }
      toast.success("Password changed.");
      setRedirecting(true);
      router.replace(result.data.homePath);
      router.refresh();
    } catch {
      setFormError("Could not reach the server. Try again.");
    }
  });

  const isPending = isSubmitting || isRedirecting;

  return (
    <Card>
      <CardContent className="pt-5">
        <form onSubmit={onSubmit} noValidate aria-label="Change password" className="space-y-4">
          {formError ? (
            <div className="flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive">
              <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
              <p role="alert">{formError}</p>
            </div>
          ) : null}
          {/* For password managers: which account the new password belongs to. */}
          <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
          {FIELDS.map((field) => {
            const id = `change-password-${field.name}`;
            const error = errors[field.name]?.message;
            const describedBy = [error ? `${id}-error` : null, field.hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
            return (
              <div key={field.name} className="space-y-2">
                <Label htmlFor={id}>{field.name === "currentPassword" && isTemporary ? "Temporary password" : field.label}</Label>
                <Input id={id} type="password" autoComplete={field.autoComplete} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...register(field.name)} />
                {field.hint ? (
                  <p id={`${id}-hint`} className="text-xs text-muted-foreground">
                    {field.hint}
                  </p>
                ) : null}
                {error ? (
                  <p id={`${id}-error`} className="text-xs text-destructive">
                    {error}
                  </p>
                ) : null}
              </div>
            );
          })}
          <Button type="submit" className="w-full" disabled={isPending} aria-busy={isPending || undefined}>
            {isPending ? <LoaderCircle aria-hidden="true" className="animate-spin" /> : null}
            Change password
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
