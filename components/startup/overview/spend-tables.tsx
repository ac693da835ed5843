"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { LoanSection } from "@/components/lender/loan/loan-section";
import { compareMicros, utcMinute } from "@/components/lender/loan/format";
import { Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { formatBps } from "@/lib/domain/money";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import type { ApiKeySpendDto, BurnRangeDto, SpendRowDto } from "@/lib/server/queries/startup-overview";

const usdCsv = (micros: string) => microsToUsdDecimal(BigInt(micros));
const compareBig = (a: string, b: string) => compareMicros(a, b);

function spendColumns(keyHeader: string): ColumnDef<SpendRowDto>[] {
  return [
    { accessorKey: "key", header: keyHeader, cell: ({ row }) => <span className="font-medium break-all">{row.original.key}</span> },
    { accessorKey: "requests", header: "Requests", cell: ({ row }) => <span className="num">{row.original.requests.toLocaleString("en-US")}</span>, meta: { align: "right" } },
    {
      accessorKey: "inputTokens",
      header: "Tokens in",
      cell: ({ row }) => <span className="num">{BigInt(row.original.inputTokens).toLocaleString("en-US")}</span>,
      sortingFn: (a, b) => compareBig(a.original.inputTokens, b.original.inputTokens),
      meta: { align: "right" },
    },
    {
      accessorKey: "outputTokens",
      header: "Tokens out",
      cell: ({ row }) => <span className="num">{BigInt(row.original.outputTokens).toLocaleString("en-US")}</span>,
      sortingFn: (a, b) => compareBig(a.original.outputTokens, b.original.outputTokens),
      meta: { align: "right" },
    },
    {
      accessorKey: "costMicros",
      header: "Spend (USD)",
      cell: ({ row }) => <Money micros={row.original.costMicros} />,
      sortingFn: (a, b) => compareBig(a.original.costMicros, b.original.costMicros),
      meta: { align: "right", csv: (row) => usdCsv(row.costMicros) },
    },
    { accessorKey: "shareBps", header: "Share", cell: ({ row }) => <span className="num">{formatBps(row.original.shareBps, 1)}</span>, meta: { align: "right", csv: (row) => (row.shareBps / 100).toFixed(2) } },
  ];
}

const modelColumns = spendColumns("Model");
const providerColumns = spendColumns("Provider");

const keyColumns: ColumnDef<ApiKeySpendDto>[] = [
  {
    accessorKey: "name",
    header: "Key",
    cell: ({ row }) => (
      <span className="block min-w-40">
        <span className="font-medium">{row.original.name}</span>
        <span className="block font-mono text-xs text-muted-foreground">{row.original.prefix}…</span>
      </span>
    ),
    meta: { csv: (row) => `${row.name} (${row.prefix})` },
  },
  {
    id: "status",
    header: "Status",
    accessorFn: (row) => (row.revokedAt ? "revoked" : "active"),
    cell: ({ row }) => (row.original.revokedAt ? <Badge variant="outline">revoked</Badge> : <Badge variant="success">active</Badge>),
  },
  {
    accessorKey: "spentMicros",
    header: "Spend since created (USD)",
    cell: ({ row }) => <Money micros={row.original.spentMicros} />,
    sortingFn: (a, b) => compareBig(a.original.spentMicros, b.original.spentMicros),
    meta: { align: "right", csv: (row) => usdCsv(row.spentMicros) },
  },
  { accessorKey: "lastUsedAt", header: "Last used", cell: ({ row }) => <span className="whitespace-nowrap">{utcMinute(row.original.lastUsedAt)}</span>, meta: { csv: (row) => row.lastUsedAt ?? "" } },
];

/** Where the range's money went: by model, by provider, and per API key. */
export function SpendTables({ burn }: { burn: BurnRangeDto }) {
  const { start, end } = burn.range;
  const suffix = `${start}_${end}`;
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <LoanSection id="spend-by-model" title="Spend by model" description={`${start} to ${end}, from the daily rollups.`}>
        <DataTable columns={modelColumns} data={burn.spendByModel} filename={`spend-by-model_${suffix}.csv`} initialSorting={[{ id: "costMicros", desc: true }]} emptyMessage="No usage in this range." />
      </LoanSection>
      <LoanSection id="spend-by-provider" title="Spend by provider" description={`${start} to ${end}, from the daily rollups.`}>
        <DataTable columns={providerColumns} data={burn.spendByProvider} filename={`spend-by-provider_${suffix}.csv`} initialSorting={[{ id: "costMicros", desc: true }]} emptyMessage="No usage in this range." />
      </LoanSection>
      <LoanSection
        id="spend-by-key"
        className="xl:col-span-2"
        title="Spend by API key"
        description="Each key's running total since it was created, kept as requests settle. The daily rollups have no key column, so this does not follow the range; filter the usage explorer by key for a range."
      >
        <DataTable columns={keyColumns} data={burn.apiKeys} filename="spend-by-api-key.csv" initialSorting={[{ id: "spentMicros", desc: true }]} emptyMessage="No API key yet. Create one under API keys." />
      </LoanSection>
    </div>
  );
}
