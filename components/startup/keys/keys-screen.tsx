"use client";

import { useState } from "react";
import { InfoTip } from "@/components/ui/info-tip";
import { EmptyState } from "@/components/ui/states";
import type { StartupKeysDto } from "@/lib/server/queries/startup-keys";
import { CreateKeyDialog } from "./create-key-dialog";
import { KeysTable } from "./keys-table";
import { QuickstartPanel } from "./quickstart-panel";
import { SectionCard } from "./section-card";

/**
 * The API keys screen: create (shown once), the list with this month's spend and Revoke, and a
 * quickstart whose key hint follows the key just created (else the newest active key).
 */
export function KeysScreen({ orgName, data, baseUrl, defaultRpm }: { orgName: string; data: StartupKeysDto; baseUrl: string; /** What a key without its own rate limit gets. */ defaultRpm: number }) {
  const [createdPrefix, setCreatedPrefix] = useState<string | null>(null);
  const newestActive = data.keys.find((key) => key.revokedAt === null);
  const activeCount = data.keys.filter((key) => key.revokedAt === null).length;
  const month = data.monthStart.slice(0, 7);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
          <p className="max-w-3xl text-sm text-muted-foreground">{orgName}: keys for the routing API. Each spends your organisation&apos;s credits; revoke one and its next request is refused.</p>
        </div>
        <CreateKeyDialog defaultRpm={defaultRpm} onCreated={(key) => setCreatedPrefix(key.prefix)} />
      </div>

      <SectionCard
        id="keys-heading"
        title="Keys"
        description={
          <>
            {activeCount.toLocaleString("en-US")} active of {data.keys.length.toLocaleString("en-US")}. Spend this month ({month}, UTC){" "}
            <InfoTip label="spend this month">
              The cost of the key&apos;s settled requests since {month}-01 00:00 UTC, in USD, from its usage events; requests still running count once they settle.
            </InfoTip>
            ; spend cap{" "}
            <InfoTip label="the spend cap">
              A lifetime cap per key, in USD. “Used” is what counts against it: the key&apos;s settled spend since it was created plus the worst case of its requests in flight. A request that
              could pass the cap gets 402 spend_cap_exceeded.
            </InfoTip>
            ; last used{" "}
            <InfoTip label="last used">The last time the key authenticated a request, recorded to the minute.</InfoTip>.
          </>
        }
      >
        {data.keys.length === 0 ? (
          <EmptyState title="No API keys yet">Create one with “Create key”; you see it once, then only its prefix.</EmptyState>
        ) : (
          <KeysTable keys={data.keys} defaultRpm={defaultRpm} />
        )}
      </SectionCard>

      <QuickstartPanel baseUrl={baseUrl} keyPrefix={createdPrefix ?? newestActive?.prefix ?? null} model={data.exampleModel} />
    </div>
  );
}
