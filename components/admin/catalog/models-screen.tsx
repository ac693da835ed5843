"use client";

import { useMemo } from "react";
import type { ColumnDef } from "@tanstack/react-table";
import { Plus, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { InfoTip } from "@/components/ui/info-tip";
import { EmptyState } from "@/components/ui/states";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import type { ModelDto, RouteDto } from "@/lib/server/catalog-admin/queries";
import { formatPricePerM, formatUtcSeconds, POLICY_LABELS } from "./format";
import { ModelDialog } from "./model-dialog";
import { EditButton, enabledColumn } from "./parts";
import { PriceDialog } from "./price-dialog";
import { RouteDialog, type ProviderOption } from "./route-dialog";
import type { ModelActions } from "./types";

const priceCsv = (micros: string) => microsToUsdDecimal(BigInt(micros));

function RemoveRouteButton({ route, routeCount, removeRoute }: { route: RouteDto; routeCount: number; removeRoute: ModelActions["removeRoute"] }) {
  const label = `${route.modelSlug} via ${route.providerSlug}`;
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" size="sm" variant="ghost" aria-label={`Remove route ${label}`}>
          <Trash2 aria-hidden="true" />
          Remove
        </Button>
      }
      title={`Remove the route ${label}?`}
      description={
        routeCount <= 1
          ? `It is the model's only route: from the next request, ${route.modelSlug} answers 503 until another route is added. Recorded usage keeps its cost.`
          : `From the next request, ${route.modelSlug} uses its other ${routeCount - 1} route(s). Recorded usage keeps its cost.`
      }
      confirmLabel="Remove route"
      pendingLabel="Removing…"
      onConfirm={async () => {
        const result = await removeRoute({ routeId: route.id });
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        toast.success(`Route ${label} removed.`);
        return true;
      }}
    />
  );
}

