"use client";

import { useMemo, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { Plug, Plus, RefreshCw } from "lucide-react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { InfoTip } from "@/components/ui/info-tip";
import { EmptyState } from "@/components/ui/states";
import type { ConnectionTestResult } from "@/lib/server/catalog-admin/test-connection";
import type { ProviderDto } from "@/lib/server/catalog-admin/queries";
import { CircuitBadge } from "./circuit-badge";
import { formatDurationMs, PROVIDER_KIND_LABELS } from "./format";
import { EditButton, enabledColumn } from "./parts";
import { ProviderDialog } from "./provider-dialog";
import type { ProviderActions } from "./types";

function TestConnectionButton({ provider, testConnection, onResult }: { provider: ProviderDto; testConnection: ProviderActions["testConnection"]; onResult: (result: ConnectionTestResult) => void }) {
  const [isPending, startTransition] = useTransition();
  return (
    <Button
      type="button"
      size="sm"
      variant="outline"
      disabled={isPending}
      aria-label={`Test connection to ${provider.slug}`}
      onClick={() =>
        startTransition(async () => {
          const result = await testConnection({ providerId: provider.id });
          if (!result.ok) {
            toast.error(result.error.message);
            return;
          }
          onResult(result.data);
          if (result.data.isOk) toast.success(result.data.message);
          else toast.error(result.data.message);
        })
      }
    >
      <Plug aria-hidden="true" />
      {isPending ? "Testing…" : "Test connection"}
    </Button>
  );
}

function EnableToggle({ provider, setProviderEnabled }: { provider: ProviderDto; setProviderEnabled: ProviderActions["setProviderEnabled"] }) {
  const willEnable = !provider.isEnabled;
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" size="sm" variant={willEnable ? "outline" : "ghost"} aria-label={`${willEnable ? "Enable" : "Disable"} ${provider.slug}`}>
          {willEnable ? "Enable" : "Disable"}
        </Button>
      }
      title={`${willEnable ? "Enable" : "Disable"} ${provider.name}?`}
      description={
        willEnable
          ? `From the next request on every instance, its ${provider.routeCount} route(s) can be used again (those that are enabled).`
          : `From the next request on every instance, its ${provider.routeCount} route(s) are skipped; models fail over to their other routes, and a model with no other route answers 503. Requests already running finish.`
      }
      confirmLabel={willEnable ? "Enable" : "Disable"}
      confirmVariant={willEnable ? "default" : "destructive"}
      pendingLabel={willEnable ? "Enabling…" : "Disabling…"}
      onConfirm={async () => {
        const result = await setProviderEnabled({ providerId: provider.id, isEnabled: willEnable });
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        toast.success(`${provider.name} ${result.data.isEnabled ? "enabled" : "disabled"}.`);
        return true;
      }}
    />
  );
}

export function ProvidersScreen({ providers, actions }: { providers: ProviderDto[]; actions: ProviderActions }) {
  const router = useRouter();
  const [results, setResults] = useState<Record<string, ConnectionTestResult>>({});
  const [isRefreshing, startRefresh] = useTransition();

  const columns = useMemo<ColumnDef<ProviderDto>[]>(
    () => [
      {
        id: "provider",
        header: "Provider",
        accessorFn: (row) => row.name,
        meta: { csv: (row) => `${row.name} (${row.slug})` },
        cell: ({ row }) => (
          <div className="grid gap-0.5">
            <span className="font-medium">{row.original.name}</span>
            <span className="font-mono text-xs text-muted-foreground">{row.original.slug}</span>
          </div>
        ),
      },
      { id: "kind", header: "Kind", accessorFn: (row) => PROVIDER_KIND_LABELS[row.kind] },
      {
        id: "baseUrl",
        header: "Base URL",
        accessorFn: (row) => row.baseUrl ?? "",
        cell: ({ row }) => <span className="font-mono text-xs break-all">{row.original.baseUrl ?? (row.original.kind === "simulator" ? "built in" : "default")}</span>,
      },
      {
        id: "apiKey",
        header: "API key",
        accessorFn: (row) => (row.hasApiKey ? "set" : "not set"),
        cell: ({ row }) => <Badge variant={row.original.hasApiKey ? "info" : "secondary"}>{row.original.hasApiKey ? "Set" : "Not set"}</Badge>,
      },
      {
        id: "timeoutMs",
        header: "Timeout",
        accessorFn: (row) => row.timeoutMs,
        meta: { align: "right", csv: (row) => String(row.timeoutMs) },
        cell: ({ row }) => formatDurationMs(row.original.timeoutMs),
      },
      {
        id: "breaker",
        header: "Breaker",
        accessorFn: (row) => row.breakerFailures,
        meta: { csv: (row) => `${row.breakerFailures} failures / ${row.breakerCooldownMs} ms` },
        cell: ({ row }) => (
          <span className="num text-xs">
            {row.original.breakerFailures} failures · {formatDurationMs(row.original.breakerCooldownMs)} cooldown
          </span>
        ),
      },
      {
        id: "circuit",
        header: "Circuit",
        accessorFn: (row) => row.circuit.status,
        cell: ({ row }) => <CircuitBadge circuit={row.original.circuit} providerSlug={row.original.slug} />,
      },
      enabledColumn(),
      {
        id: "actions",
        header: "Actions",
        enableSorting: false,
        cell: ({ row }) => {
          const provider = row.original;
          const result = results[provider.id];
          return (
            <div className="grid min-w-56 gap-1.5">
              <div className="flex flex-wrap gap-1.5">
                <ProviderDialog
                  provider={provider}
                  actions={actions}
                  trigger={<EditButton aria-label={`Edit ${provider.slug}`} />}
                />
                <TestConnectionButton provider={provider} testConnection={actions.testConnection} onResult={(next) => setResults((current) => ({ ...current, [provider.id]: next }))} />
                <EnableToggle provider={provider} setProviderEnabled={actions.setProviderEnabled} />
              </div>
              <p role="status" className={result ? (result.isOk ? "text-xs text-badge-success-foreground" : "text-xs text-destructive") : "sr-only"}>
                {result ? `${result.isOk ? "Test passed" : "Test failed"} · ${result.latencyMs} ms · ${result.message}` : ""}
              </p>
            </div>
          );
        },
      },
    ],
    [actions, results],
  );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">Providers</h1>
          <p className="max-w-3xl text-sm text-muted-foreground">
            The upstreams the routing API sends requests to. A change applies from the next request on every instance.{" "}
            <InfoTip label="the circuit state">
              Each instance keeps a circuit breaker per provider in memory: after the set number of consecutive failures (connect error, timeout, 429 or 5xx) it opens and requests skip the
              provider for the cooldown, then one probe decides. The state shown is this instance&apos;s.
            </InfoTip>
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="outline" disabled={isRefreshing} onClick={() => startRefresh(() => router.refresh())}>
            <RefreshCw aria-hidden="true" />
            {isRefreshing ? "Refreshing…" : "Refresh circuits"}
          </Button>
          <ProviderDialog
            actions={actions}
            trigger={
              <Button type="button">
                <Plus aria-hidden="true" />
                Create provider
              </Button>
            }
          />
        </div>
      </div>
      {providers.length === 0 ? (
        <EmptyState title="No providers yet">Create one: the built-in simulator needs no key and answers offline.</EmptyState>
      ) : (
        <DataTable columns={columns} data={providers} filename="blockable-providers.csv" filterPlaceholder="Filter providers…" emptyMessage="No providers." />
      )}
    </div>
  );
}
