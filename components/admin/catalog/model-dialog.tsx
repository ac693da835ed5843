"use client";

import { useId, useState, type ReactNode } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import type { Resolver } from "react-hook-form";
import { toast } from "sonner";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { CheckboxField, FormDialogFooter, FormError, SelectField, TextField } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";
import { createModelSchema, MODEL_KINDS, ROUTING_POLICIES, updateModelSchema } from "@/lib/domain/routing/catalog-inputs";
import type { ModelDto } from "@/lib/server/catalog-admin/queries";
import { POLICY_LABELS } from "./format";
import type { ModelActions } from "./types";

type Values = { modelId: string; slug: string; displayName: string; kind: ModelDto["kind"]; ownedBy: string; contextWindow: number; routingPolicy: ModelDto["routingPolicy"]; isEnabled: boolean };
const FIELDS = ["slug", "displayName", "kind", "ownedBy", "contextWindow", "routingPolicy"] as const;

function defaultsFor(model: ModelDto | undefined): Values {
  if (!model) return { modelId: "", slug: "", displayName: "", kind: "chat", ownedBy: "", contextWindow: 128_000, routingPolicy: "PRIORITY", isEnabled: true };
  return { modelId: model.id, slug: model.slug, displayName: model.displayName, kind: model.kind, ownedBy: model.ownedBy, contextWindow: model.contextWindow, routingPolicy: model.routingPolicy, isEnabled: model.isEnabled };
}

/** "Create model" and "Edit": the id clients send is fixed once created (usage rows name it). */
export function ModelDialog({ model, actions, trigger }: { model?: ModelDto; actions: Pick<ModelActions, "createModel" | "updateModel">; trigger: ReactNode }) {
  const isEdit = model !== undefined;
  const [formError, setFormError] = useState<string | null>(null);
  const id = useId();
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values>(
    { resolver: zodResolver(isEdit ? updateModelSchema : createModelSchema) as unknown as Resolver<Values>, defaultValues: defaultsFor(model) },
    { onOpen: () => setFormError(null) },
  );
  const { register, handleSubmit, setError, formState: { errors, isSubmitting } } = form;

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const fields = { displayName: values.displayName, kind: values.kind, ownedBy: values.ownedBy, contextWindow: values.contextWindow, routingPolicy: values.routingPolicy, isEnabled: values.isEnabled };
    const result = isEdit ? await actions.updateModel({ ...fields, modelId: model.id }) : await actions.createModel({ ...fields, slug: values.slug });
    if (!result.ok) {
      showActionError(result.error, { fields: FIELDS, setError, otherwise: setFormError });
      return;
    }
    toast.success(isEdit ? `Model ${result.data.slug} saved: it applies from the next request.` : `Model ${result.data.slug} created. Add a route so requests can reach a provider.`);
    close();
  });

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-xl">
        <form onSubmit={onSubmit} noValidate className="grid gap-5">
          <DialogHeader>
            <DialogTitle>{isEdit ? `Edit ${model.slug}` : "Create a model"}</DialogTitle>
            <DialogDescription>{isEdit ? "Changes apply from the next request on every instance." : "A model clients can ask for by its id, routed to one or more providers."}</DialogDescription>
          </DialogHeader>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              id={`${id}-slug`}
              label="Model id"
              hint={isEdit ? "Fixed: clients and usage records name it." : "What clients send as `model`, e.g. gpt-4o-mini."}
              readOnly={isEdit}
              autoComplete="off"
              error={errors.slug?.message}
              {...register("slug")}
            />
            <TextField id={`${id}-name`} label="Display name" autoComplete="off" error={errors.displayName?.message} {...register("displayName")} />
            <SelectField id={`${id}-kind`} label="Kind" options={MODEL_KINDS.map((value) => ({ value, label: value === "chat" ? "Chat" : "Embedding" }))} error={errors.kind?.message} {...register("kind")} />
            <TextField id={`${id}-owner`} label="Owned by" hint="Shown as owned_by in GET /models." autoComplete="off" error={errors.ownedBy?.message} {...register("ownedBy")} />
            <TextField
              id={`${id}-context`}
              label="Context window (tokens)"
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              error={errors.contextWindow?.message}
              {...register("contextWindow", { valueAsNumber: true })}
            />
            <SelectField
              id={`${id}-policy`}
              label="Routing policy"
              hint="Priority: routes in priority order. Cheapest: lowest worst-case cost first."
              options={ROUTING_POLICIES.map((value) => ({ value, label: POLICY_LABELS[value] }))}
              error={errors.routingPolicy?.message}
              {...register("routingPolicy")}
            />
          </div>
          <CheckboxField id={`${id}-enabled`} label="Enabled" hint="A disabled model is not listed and answers 404 model_not_found." {...register("isEnabled")} />
          <FormError message={formError} />
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel={isEdit ? "Save model" : "Create model"} pendingLabel="Saving…" />
        </form>
      </DialogContent>
    </Dialog>
  );
}