export function ModelsScreen({ models, providers, catalogChangedAt, actions }: { models: ModelDto[]; providers: ProviderOption[]; catalogChangedAt: string | null; actions: ModelActions }) {
  const routes = useMemo(() => models.flatMap((model) => model.routes), [models]);
  const modelById = useMemo(() => new Map(models.map((model) => [model.id, model])), [models]);

  const modelColumns = useMemo<ColumnDef<ModelDto>[]>(
    () => [
      {
        id: "model",
        header: "Model",
        accessorFn: (row) => row.slug,
        cell: ({ row }) => (
          <div className="grid gap-0.5">
            <span className="font-mono text-xs font-medium">{row.original.slug}</span>
            <span className="text-xs text-muted-foreground">{row.original.displayName}</span>
          </div>
        ),
      },
      { id: "kind", header: "Kind", accessorFn: (row) => row.kind },
      { id: "ownedBy", header: "Owned by", accessorFn: (row) => row.ownedBy },
      {
        id: "contextWindow",
        header: "Context (tokens)",
        accessorFn: (row) => row.contextWindow,
        meta: { align: "right" },
        cell: ({ row }) => row.original.contextWindow.toLocaleString("en-US"),
      },
      { id: "policy", header: "Policy", accessorFn: (row) => POLICY_LABELS[row.routingPolicy] },
      {
        id: "routes",
        header: "Routes",
        accessorFn: (row) => row.routes.filter((route) => route.isEnabled && route.isProviderEnabled).length,
        meta: { align: "right", csv: (row) => `${row.routes.filter((route) => route.isEnabled && route.isProviderEnabled).length} of ${row.routes.length}` },
        cell: ({ row }) => {
          const usable = row.original.routes.filter((route) => route.isEnabled && route.isProviderEnabled).length;
          return (
            <span className={usable === 0 ? "text-destructive" : undefined}>
              {usable} of {row.original.routes.length} usable
            </span>
          );
        },
      },
      enabledColumn(),
      {
        id: "actions",
        header: "Actions",
        enableSorting: false,
        cell: ({ row }) => (
          <div className="flex min-w-48 flex-wrap gap-1.5">
            <ModelDialog
              model={row.original}
              actions={actions}
              trigger={<EditButton aria-label={`Edit model ${row.original.slug}`} />}
            />
            <RouteDialog
              model={row.original}
              providers={providers}
              actions={actions}
              trigger={
                <Button type="button" size="sm" variant="outline" aria-label={`Add route to ${row.original.slug}`}>
                  <Plus aria-hidden="true" />
                  Add route
                </Button>
              }
            />
          </div>
        ),
      },
    ],
    [actions, providers],
  );

  const routeColumns = useMemo<ColumnDef<RouteDto>[]>(
    () => [
      { id: "model", header: "Model", accessorFn: (row) => row.modelSlug, cell: ({ row }) => <span className="font-mono text-xs">{row.original.modelSlug}</span> },
      {
        id: "provider",
        header: "Provider",
        accessorFn: (row) => row.providerSlug,
        cell: ({ row }) => (
          <div className="grid gap-0.5">
            <span className="font-mono text-xs">{row.original.providerSlug}</span>
            {row.original.isProviderEnabled ? null : <span className="text-xs text-muted-foreground">provider disabled</span>}
          </div>
        ),
      },
      { id: "upstreamModel", header: "Upstream model", accessorFn: (row) => row.upstreamModel, cell: ({ row }) => <span className="font-mono text-xs break-all">{row.original.upstreamModel}</span> },
      { id: "priority", header: "Priority", accessorFn: (row) => row.priority, meta: { align: "right" } },
      {
        id: "inputPrice",
        header: "Input $/1M",
        accessorFn: (row) => Number(row.inputPriceMicrosPerMTokens),
        meta: { align: "right", csv: (row) => priceCsv(row.inputPriceMicrosPerMTokens) },
        cell: ({ row }) => formatPricePerM(BigInt(row.original.inputPriceMicrosPerMTokens)),
      },
      {
        id: "outputPrice",
        header: "Output $/1M",
        accessorFn: (row) => Number(row.outputPriceMicrosPerMTokens),
        meta: { align: "right", csv: (row) => priceCsv(row.outputPriceMicrosPerMTokens) },
        cell: ({ row }) => formatPricePerM(BigInt(row.original.outputPriceMicrosPerMTokens)),
      },
      enabledColumn(),
      {
        id: "actions",
        header: "Actions",
        enableSorting: false,
        cell: ({ row }) => {
          const route = row.original;
          const model = modelById.get(route.modelId)!;
          return (
            <div className="flex min-w-64 flex-wrap gap-1.5">
              <PriceDialog route={route} changeRoutePrice={actions.changeRoutePrice} />
              <RouteDialog
                model={model}
                route={route}
                providers={providers}
                actions={actions}
                trigger={<EditButton aria-label={`Edit route ${route.modelSlug} via ${route.providerSlug}`} />}
              />
              <RemoveRouteButton route={route} routeCount={model.routes.length} removeRoute={actions.removeRoute} />
            </div>
          );
        },
      },
    ],
    [actions, modelById, providers],
  );

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">Models and prices</h1>
          <p className="max-w-3xl text-sm text-muted-foreground">
            The models clients call, the providers each is routed to, and the price of every route in USD per million tokens. A change applies from the next request on every instance
            {catalogChangedAt ? ` (last change ${formatUtcSeconds(catalogChangedAt)})` : ""}; usage already recorded keeps the cost it was billed.{" "}
            <InfoTip label="a request's cost">
              A request costs ⌈(input tokens × input price + output tokens × output price) / 1,000,000⌉ µUSD at the prices of the route that served it, fixed when it is planned. Each usage event
              stores its own cost.
            </InfoTip>
          </p>
        </div>
        <ModelDialog
          actions={actions}
          trigger={
            <Button type="button">
              <Plus aria-hidden="true" />
              Create model
            </Button>
          }
        />
      </div>
      {models.length === 0 ? (
        <EmptyState title="No models yet">Create a model, then add a route to a provider with its prices.</EmptyState>
      ) : (
        <>
          <section aria-labelledby="models-heading" className="space-y-3">
            <h2 id="models-heading" className="text-lg font-semibold">
              Models
            </h2>
            <DataTable columns={modelColumns} data={models} filename="blockable-models.csv" filterPlaceholder="Filter models…" emptyMessage="No models." />
          </section>
          <section aria-labelledby="routes-heading" className="space-y-3">
            <h2 id="routes-heading" className="text-lg font-semibold">
              Routes and prices
            </h2>
            <DataTable
              columns={routeColumns}
              data={routes}
              filename="blockable-model-prices.csv"
              filterPlaceholder="Filter by model or provider…"
              emptyMessage="No routes: add one from a model's row."
              initialSorting={[{ id: "model", desc: false }]}
            />
          </section>
        </>
      )}
    </div>
  );
}
