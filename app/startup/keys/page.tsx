import type { Metadata } from "next";
import { headers } from "next/headers";
import { KeysScreen } from "@/components/startup/keys/keys-screen";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { platformLimitDefaults } from "@/lib/server/limits/defaults";
import { listStartupKeys, publicApiBaseUrl } from "@/lib/server/queries/startup-keys";

export const metadata: Metadata = { title: "API keys" };

export default async function StartupKeysPage() {
  const viewer = await requirePageViewer("apiKey.manage");
  const [data, requestHeaders] = await Promise.all([listStartupKeys(db, viewer.orgId, new Date()), headers()]);
  return <KeysScreen orgName={viewer.orgName} data={data} baseUrl={publicApiBaseUrl(requestHeaders)} defaultRpm={platformLimitDefaults().keyRpm} />;
}
