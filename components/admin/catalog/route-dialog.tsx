"use client";

import { useId, useState, type ReactNode } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import type { Resolver } from "react-hook-form";
import { toast } from "sonner";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { CheckboxField, FormDialogFooter, FormError, SelectField, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";
import { addRouteSchema, updateRouteSchema } from "@/lib/domain/routing/catalog-inputs";
import type { ModelDto, RouteDto } from "@/lib/server/catalog-admin/queries";
import { PriceField } from "./parts";
import type { ModelActions } from "./types";

export type ProviderOption = { id: string; slug: string; name: string; isEnabled: boolean };

type Values = { routeId: string; modelId: string; providerId: string; upstreamModel: string; priority: number; isEnabled: boolean; inputPriceUsdPerM: string; outputPriceUsdPerM: string };
const FIELDS = ["providerId", "upstreamModel", "priority", "inputPriceUsdPerM", "outputPriceUsdPerM"] as const;

/**
 * "Add route" (a provider, its upstream model name, a priority and prices) and "Edit route"
 * (upstream model, priority, enabled; prices change through "Change price").
 */
export function RouteDialog({
  model,
  route,
  providers,
  actions,
  trigger,
}: {
  model: ModelDto;
  route?: RouteDto;
  providers: ProviderOption[];
  actions: Pick<ModelActions, "addRoute" | "updateRoute">;
  trigger: ReactNode;
}) {
  const isEdit = route !== undefined;
  const [formError, setFormError] = useState<string | null>(null);
  const id = useId();
  const available = providers.filter((provider) => !model.routes.some((existing) => existing.providerId === provider.id));
  const defaults = (): Values =>
    route
      ? { routeId: route.id, modelId: model.id, providerId: route.providerId, upstreamModel: route.upstreamModel, priority: route.priority, isEnabled: route.isEnabled, inputPriceUsdPerM: "", outputPriceUsdPerM: "" }
      : {
          routeId: "",
          modelId: model.id,
          providerId: available[0]?.id ?? "",
          upstreamModel: model.slug,
          priority: model.routes.reduce((max, existing) => Math.max(max, existing.priority + 1), 0),
          isEnabled: true,
          inputPriceUsdPerM: "",
          outputPriceUsdPerM: "",
        };
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values>(
    { resolver: zodResolver(isEdit ? updateRouteSchema : addRouteSchema) as unknown as Resolver<Values>, defaultValues: defaults() },
    { onOpen: () => setFormError(null) },
  );
  const { register, handleSubmit, setError, formState: { errors, isSubmitting } } = form;

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = isEdit
      ? await actions.updateRoute({ routeId: route.id, upstreamModel: values.upstreamModel, priority: values.priority, isEnabled: values.isEnabled })
      : await actions.addRoute({
          modelId: model.id,
          providerId: values.providerId,
          upstreamModel: values.upstreamModel,
          priority: values.priority,
          isEnabled: values.isEnabled,
          inputPriceUsdPerM: values.inputPriceUsdPerM,
          outputPriceUsdPerM: values.outputPriceUsdPerM,
        });
    if (!result.ok) {
      showActionError(result.error, { fields: FIELDS, setError, otherwise: setFormError });
      return;
    }
    toast.success(isEdit ? `Route ${result.data.modelSlug} via ${result.data.providerSlug} saved.` : `Route added: ${result.data.modelSlug} via ${result.data.providerSlug}.`);
    close();
  });

  const title = isEdit ? `Edit route ${model.slug} via ${route.providerSlug}` : `Add a route to ${model.slug}`;
  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-xl">
        <form onSubmit={onSubmit} noValidate className="grid gap-5">
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>Applies from the next request on every instance. Lower priority numbers are tried first under the priority policy.</DialogDescription>
          </DialogHeader>
          {!isEdit && available.length === 0 ? (
            <p role="alert" className="text-sm text-destructive">
              This model already has a route through every provider. Create a provider first.
            </p>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            {isEdit ? (
              <TextField id={`${id}-provider`} label="Provider" value={route.providerName} readOnly hint="Fixed: remove the route and add another to change it." />
            ) : (
              <SelectField
                id={`${id}-provider`}
                label="Provider"
                options={available.map((provider) => ({ value: provider.id, label: `${provider.name} (${provider.slug})${provider.isEnabled ? "" : " — disabled"}` }))}
                error={errors.providerId?.message}
                {...register("providerId")}
              />
            )}
            <TextField id={`${id}-upstream`} label="Upstream model" hint="The name the provider knows the model by." autoComplete="off" error={errors.upstreamModel?.message} {...register("upstreamModel")} />
            <TextField id={`${id}-priority`} label="Priority" type="number" inputMode="numeric" min={0} step={1} hint="0 is tried first." error={errors.priority?.message} {...register("priority", { valueAsNumber: true })} />
            {isEdit ? null : (
              <>
                <PriceField side="input" id={`${id}-input`} placeholder="0.15" error={errors.inputPriceUsdPerM?.message} {...register("inputPriceUsdPerM")} />
                <PriceField side="output" id={`${id}-output`} placeholder="0.60" error={errors.outputPriceUsdPerM?.message} {...register("outputPriceUsdPerM")} />
              </>
            )}
          </div>
          <CheckboxField id={`${id}-enabled`} label="Enabled" hint="A disabled route is skipped by every request." {...register("isEnabled")} />
          <FormError message={formError} />
          <FormDialogFooter
            isSubmitting={isSubmitting}
            onCancel={() => onOpenChange(false)}
            submitLabel={isEdit ? "Save route" : "Add route"}
            pendingLabel="Saving…"
            isDisabled={!isEdit && available.length === 0}
          />
        </form>
      </DialogContent>
    </Dialog>
  );
}
