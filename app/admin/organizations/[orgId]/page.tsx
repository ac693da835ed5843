import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { ConcurrencyLimitDialog } from "@/components/admin/organizations/concurrency-limit-dialog";
import { concurrencyLimitLabel } from "@/lib/domain/limits/concurrency-label";
import { CreateFacilityDialog } from "@/components/admin/organizations/create-facility-dialog";
import { CreateUserDialog } from "@/components/admin/organizations/create-user-dialog";
import { FacilitiesTable } from "@/components/admin/organizations/facilities-table";
import { formatUtcDate } from "@/components/admin/organizations/format";
import { UsersTable } from "@/components/admin/organizations/users-table";
import { StatCard } from "@/components/dashboard/stat-card";
import { Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { roleForOrgKind } from "@/lib/domain/auth/permissions";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { platformLimitDefaults } from "@/lib/server/limits/defaults";
import { findOrgConcurrencyLimit } from "@/lib/server/limits/org-concurrency";
import { listOrganizationsWithUsers } from "@/lib/server/queries/admin";
import { ORG_KIND_LABELS } from "../schemas";

export const metadata: Metadata = { title: "Organisation" };

export default async function OrganizationPage({ params }: { params: Promise<{ orgId: string }> }) {
  const viewer = await requirePageViewer("user.manage");
  const { orgId } = await params;
  const [org] = await listOrganizationsWithUsers(db, { orgId: orgId.slice(0, 64) });
  if (!org) notFound();
  const isLender = org.kind === "LENDER";
  // Startups call the routing API; their requests in flight are limited across every instance.
  const isStartup = org.kind === "STARTUP";
  const concurrencyLimit = isStartup ? await findOrgConcurrencyLimit(db, org.id) : null;
  const defaultConcurrency = platformLimitDefaults().orgConcurrency;
  const sum = (key: "limitMicros" | "deployedMicros" | "availableMicros") => org.facilities.reduce((total, facility) => total + BigInt(facility[key]), 0n);
  const activeUsers = org.users.filter((user) => !user.isDisabled).length;

  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <Link href="/admin/organizations" className="inline-flex items-center gap-1 text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
          <ArrowLeft aria-hidden="true" className="size-4" />
          All organisations
        </Link>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h1 className="flex flex-wrap items-center gap-2 text-2xl font-semibold tracking-tight">
              {org.name} <Badge variant="secondary">{ORG_KIND_LABELS[org.kind].toLowerCase()}</Badge>
            </h1>
            <p className="text-sm text-muted-foreground">
              Address <span className="font-mono">{org.slug}</span> · created {formatUtcDate(org.createdAt)} · its users have the {roleForOrgKind(org.kind)} role
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <CreateUserDialog organizations={[{ id: org.id, name: org.name, kind: org.kind }]} fixedOrgId={org.id} />
            {isLender ? <CreateFacilityDialog orgId={org.id} orgName={org.name} /> : null}
            {isStartup ? <ConcurrencyLimitDialog orgId={org.id} orgName={org.name} limit={concurrencyLimit} defaultLimit={defaultConcurrency} /> : null}
          </div>
        </div>
      </div>

      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard label="Users" value={org.users.length.toLocaleString("en-US")} hint={`${activeUsers.toLocaleString("en-US")} enabled`} />
        {isStartup ? (
          <StatCard
            label="Requests in flight at once"
            value={concurrencyLimitLabel(concurrencyLimit, defaultConcurrency)}
            howComputed="The routing API requests this organisation may have running at the same time, across every instance; one more gets 429 concurrency_limit_exceeded. Set with Concurrency limit."
          />
        ) : null}
        {isLender ? (
          <>
            <StatCard label="Facility limits (USD)" value={<Money micros={sum("limitMicros")} />} howComputed="The sum of this lender's facility limits." />
            <StatCard label="Deployed (USD)" value={<Money micros={sum("deployedMicros")} />} howComputed="Principal outstanding of the open loans (active, margin call, delinquent, frozen) on all of this lender's facilities." />
            <StatCard label="Available (USD)" value={<Money micros={sum("availableMicros")} />} howComputed="Facility limits − deployed, summed over the facilities." />
          </>
        ) : null}
      </div>

      <section aria-labelledby="org-users-heading">
        <Card>
          <CardHeader>
            <h2 id="org-users-heading" className="text-lg leading-none font-semibold tracking-tight">
              Users
            </h2>
            <CardDescription>Reset a password to hand over a temporary one; disable to lock someone out on their next request.</CardDescription>
          </CardHeader>
          <CardContent>
            <UsersTable users={org.users.map((user) => ({ ...user, orgName: org.name }))} viewerUserId={viewer.userId} showOrganization={false} filename={`blockable-users-${org.slug}.csv`} />
          </CardContent>
        </Card>
      </section>

      {isLender ? (
        <section aria-labelledby="org-facilities-heading">
          <Card>
            <CardHeader>
              <h2 id="org-facilities-heading" className="text-lg leading-none font-semibold tracking-tight">
                Facilities
              </h2>
              <CardDescription>The credit lines this lender&apos;s loans are approved against.</CardDescription>
            </CardHeader>
            <CardContent>
              <FacilitiesTable facilities={org.facilities} orgSlug={org.slug} />
            </CardContent>
          </Card>
        </section>
      ) : null}
    </div>
  );
}
