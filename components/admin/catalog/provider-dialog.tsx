"use client";

import { useId, useState, type ReactNode } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useWatch, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { CheckboxField, FormDialogFooter, FormError, SelectField, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";
import { createProviderSchema, PROVIDER_KINDS, updateProviderSchema } from "@/lib/domain/routing/catalog-inputs";
import type { ProviderDto } from "@/lib/server/catalog-admin/queries";
import { PROVIDER_KIND_LABELS } from "./format";
import type { ProviderActions } from "./types";

type Values = {
  /** Edit only: which provider (the update schema needs it; the create schema drops it). */
  providerId: string;
  slug: string;
  name: string;
  kind: ProviderDto["kind"];
  baseUrl: string;
  apiKeyChange: "keep" | "replace" | "clear";
  apiKey: string;
  timeoutMs: number;
  breakerFailures: number;
  breakerCooldownMs: number;
  isEnabled: boolean;
};

const FIELDS = ["slug", "name", "kind", "baseUrl", "apiKey", "timeoutMs", "breakerFailures", "breakerCooldownMs"] as const;

function defaultsFor(provider: ProviderDto | undefined): Values {
  if (!provider) return { providerId: "", slug: "", name: "", kind: "openai_compatible", baseUrl: "", apiKeyChange: "keep", apiKey: "", timeoutMs: 60_000, breakerFailures: 5, breakerCooldownMs: 30_000, isEnabled: true };
  return {
    providerId: provider.id,
    slug: provider.slug,
    name: provider.name,
    kind: provider.kind,
    baseUrl: provider.baseUrl ?? "",
    apiKeyChange: "keep",
    apiKey: "",
    timeoutMs: provider.timeoutMs,
    breakerFailures: provider.breakerFailures,
    breakerCooldownMs: provider.breakerCooldownMs,
    isEnabled: provider.isEnabled,
  };
}

/**
 * "Create provider" and "Edit": the API key is write-only. A new provider may get one; an edit
 * keeps it, replaces it or clears it, and the form never shows it (the server never sends it).
 */
export function ProviderDialog({ provider, actions, trigger }: { provider?: ProviderDto; actions: Pick<ProviderActions, "createProvider" | "updateProvider">; trigger: ReactNode }) {
  const isEdit = provider !== undefined;
  const [formError, setFormError] = useState<string | null>(null);
  const id = useId();
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values>(
    {
      // The actions' own schemas: the browser refuses what the server would, with the same words.
      resolver: zodResolver(isEdit ? updateProviderSchema : createProviderSchema) as unknown as Resolver<Values>,
      defaultValues: defaultsFor(provider),
    },
    { onOpen: () => setFormError(null) },
  );
  const { register, handleSubmit, setError, control, formState: { errors, isSubmitting } } = form;
  const apiKeyChange = useWatch({ control, name: "apiKeyChange" });
  const kind = useWatch({ control, name: "kind" });

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const fields = { name: values.name, kind: values.kind, baseUrl: values.baseUrl, timeoutMs: values.timeoutMs, breakerFailures: values.breakerFailures, breakerCooldownMs: values.breakerCooldownMs, isEnabled: values.isEnabled };
    const result = isEdit
      ? await actions.updateProvider({ ...fields, providerId: provider.id, apiKeyChange: values.apiKeyChange, apiKey: values.apiKeyChange === "replace" ? values.apiKey : "" })
      : await actions.createProvider({ ...fields, slug: values.slug, apiKey: values.apiKey });
    if (!result.ok) {
      showActionError(result.error, { fields: FIELDS, setError, otherwise: setFormError });
      return;
    }
    toast.success(isEdit ? `Provider ${result.data.slug} saved: routing uses it from the next request.` : `Provider ${result.data.slug} created.`);
    close();
  });

  const kindOptions = PROVIDER_KINDS.map((value) => ({ value, label: PROVIDER_KIND_LABELS[value] }));
  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-2xl">
        <form onSubmit={onSubmit} noValidate className="grid gap-5">
          <DialogHeader>
            <DialogTitle>{isEdit ? `Edit ${provider.name}` : "Create a provider"}</DialogTitle>
            <DialogDescription>
              {isEdit ? "Changes apply from the next request on every instance." : "An upstream the routing API can send requests to. Add routes to models on the Models page."}
            </DialogDescription>
          </DialogHeader>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField id={`${id}-name`} label="Name" error={errors.name?.message} autoComplete="off" {...register("name")} />
            <TextField
              id={`${id}-slug`}
              label="Slug"
              hint={isEdit ? "Fixed: usage records and the x-blockable-provider header name it." : "Lower-case letters, digits and dashes; cannot change later."}
              error={errors.slug?.message}
              readOnly={isEdit}
              autoComplete="off"
              className={isEdit ? "opacity-80" : undefined}
              {...register("slug")}
            />
            <SelectField id={`${id}-kind`} label="Kind" options={kindOptions} error={errors.kind?.message} {...register("kind")} />
            <TextField
              id={`${id}-base-url`}
              label="Base URL"
              type="url"
              inputMode="url"
              autoComplete="off"
              placeholder={kind === "anthropic" ? "https://api.anthropic.com" : kind === "simulator" ? "Not used by the simulator" : "https://api.openai.com/v1"}
              hint="Empty: the adapter's default."
              error={errors.baseUrl?.message}
              {...register("baseUrl")}
            />
          </div>

          <fieldset className="grid gap-3 rounded-md border p-3">
            <legend className="px-1 text-sm font-medium">API key</legend>
            <p className="text-xs text-muted-foreground">
              Write-only: stored encrypted and never shown again, here or anywhere.
              {isEdit ? <> This provider&apos;s key is {provider.hasApiKey ? "set" : "not set"}.</> : null}
            </p>
            {isEdit ? (
              <div className="flex flex-wrap gap-4" role="radiogroup" aria-label="What to do with the API key">
                {(
                  [
                    ["keep", provider.hasApiKey ? "Keep the current key" : "Leave without a key"],
                    ["replace", provider.hasApiKey ? "Replace the key" : "Set a key"],
                    ["clear", "Clear the key"],
                  ] as const
                )
                  .filter(([value]) => value !== "clear" || provider.hasApiKey)
                  .map(([value, label]) => (
                    <label key={value} className="flex items-center gap-2 text-sm">
                      <input type="radio" value={value} className="size-4 accent-primary" {...register("apiKeyChange")} />
                      {label}
                    </label>
                  ))}
              </div>
            ) : null}
            {!isEdit || apiKeyChange === "replace" ? (
              <TextField
                id={`${id}-api-key`}
                label={isEdit ? "New API key" : "API key (optional)"}
                type="password"
                autoComplete="new-password"
                hint={isEdit ? undefined : "Leave empty for the simulator or an upstream without keys."}
                error={errors.apiKey?.message}
                {...register("apiKey")}
              />
            ) : null}
          </fieldset>

          <div className="grid gap-4 sm:grid-cols-3">
            <TextField id={`${id}-timeout`} label="Timeout (ms)" type="number" inputMode="numeric" min={100} step={1} hint="Until the first byte; then fail over." error={errors.timeoutMs?.message} {...register("timeoutMs", { valueAsNumber: true })} />
            <TextField
              id={`${id}-failures`}
              label="Breaker failures"
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              hint="Consecutive failures that open the circuit."
              error={errors.breakerFailures?.message}
              {...register("breakerFailures", { valueAsNumber: true })}
            />
            <TextField
              id={`${id}-cooldown`}
              label="Breaker cooldown (ms)"
              type="number"
              inputMode="numeric"
              min={1000}
              step={1}
              hint="How long an open circuit waits before one probe."
              error={errors.breakerCooldownMs?.message}
              {...register("breakerCooldownMs", { valueAsNumber: true })}
            />
          </div>
          <CheckboxField id={`${id}-enabled`} label="Enabled" hint="A disabled provider gets no requests; its routes are skipped." {...register("isEnabled")} />
          <FormError message={formError} />
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel={isEdit ? "Save provider" : "Create provider"} pendingLabel="Saving…" />
        </form>
      </DialogContent>
    </Dialog>
  );
}
