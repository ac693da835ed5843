import type { Metadata } from "next";
import { CreateOrganizationDialog } from "@/components/admin/organizations/create-organization-dialog";
import { CreateUserDialog } from "@/components/admin/organizations/create-user-dialog";
import { OrganizationsTable, type OrganizationRow } from "@/components/admin/organizations/organizations-table";
import { UsersTable, type UserRow } from "@/components/admin/organizations/users-table";
import { StatCard } from "@/components/dashboard/stat-card";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { listOrganizationsWithUsers } from "@/lib/server/queries/admin";

export const metadata: Metadata = { title: "Organisations" };

export default async function OrganizationsPage() {
  const viewer = await requirePageViewer("user.manage");
  const organizations = await listOrganizationsWithUsers(db);
  const orgRows: OrganizationRow[] = organizations.map((org) => ({
    id: org.id,
    name: org.name,
    slug: org.slug,
    kind: org.kind,
    createdAt: org.createdAt,
    userCount: org.users.length,
    disabledUserCount: org.users.filter((user) => user.isDisabled).length,
    facilityCount: org.facilities.length,
  }));
  const userRows: UserRow[] = organizations.flatMap((org) => org.users.map((user) => ({ ...user, orgName: org.name })));
  const count = (kind: OrganizationRow["kind"]) => organizations.filter((org) => org.kind === kind).length;
  const disabledUsers = userRows.filter((user) => user.isDisabled).length;
  const pendingUsers = userRows.filter((user) => !user.isDisabled && user.mustChangePassword).length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Organisations and users</h1>
          <p className="text-sm text-muted-foreground">Startups, lenders and the platform, their users and lenders&apos; facilities. Disabling a user signs them out on their next request.</p>
        </div>
        <div className="flex flex-wrap gap-2">
          <CreateUserDialog organizations={organizations.map((org) => ({ id: org.id, name: org.name, kind: org.kind }))} />
          <CreateOrganizationDialog />
        </div>
      </div>

      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard label="Startups" value={count("STARTUP").toLocaleString("en-US")} hint="organisations" />
        <StatCard label="Lenders" value={count("LENDER").toLocaleString("en-US")} hint="organisations" />
        <StatCard label="Users" value={userRows.length.toLocaleString("en-US")} hint={`${disabledUsers.toLocaleString("en-US")} disabled`} howComputed="Every account in every organisation, disabled ones included." />
        <StatCard
          label="Awaiting a new password"
          value={pendingUsers.toLocaleString("en-US")}
          hint="users"
          howComputed="Enabled users created with, or reset to, a temporary password who have not yet chosen their own."
        />
      </div>

      <section aria-labelledby="organisations-heading">
        <Card>
          <CardHeader>
            <h2 id="organisations-heading" className="text-lg leading-none font-semibold tracking-tight">
              Organisations
            </h2>
            <CardDescription>Open one for its users and, for a lender, its facilities.</CardDescription>
          </CardHeader>
          <CardContent>
            <OrganizationsTable organizations={orgRows} />
          </CardContent>
        </Card>
      </section>

      <section aria-labelledby="users-heading">
        <Card>
          <CardHeader>
            <h2 id="users-heading" className="text-lg leading-none font-semibold tracking-tight">
              Users
            </h2>
            <CardDescription>A user&apos;s role follows their organisation&apos;s kind. Reset a password to hand over a temporary one; disable to lock someone out.</CardDescription>
          </CardHeader>
          <CardContent>
            <UsersTable users={userRows} viewerUserId={viewer.userId} filename="blockable-users.csv" />
          </CardContent>
        </Card>
      </section>
    </div>
  );
}
