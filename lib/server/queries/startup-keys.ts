import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import { listApiKeys } from "@/lib/server/services/api-keys";

// What the startup's API keys screen reads: the organisation's keys (never their hashes) with this
// UTC month's spend per key, and the routing API's base URL as this install is reached. Keys are
// read with the viewer's organisation in the `where`, so another organisation's key is not there.
// Money leaves as strings of µUSD, times as ISO strings.

export type StartupKeyDto = {
  id: string;
  name: string;
  /** `sk-bl-` and the first 6 characters: enough to recognise the key, never to use it. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The key's lifetime spend cap (null: none), and what counts against it: settled spend plus in-flight holds. */
  spendCapMicros: string | null;
  spentTowardCapMicros: string;
  /** Requests per minute (null: no per-key limit). */
  rpmLimit: number | null;
  /** Settled cost and request count of the key's usage events since the 1st of this month, 00:00 UTC. */
  monthSpendMicros: string;
  monthRequests: number;
};

/** `exampleModel`: an enabled chat model for the quickstart snippets (null: the catalog has none). */
export type StartupKeysDto = { keys: StartupKeyDto[]; monthStart: string; exampleModel: string | null };

/** 00:00 UTC on the first day of `now`'s month. */
export function utcMonthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/**
 * Newest key first, revoked ones included. This month's spend sums the keys' usage events from the
 * month's start: the rollups (UsageDaily) have no key dimension, and the (apiKeyId, createdAt)
 * index bounds the read to this month's events of these keys — never a scan of the table.
 */
export async function listStartupKeys(db: Db, orgId: string, now: Date): Promise<StartupKeysDto> {
  const monthStart = utcMonthStart(now);
  const [keys, model] = await Promise.all([
    listApiKeys(db, orgId),
    db.model.findFirst({ where: { kind: "chat", isEnabled: true }, orderBy: [{ createdAt: "asc" }, { slug: "asc" }], select: { slug: true } }),
  ]);
  const ids = keys.map((key) => key.id);
  const sums = ids.length
    ? await db.usageEvent.groupBy({ by: ["apiKeyId"], where: { apiKeyId: { in: ids }, createdAt: { gte: monthStart } }, _sum: { costMicros: true }, _count: { _all: true } })
    : [];
  const byKey = new Map(sums.map((row) => [row.apiKeyId, { micros: row._sum.costMicros ?? 0n, requests: row._count._all }]));
  return {
    monthStart: monthStart.toISOString(),
    exampleModel: model?.slug ?? null,
    keys: keys.map((key) => {
      const month = byKey.get(key.id);
      return {
        id: key.id,
        name: key.name,
        prefix: key.prefix,
        createdAt: key.createdAt.toISOString(),
        lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
        revokedAt: key.revokedAt?.toISOString() ?? null,
        spendCapMicros: key.spendCapMicros?.toString() ?? null,
        spentTowardCapMicros: key.spentMicros.toString(),
        rpmLimit: key.rpmLimit,
        monthSpendMicros: (month?.micros ?? 0n).toString(),
        monthRequests: month?.requests ?? 0,
      };
    }),
  };
}

type HeaderReader = { get(name: string): string | null };

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The routing API's base URL as the viewer reached this install: the proxy's X-Forwarded-Host and
 * -Proto when present, else the Host header; when neither is a plain host name, NEXTAUTH_URL (the
 * configured public URL), else localhost. Pure, so it is table-tested.
 */
export function publicApiBaseUrl(headers: HeaderReader, configuredUrl: string | undefined = process.env.NEXTAUTH_URL): string {
  const first = (value: string | null) => value?.split(",")[0]?.trim() || null;
  const host = first(headers.get("x-forwarded-host")) ?? first(headers.get("host"));
  if (host && HOST.test(host)) {
    const forwardedProto = first(headers.get("x-forwarded-proto"));
    const proto = forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : fallbackProto(configuredUrl, host);
    return `${proto}://${host}/api/v1`;
  }
  const configured = parseOrigin(configuredUrl);
  return `${configured ?? "http://localhost:3000"}/api/v1`;
}

/** Without X-Forwarded-Proto: the configured URL's scheme when it names this host, else http. */
function fallbackProto(configuredUrl: string | undefined, host: string): "http" | "https" {
  const configured = parseOrigin(configuredUrl);
  if (configured && new URL(configured).host === host.toLowerCase()) return configured.startsWith("https:") ? "https" : "http";
  return "http";
}

function parseOrigin(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : null;
  } catch {
    return null;
  }
}
