"use client";

import { useId, useState } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useWatch, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { showActionError } from "@/components/ui/form-errors";
import { FormDialogFooter, FormError } from "@/components/ui/form-field";
import { useFormDialog } from "@/components/ui/use-form-dialog";
import { formatMicros, requestCostMicros } from "@/lib/domain/money";
import { changeRoutePriceSchema, parsePricePerMTokens, priceInputText } from "@/lib/domain/routing/catalog-inputs";
import type { RouteDto } from "@/lib/server/catalog-admin/queries";
import { formatPricePerM } from "./format";
import { PriceField } from "./parts";
import type { ModelActions } from "./types";

type Values = { routeId: string; inputPriceUsdPerM: string; outputPriceUsdPerM: string };

/** The example request the preview prices: 10,000 tokens in, 1,000 out. */
const EXAMPLE = { inputTokens: 10_000, outputTokens: 1_000 };

function tryPrice(text: string): bigint | null {
  try {
    return parsePricePerMTokens(text);
  } catch {
    return null;
  }
}

/**
 * "Change price": the new prices, with what an example request costs before and after (the
 * routing API's own formula). Applies from the next request on every instance; recorded usage
 * keeps the cost it was billed.
 */
export function PriceDialog({ route, changeRoutePrice }: { route: RouteDto; changeRoutePrice: ModelActions["changeRoutePrice"] }) {
  const [formError, setFormError] = useState<string | null>(null);
  const id = useId();
  const current = { input: BigInt(route.inputPriceMicrosPerMTokens), output: BigInt(route.outputPriceMicrosPerMTokens) };
  const defaults: Values = { routeId: route.id, inputPriceUsdPerM: priceInputText(current.input), outputPriceUsdPerM: priceInputText(current.output) };
  const { form, isOpen, onOpenChange, close } = useFormDialog<Values>(
    { resolver: zodResolver(changeRoutePriceSchema) as unknown as Resolver<Values>, defaultValues: defaults },
    { onOpen: () => setFormError(null) },
  );
  const { register, handleSubmit, setError, control, formState: { errors, isSubmitting } } = form;
  const [inputText, outputText] = useWatch({ control, name: ["inputPriceUsdPerM", "outputPriceUsdPerM"] });
  const next = { input: tryPrice(inputText ?? ""), output: tryPrice(outputText ?? "") };
  const costAt = (input: bigint, output: bigint) => requestCostMicros({ ...EXAMPLE, inputPriceMicrosPerMTokens: input, outputPriceMicrosPerMTokens: output });
  const label = `${route.modelSlug} via ${route.providerSlug}`;

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await changeRoutePrice({ routeId: route.id, inputPriceUsdPerM: values.inputPriceUsdPerM, outputPriceUsdPerM: values.outputPriceUsdPerM });
    if (!result.ok) {
      showActionError(result.error, { fields: ["inputPriceUsdPerM", "outputPriceUsdPerM"], setError, otherwise: setFormError });
      return;
    }
    toast.success(
      `Price of ${label} changed to ${formatPricePerM(BigInt(result.data.inputPriceMicrosPerMTokens))} in / ${formatPricePerM(BigInt(result.data.outputPriceMicrosPerMTokens))} out per 1M tokens, from the next request.`,
    );
    close();
  });

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button" size="sm" variant="outline" aria-label={`Change price of ${label}`}>
          Change price
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto">
        <form onSubmit={onSubmit} noValidate className="grid gap-5">
          <DialogHeader>
            <DialogTitle>Change the price of {label}</DialogTitle>
            <DialogDescription>
              USD per million tokens, exact to $0.000001. Requests are billed at the new price from the next one on every instance; usage already recorded keeps the cost it was billed.
            </DialogDescription>
          </DialogHeader>
          <div className="grid gap-4 sm:grid-cols-2">
            <PriceField side="input" id={`${id}-input`} hint={`Now ${formatPricePerM(current.input)}.`} error={errors.inputPriceUsdPerM?.message} {...register("inputPriceUsdPerM")} />
            <PriceField side="output" id={`${id}-output`} hint={`Now ${formatPricePerM(current.output)}.`} error={errors.outputPriceUsdPerM?.message} {...register("outputPriceUsdPerM")} />
          </div>
          <div className="rounded-md border bg-muted/40 p-3 text-sm" aria-live="polite">
            <p className="font-medium">
              A request of {EXAMPLE.inputTokens.toLocaleString("en-US")} tokens in and {EXAMPLE.outputTokens.toLocaleString("en-US")} out
            </p>
            <p className="num text-muted-foreground">
              Now {formatMicros(costAt(current.input, current.output), { decimals: 6 })}
              {next.input !== null && next.output !== null ? <> → {formatMicros(costAt(next.input, next.output), { decimals: 6 })} after the change</> : " → enter both prices to see the new cost"}
            </p>
            <p className="mt-1 text-xs text-muted-foreground">Cost = ⌈(in × input price + out × output price) / 1,000,000⌉ µUSD.</p>
          </div>
          <FormError message={formError} />
          <FormDialogFooter isSubmitting={isSubmitting} onCancel={() => onOpenChange(false)} submitLabel="Save price" pendingLabel="Saving…" />
        </form>
      </DialogContent>
    </Dialog>
  );
}
