"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Card, CardContent } from "@/components/ui/card";
import { TextField } from "@/components/ui/form-field";
import { resolveCallbackPath } from "@/lib/domain/auth/callback-url";
import { retryAfterMsOfSignInError, tooManyAttemptsMessage } from "@/lib/domain/auth/sign-in-throttle";
import { FormAlert, PendingSubmitButton, useRedirectingSubmit } from "./form-parts";

const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your email.").pipe(z.email("Enter a valid email address.")),
  password: z.string().min(1, "Enter your password."),
});

type LoginValues = z.infer<typeof loginSchema>;

type DemoAccount = { label: string; email: string; password: string };

const ERROR_MESSAGES: Record<string, string> = {
  AccountDisabled: "This account is disabled. Contact your administrator.",
};

/** What next-auth's error code means to the person signing in; a throttled attempt carries its wait. */
function signInErrorMessage(error: string | null | undefined): string {
  const retryAfterMs = retryAfterMsOfSignInError(error);
  if (retryAfterMs !== null) return tooManyAttemptsMessage(retryAfterMs);
  return ERROR_MESSAGES[error ?? ""] ?? "Invalid email or password.";
}

export function LoginForm({ callbackUrl, demoAccounts }: { callbackUrl?: string; demoAccounts?: DemoAccount[] }) {
  const { formError, setFormError, isRedirecting, submit } = useRedirectingSubmit();
  const {
    register,
    handleSubmit,
    setValue,
    formState: { errors, isSubmitting },
  } = useForm<LoginValues>({ resolver: zodResolver(loginSchema), defaultValues: { email: "", password: "" } });

  const onSubmit = handleSubmit(({ email, password }) =>
    submit(async () => {
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result || result.error || !result.ok) {
        setFormError(signInErrorMessage(result?.error));
        return null;
      }
      // Checked again against this very origin: only a path on this site, else "/" (the role's home).
      return resolveCallbackPath(callbackUrl, window.location.origin) ?? "/";
    }),
  );

  const isPending = isSubmitting || isRedirecting;

  function fillDemo(account: DemoAccount) {
    setFormError(null);
    setValue("email", account.email, { shouldValidate: true, shouldDirty: true });
    setValue("password", account.password, { shouldValidate: true, shouldDirty: true });
  }

  return (
    <div className="space-y-4">
      <Card>
        <CardContent className="pt-5">
          <form onSubmit={onSubmit} noValidate aria-label="Sign in" className="space-y-4">
            <FormAlert message={formError} />

            <TextField
              id="login-email"
              label="Email"
              error={errors.email?.message}
              type="email"
              autoComplete="username"
              inputMode="email"
              spellCheck={false}
              {...register("email")}
            />
            <TextField id="login-password" label="Password" error={errors.password?.message} type="password" autoComplete="current-password" {...register("password")} />

            <PendingSubmitButton isPending={isPending}>Sign in</PendingSubmitButton>
          </form>
        </CardContent>
      </Card>

      {demoAccounts && demoAccounts.length > 0 ? (
        <section aria-labelledby="demo-accounts-heading" className="rounded-lg border border-dashed bg-card/60 p-4">
          <h2 id="demo-accounts-heading" className="text-xs font-medium tracking-wide text-muted-foreground uppercase">
            Demo accounts
          </h2>
          <p className="mt-1 text-xs text-muted-foreground">Fills the form; you still press the button.</p>
          <ul className="mt-3 grid gap-1.5">
            {demoAccounts.map((account) => (
              <li key={account.email}>
                <button
                  type="button"
                  onClick={() => fillDemo(account)}
                  className="flex w-full items-center justify-between gap-3 rounded-md px-2 py-1.5 text-left text-sm outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50"
                >
                  <span className="font-medium">{account.label}</span>
                  <span className="truncate text-xs text-muted-foreground">{account.email}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
