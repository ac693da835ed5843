"use client";

import { useMemo } from "react";
import type { ColumnDef, Row } from "@tanstack/react-table";
import { Bps, Money } from "@/components/money";
import { DataTable } from "@/components/ui/data-table";
import { InfoTip } from "@/components/ui/info-tip";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import type { FacilityDto } from "@/lib/server/queries/lender-settings";

type MoneyKey = "limitMicros" | "deployedMicros" | "availableMicros";

/** Sorts µUSD strings as the integers they are ("900" < "1000"). */
function byMicros(key: MoneyKey) {
  return (a: Row<FacilityDto>, b: Row<FacilityDto>) => {
    const left = BigInt(a.original[key]);
    const right = BigInt(b.original[key]);
    return left < right ? -1 : left > right ? 1 : 0;
  };
}

function moneyColumn(key: MoneyKey, header: string): ColumnDef<FacilityDto> {
  return {
    accessorKey: key,
    header,
    sortingFn: byMicros(key),
    cell: ({ row }) => <Money micros={row.original[key]} className={BigInt(row.original[key]) < 0n ? "text-destructive" : undefined} />,
    meta: { align: "right", csv: (facility) => microsToUsdDecimal(BigInt(facility[key])) },
  };
}

/** A lender's facilities: limit, deployed and available (USD), open loans and default APR. */
export function FacilitiesTable({ facilities, orgSlug }: { facilities: FacilityDto[]; orgSlug: string }) {
  const columns = useMemo<ColumnDef<FacilityDto>[]>(
    () => [
      { accessorKey: "name", header: "Facility", cell: ({ row }) => <span className="font-medium">{row.original.name}</span> },
      moneyColumn("limitMicros", "Limit (USD)"),
      moneyColumn("deployedMicros", "Deployed (USD)"),
      moneyColumn("availableMicros", "Available (USD)"),
      { accessorKey: "openLoanCount", header: "Open loans", meta: { align: "right" } },
      {
        accessorKey: "defaultAprBps",
        header: "Default APR (%)",
        cell: ({ row }) => <Bps bps={row.original.defaultAprBps} />,
        meta: { align: "right", csv: (facility) => (facility.defaultAprBps / 100).toFixed(2) },
      },
    ],
    [],
  );
  return (
    <div className="space-y-2">
      <p className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-muted-foreground">
        <span className="inline-flex items-center gap-1">
          Deployed
          <InfoTip label="deployed">Principal outstanding of the facility&apos;s open loans (active, margin call, delinquent, frozen); interest not included.</InfoTip>
        </span>
        <span className="inline-flex items-center gap-1">
          Available
          <InfoTip label="available">Limit − deployed: the largest principal a new loan on this facility can have. Negative if the limit is below what is lent.</InfoTip>
        </span>
        <span className="inline-flex items-center gap-1">
          Default APR
          <InfoTip label="the default APR">Proposed for new loans on this facility: simple interest accrued daily at APR ÷ 365 on principal outstanding. Each loan keeps the APR it was approved with.</InfoTip>
        </span>
      </p>
      <DataTable columns={columns} data={facilities} filename={`blockable-facilities-${orgSlug}.csv`} initialSorting={[{ id: "name", desc: false }]} filterPlaceholder="Filter facilities…" emptyMessage="No facilities yet." />
    </div>
  );
}
