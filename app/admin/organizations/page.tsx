import type { Metadata } from "next";
import { UserAccessButton } from "@/components/admin/user-access-button";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { listOrganizationsWithUsers } from "@/lib/server/queries/admin";
import { setUserDisabledAction } from "./actions";

export const metadata: Metadata = { title: "Organisations" };

export default async function OrganizationsPage() {
  const viewer = await requirePageViewer("user.manage");
  const organizations = await listOrganizationsWithUsers(db);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Organisations and users</h1>
        <p className="text-sm text-muted-foreground">Disabling a user signs them out on their next request.</p>
      </div>
      {organizations.map((org) => (
        <Card key={org.id}>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              {org.name} <Badge variant="secondary">{org.kind.toLowerCase()}</Badge>
            </CardTitle>
            <CardDescription>{org.users.length} user{org.users.length === 1 ? "" : "s"}</CardDescription>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Email</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>Last sign-in</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Access</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {org.users.map((user) => (
                  <TableRow key={user.id}>
                    <TableCell>{user.name}</TableCell>
                    <TableCell>{user.email}</TableCell>
                    <TableCell>{user.role}</TableCell>
                    <TableCell>{user.lastLoginAt ? user.lastLoginAt.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "never"}</TableCell>
                    <TableCell>{user.isDisabled ? <Badge variant="destructive">disabled</Badge> : <Badge variant="success">active</Badge>}</TableCell>
                    <TableCell className="text-right">
                      {user.id === viewer.userId ? null : <UserAccessButton userId={user.id} email={user.email} isDisabled={user.isDisabled} action={setUserDisabledAction} />}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      ))}
    </div>
  );
}
