"use client";

import { useMemo } from "react";
import type { ColumnDef } from "@tanstack/react-table";
import { UserAccessButton } from "@/components/admin/user-access-button";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { AdminUserDto } from "@/lib/server/queries/admin";
import { formatUtc, userStatus } from "./format";
import { ResetPasswordDialog } from "./reset-password-dialog";

export type UserRow = AdminUserDto & { orgName: string };

const STATUS_BADGE = { active: "success", disabled: "destructive", "must change password": "warning" } as const;

/** Users with their status and the admin's actions on each: Reset password, Disable / Enable. */
export function UsersTable({ users, viewerUserId, showOrganization = true, filename }: { users: UserRow[]; viewerUserId: string; showOrganization?: boolean; filename: string }) {
  const columns = useMemo<ColumnDef<UserRow>[]>(
    () => [
      { accessorKey: "name", header: "Name", cell: ({ row }) => <span className="font-medium">{row.original.name}</span> },
      { accessorKey: "email", header: "Email", cell: ({ row }) => <span className="break-all">{row.original.email}</span> },
      ...(showOrganization ? [{ accessorKey: "orgName", header: "Organisation" } satisfies ColumnDef<UserRow>] : []),
      { accessorKey: "role", header: "Role" },
      {
        id: "status",
        header: "Status",
        accessorFn: (user) => userStatus(user),
        cell: ({ row }) => {
          const status = userStatus(row.original);
          return <Badge variant={STATUS_BADGE[status]}>{status}</Badge>;
        },
      },
      {
        id: "lastLoginAt",
        header: "Last sign-in (UTC)",
        accessorFn: (user) => user.lastLoginAt ?? "",
        cell: ({ row }) => <span className="num whitespace-nowrap">{formatUtc(row.original.lastLoginAt, "never")}</span>,
        meta: { csv: (user) => user.lastLoginAt ?? "" },
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row }) => {
          const user = row.original;
          const isSelf = user.id === viewerUserId;
          return (
            <div className="flex flex-wrap justify-end gap-2">
              <ResetPasswordDialog userId={user.id} email={user.email} isSelf={isSelf} />
              <UserAccessButton userId={user.id} email={user.email} isDisabled={user.isDisabled} isSelf={isSelf} />
            </div>
          );
        },
      },
    ],
    [showOrganization, viewerUserId],
  );
  return <DataTable columns={columns} data={users} filename={filename} initialSorting={[{ id: "email", desc: false }]} filterPlaceholder="Filter by name, email, organisation…" emptyMessage="No users yet." />;
}
