"use client";

import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { ORG_KIND_LABELS } from "@/app/admin/organizations/schemas";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { AdminOrganizationDto } from "@/lib/server/queries/admin";
import { formatUtcDate } from "./format";

export type OrganizationRow = Pick<AdminOrganizationDto, "id" | "name" | "slug" | "kind" | "createdAt"> & { userCount: number; disabledUserCount: number; facilityCount: number };

const KIND_BADGE = { STARTUP: "info", LENDER: "success", PLATFORM: "secondary" } as const;

/** Every organisation, each opening its page (users, and facilities for lenders). */
export function OrganizationsTable({ organizations }: { organizations: OrganizationRow[] }) {
  const columns = useMemo<ColumnDef<OrganizationRow>[]>(
    () => [
      {
        accessorKey: "name",
        header: "Name",
        cell: ({ row }) => (
          <Link href={`/admin/organizations/${row.original.id}`} className="font-medium underline-offset-4 hover:underline focus-visible:underline">
            {row.original.name}
          </Link>
        ),
      },
      { accessorKey: "slug", header: "Address", cell: ({ row }) => <span className="font-mono text-xs">{row.original.slug}</span> },
      {
        accessorKey: "kind",
        header: "Kind",
        cell: ({ row }) => <Badge variant={KIND_BADGE[row.original.kind]}>{ORG_KIND_LABELS[row.original.kind].toLowerCase()}</Badge>,
        meta: { csv: (org) => org.kind },
      },
      {
        accessorKey: "userCount",
        header: "Users",
        cell: ({ row }) => (
          <span>
            {row.original.userCount.toLocaleString("en-US")}
            {row.original.disabledUserCount > 0 ? <span className="text-muted-foreground"> ({row.original.disabledUserCount.toLocaleString("en-US")} disabled)</span> : null}
          </span>
        ),
        meta: { align: "right" },
      },
      {
        accessorKey: "facilityCount",
        header: "Facilities",
        cell: ({ row }) => (row.original.kind === "LENDER" ? row.original.facilityCount.toLocaleString("en-US") : <span className="text-muted-foreground">—</span>),
        meta: { align: "right", csv: (org) => (org.kind === "LENDER" ? String(org.facilityCount) : "") },
      },
      {
        accessorKey: "createdAt",
        header: "Created (UTC)",
        cell: ({ row }) => <span className="num whitespace-nowrap">{formatUtcDate(row.original.createdAt)}</span>,
        meta: { csv: (org) => org.createdAt },
      },
    ],
    [],
  );
  return <DataTable columns={columns} data={organizations} filename="blockable-organisations.csv" initialSorting={[{ id: "name", desc: false }]} filterPlaceholder="Filter by name, kind…" emptyMessage="No organisations yet." />;
}
