"use client";

import { useMemo } from "react";
import type { ColumnDef } from "@tanstack/react-table";
import { toast } from "sonner";
import { revokeKeyAction } from "@/app/startup/keys/revoke-key-action";
import { formatUtc } from "@/components/lender/settings/format";
import { Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import type { StartupKeyDto } from "@/lib/server/queries/startup-keys";
import { keyHint, keyStatus, spendDecimals, type KeyStatus } from "./snippets";

const STATUS_BADGE = { active: "success", revoked: "secondary", "cap reached": "warning" } as const satisfies Record<KeyStatus, string>;

const nameId = (keyId: string) => `api-key-${keyId}-name`;

const usdCsv = (micros: string | null) => (micros === null ? "" : microsToUsdDecimal(BigInt(micros)));

/** The organisation's keys, newest first: what each spent this month, its limits, and Revoke. */
export function KeysTable({ keys, defaultRpm }: { keys: StartupKeyDto[]; defaultRpm: number }) {
  const columns = useMemo<ColumnDef<StartupKeyDto>[]>(
    () => [
      { id: "name", accessorKey: "name", header: "Name", cell: ({ row }) => (
          <span id={nameId(row.original.id)} className="font-medium break-all">
            {row.original.name}
          </span>
        ),
      },
      { id: "prefix", accessorKey: "prefix", header: "Prefix", enableSorting: false, cell: ({ row }) => <code className="font-mono text-xs whitespace-nowrap">{keyHint(row.original.prefix)}</code> },
      { id: "created", accessorKey: "createdAt", header: "Created (UTC)", cell: ({ row }) => <span className="num whitespace-nowrap">{formatUtc(row.original.createdAt)}</span> },
      {
        id: "lastUsed",
        accessorFn: (key) => key.lastUsedAt ?? "",
        header: "Last used (UTC)",
        cell: ({ row }) => <span className="num whitespace-nowrap">{formatUtc(row.original.lastUsedAt, "Never")}</span>,
      },
      {
        id: "monthSpend",
        accessorFn: (key) => Number(key.monthSpendMicros),
        header: "Spend this month",
        meta: { align: "right", csv: (key) => usdCsv(key.monthSpendMicros) },
        cell: ({ row }) => {
          const micros = BigInt(row.original.monthSpendMicros);
          return (
            <span className="whitespace-nowrap">
              <Money micros={micros} decimals={spendDecimals(micros)} />
              <span className="block text-xs text-muted-foreground">{row.original.monthRequests.toLocaleString("en-US")} req.</span>
            </span>
          );
        },
      },
      {
        id: "spendCap",
        accessorFn: (key) => (key.spendCapMicros === null ? Number.POSITIVE_INFINITY : Number(key.spendCapMicros)),
        header: "Spend cap",
        meta: { align: "right", csv: (key) => usdCsv(key.spendCapMicros) },
        cell: ({ row }) => {
          const key = row.original;
          if (key.spendCapMicros === null) return <span className="text-muted-foreground">No cap</span>;
          const spent = BigInt(key.spentTowardCapMicros);
          return (
            <span className="whitespace-nowrap">
              <Money micros={key.spendCapMicros} />
              <span className="block text-xs text-muted-foreground">
                <Money micros={spent} decimals={spendDecimals(spent)} /> used
              </span>
            </span>
          );
        },
      },
      {
        id: "rateLimit",
        accessorFn: (key) => key.rpmLimit ?? defaultRpm,
        header: "Rate limit",
        meta: { align: "right", csv: (key) => String(key.rpmLimit ?? defaultRpm) },
        cell: ({ row }) =>
          row.original.rpmLimit === null ? (
            <span className="num whitespace-nowrap">
              {defaultRpm.toLocaleString("en-US")} / min <span className="text-muted-foreground">(default)</span>
            </span>
          ) : (
            <span className="num whitespace-nowrap">{row.original.rpmLimit.toLocaleString("en-US")} / min</span>
          ),
      },
      {
        id: "status",
        accessorFn: (key) => keyStatus(key),
        header: "Status",
        cell: ({ row }) => {
          const status = keyStatus(row.original);
          return <Badge variant={STATUS_BADGE[status]}>{status === "revoked" ? `Revoked ${formatUtc(row.original.revokedAt)}` : status === "active" ? "Active" : "Cap reached"}</Badge>;
        },
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row }) => (row.original.revokedAt === null ? <RevokeKeyButton apiKey={row.original} /> : null),
      },
    ],
    [defaultRpm],
  );
  return <DataTable columns={columns} data={keys} filename="blockable-api-keys.csv" filterPlaceholder="Filter by name, prefix, status…" emptyMessage="No API keys yet." />;
}

function RevokeKeyButton({ apiKey }: { apiKey: StartupKeyDto }) {
  return (
    <div className="flex justify-end">
      <ConfirmDialog
        trigger={
          <Button type="button" size="sm" variant="outline" aria-describedby={nameId(apiKey.id)}>
            Revoke
          </Button>
        }
        title={`Revoke “${apiKey.name}”?`}
        description={
          <>
            The key <code className="font-mono">{keyHint(apiKey.prefix)}</code> stops working on its next request, on every instance: the routing API answers 401{" "}
            <code className="font-mono">invalid_api_key</code>. Requests already running finish and are billed. It was last used {formatUtc(apiKey.lastUsedAt, "never")} and spent{" "}
            <Money micros={apiKey.monthSpendMicros} decimals={spendDecimals(BigInt(apiKey.monthSpendMicros))} /> this month. This cannot be undone.
          </>
        }
        confirmLabel="Revoke key"
        pendingLabel="Revoking…"
        onConfirm={async () => {
          const result = await revokeKeyAction({ apiKeyId: apiKey.id });
          if (!result.ok) {
            toast.error(result.error.message);
            return false;
          }
          toast.success(`“${result.data.name}” revoked: its next request gets 401.`);
          return true;
        }}
      />
    </div>
  );
}
