import "@/lib/server/server-only";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import {
  NO_KEY,
  USAGE_PAGE_SIZE,
  usageCursorOf,
  usageSortOrder,
  usageTimeBounds,
  type UsageCursor,
  type UsageFilters,
} from "@/lib/domain/usage/explorer";
import type { Db } from "@/lib/server/db/client";

// The startup's usage explorer: its own routed requests, one row per usage event, filtered and
// sorted on the server and paged by keyset (see lib/domain/usage/explorer.ts). Every read puts the
// caller's organisation in its `where`, so another organisation's events, keys and holds never
// appear — a foreign key id as a filter simply matches nothing.
//
// Indexes: the time sorts walk UsageEvent(orgId, createdAt) (the id only breaks ties within one
// millisecond); a key filter can use (apiKeyId, createdAt). Dearest first has no index of its own:
// it reads the organisation's (filtered) events and keeps the top of them, which is fine for a
// startup's weeks of usage and slow at millions of rows (an index on (orgId, costMicros, id) would fix it).

/** Rows per read when the CSV export walks the filtered set (memory stays at one batch). */
export const USAGE_EXPORT_BATCH_SIZE = 1_000;

export type UsageKeyDto = { id: string; name: string | null; prefix: string | null; isRevoked: boolean };

export type UsageRowDto = {
  id: string;
  requestId: string;
  at: string;
  /** null when the event records no key (usage imported before keys were recorded). */
  apiKey: UsageKeyDto | null;
  modelSlug: string;
  providerSlug: string;
  endpoint: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: string;
  latencyMs: number;
  status: string;
};

/** What the request's detail shows beyond its row: its hold, and the route the catalog names for its model and provider. */
export type UsageDetailDto = {
  /** The worst-case reservation made before the upstream call, and how it was resolved; null when none is on record. */
  hold: { reservedMicros: string; settledMicros: string | null; status: string; startedAt: string; resolvedAt: string | null } | null;
  /** The provider and upstream model as the catalog configures them now (null when the route is gone). */
  route: { providerName: string; providerKind: string; upstreamModel: string; isEnabled: boolean } | null;
};

export type UsagePageDto = {
  rows: (UsageRowDto & { detail: UsageDetailDto })[];
  /** The page before this one, or null on the first. */
  previousCursor: string | null;
  /** The page after this one, or null on the last. */
  nextCursor: string | null;
};

type UsageWhere = NonNullable<NonNullable<Parameters<Db["usageEvent"]["findMany"]>[0]>["where"]>;
type Scope = { orgId: string; filters: UsageFilters };

/** The organisation and the filters as a `where`. */
export function usageWhere({ orgId, filters }: Scope): UsageWhere {
  const { atOrAfter, before } = usageTimeBounds(filters);
  return {
    orgId,
    ...(atOrAfter || before ? { createdAt: { ...(atOrAfter ? { gte: atOrAfter } : {}), ...(before ? { lt: before } : {}) } } : {}),
    ...(filters.model ? { modelSlug: filters.model } : {}),
    ...(filters.provider ? { providerSlug: filters.provider } : {}),
    ...(filters.key ? { apiKeyId: filters.key === NO_KEY ? null : filters.key } : {}),
    ...(filters.status ? { status: filters.status } : {}),
  };
}

/**
 * The rows strictly beyond the cursor in the direction read ("lt" walking down the sort key, "gt"
 * up it). Written as `key ≤ v AND (key < v OR id < i)` rather than a bare OR, so the index range
 * starts at the cursor.
 */
function beyond(cursor: UsageCursor, op: "lt" | "gt"): UsageWhere {
  const orEqual = op === "lt" ? "lte" : "gte";
  if (cursor.kind === "cost") return { costMicros: { [orEqual]: cursor.costMicros }, OR: [{ costMicros: { [op]: cursor.costMicros } }, { id: { [op]: cursor.id } }] };
  return { createdAt: { [orEqual]: cursor.at }, OR: [{ createdAt: { [op]: cursor.at } }, { id: { [op]: cursor.id } }] };
}

/** Up to `take` events after the cursor (none: from the first), along the sort or against it. */
function findUsageRows(db: Db, scope: Scope, options: { take: number; cursor: UsageCursor | null; isReversed: boolean }) {
  const { field, direction } = usageSortOrder(scope.filters.sort);
  const order = options.isReversed ? (direction === "asc" ? "desc" : "asc") : direction;
  const position = options.cursor ? [beyond(options.cursor, order === "asc" ? "gt" : "lt")] : [];
  return db.usageEvent.findMany({
    where: { AND: [usageWhere(scope), ...position] },
    orderBy: [{ [field]: order }, { id: order }],
    take: options.take,
    select: { id: true, requestId: true, apiKeyId: true, modelSlug: true, providerSlug: true, endpoint: true, inputTokens: true, outputTokens: true, costMicros: true, latencyMs: true, status: true, createdAt: true },
  });
}

type UsageRow = Awaited<ReturnType<typeof findUsageRows>>[number];

/** Names the rows' keys, reading only the organisation's keys not already in `known` (the export's cache). */
async function keyResolver(db: Db, orgId: string, rows: readonly UsageRow[], known = new Map<string, UsageKeyDto>()) {
  const missing = [...new Set(rows.map((row) => row.apiKeyId).filter((id): id is string => id !== null && !known.has(id)))];
  if (missing.length) {
    const keys = await db.apiKey.findMany({ where: { orgId, id: { in: missing } }, select: { id: true, name: true, prefix: true, revokedAt: true } });
    for (const key of keys) known.set(key.id, { id: key.id, name: key.name, prefix: key.prefix, isRevoked: key.revokedAt !== null });
    // A key no longer on record keeps its id.
    for (const id of missing) if (!known.has(id)) known.set(id, { id, name: null, prefix: null, isRevoked: false });
  }
  return (row: UsageRow): UsageKeyDto | null => (row.apiKeyId === null ? null : (known.get(row.apiKeyId) ?? null));
}

function toUsageRow(row: UsageRow, keyOf: (row: UsageRow) => UsageKeyDto | null): UsageRowDto {
  return {
    id: row.id,
    requestId: row.requestId,
    at: row.createdAt.toISOString(),
    apiKey: keyOf(row),
    modelSlug: row.modelSlug,
    providerSlug: row.providerSlug,
    endpoint: row.endpoint,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costMicros: row.costMicros.toString(),
    latencyMs: row.latencyMs,
    status: row.status,
  };
}

/** The page's holds (by request id, the organisation's only) and its routes (a few model × provider pairs). */
async function detailsOf(db: Db, orgId: string, rows: readonly UsageRow[]): Promise<(row: UsageRow) => UsageDetailDto> {
  if (rows.length === 0) return () => ({ hold: null, route: null });
  const [holds, routes] = await Promise.all([
    db.hold.findMany({
      where: { orgId, requestId: { in: rows.map((row) => row.requestId) } },
      select: { requestId: true, amountMicros: true, settledMicros: true, status: true, createdAt: true, resolvedAt: true },
    }),
    db.modelRoute.findMany({
      where: { model: { slug: { in: [...new Set(rows.map((row) => row.modelSlug))] } }, provider: { slug: { in: [...new Set(rows.map((row) => row.providerSlug))] } } },
      select: { upstreamModel: true, isEnabled: true, model: { select: { slug: true } }, provider: { select: { slug: true, name: true, kind: true } } },
    }),
  ]);
  const holdByRequest = new Map(holds.map((hold) => [hold.requestId, hold]));
  const routeByPair = new Map(routes.map((route) => [`${route.model.slug}\n${route.provider.slug}`, route]));
  return (row) => {
    const hold = holdByRequest.get(row.requestId);
    const route = routeByPair.get(`${row.modelSlug}\n${row.providerSlug}`);
    return {
      hold: hold
        ? { reservedMicros: hold.amountMicros.toString(), settledMicros: hold.settledMicros?.toString() ?? null, status: hold.status, startedAt: hold.createdAt.toISOString(), resolvedAt: hold.resolvedAt?.toISOString() ?? null }
        : null,
      route: route ? { providerName: route.provider.name, providerKind: route.provider.kind, upstreamModel: route.upstreamModel, isEnabled: route.isEnabled } : null,
    };
  };
}

/**
 * One page of the organisation's usage events in the filters' sort, each with its detail. `after`
 * pages on (the cursor of the last row shown), `before` back (the first row's); with neither, the
 * first page.
 */
export async function listUsagePage(db: Db, input: Scope & { after?: UsageCursor | null; before?: UsageCursor | null; limit?: number }): Promise<UsagePageDto> {
  const limit = input.limit ?? USAGE_PAGE_SIZE;
  const scope = { orgId: input.orgId, filters: input.filters };
  const isBackwards = Boolean(input.before && !input.after);
  const cursor = (isBackwards ? input.before : input.after) ?? null;
  const found = await findUsageRows(db, scope, { take: limit + 1, cursor, isReversed: isBackwards });
  const hasMore = found.length > limit;
  const rows = isBackwards ? found.slice(0, limit).reverse() : found.slice(0, limit);
  const [keyOf, detailOf] = await Promise.all([keyResolver(db, input.orgId, rows), detailsOf(db, input.orgId, rows)]);
  const cursorOf = (row: UsageRow) => usageCursorOf(input.filters.sort, row);
  const firstRow = rows[0];
  const lastRow = rows[rows.length - 1];
  return {
    rows: rows.map((row) => ({ ...toUsageRow(row, keyOf), detail: detailOf(row) })),
    // Backwards, `hasMore` says a page lies before; forwards it says one lies after, and a cursor says one lies before.
    previousCursor: firstRow && (isBackwards ? hasMore : cursor !== null) ? cursorOf(firstRow) : null,
    nextCursor: lastRow && (isBackwards || hasMore) ? cursorOf(lastRow) : null,
  };
}

/**
 * Every event the filters select, in their sort, a batch at a time: each read starts where the
 * last one ended (keyset), so the export holds one batch however many rows there are.
 */
export async function* iterateUsageEvents(db: Db, scope: Scope, batchSize = USAGE_EXPORT_BATCH_SIZE): AsyncGenerator<UsageRowDto[]> {
  const keys = new Map<string, UsageKeyDto>();
  let cursor: UsageCursor | null = null;
  const kind = usageSortOrder(scope.filters.sort).field === "costMicros" ? "cost" : "time";
  for (;;) {
    const rows = await findUsageRows(db, scope, { take: batchSize, cursor, isReversed: false });
    if (rows.length === 0) return;
    const keyOf = await keyResolver(db, scope.orgId, rows, keys);
    yield rows.map((row) => toUsageRow(row, keyOf));
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    cursor = kind === "cost" ? { kind, costMicros: last.costMicros, id: last.id } : { kind, at: last.createdAt, id: last.id };
  }
}

export const USAGE_CSV_HEADERS = ["Time (UTC)", "Request ID", "API key", "Key prefix", "Model", "Provider", "Endpoint", "Input tokens", "Output tokens", "Cost (USD)", "Latency (ms)", "Status"];

/** One CSV record per event, in USAGE_CSV_HEADERS' order; the cost as an exact decimal of dollars. */
export function usageCsvRecord(row: UsageRowDto): string[] {
  return [
    row.at,
    row.requestId,
    row.apiKey ? (row.apiKey.name ?? "(deleted key)") : "",
    row.apiKey?.prefix ?? "",
    row.modelSlug,
    row.providerSlug,
    row.endpoint,
    String(row.inputTokens),
    String(row.outputTokens),
    microsToUsdDecimal(BigInt(row.costMicros)),
    String(row.latencyMs),
    row.status,
  ];
}

export type UsageFilterOptions = {
  models: string[];
  providers: string[];
  keys: { id: string; name: string; prefix: string; isRevoked: boolean }[];
};

/** The filter choices: the models and providers the organisation's rollups name (never a scan of events), and its keys. */
export async function getUsageFilterOptions(db: Db, orgId: string): Promise<UsageFilterOptions> {
  const [pairs, keys] = await Promise.all([
    db.usageDaily.groupBy({ by: ["modelSlug", "providerSlug"], where: { orgId } }),
    db.apiKey.findMany({ where: { orgId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, name: true, prefix: true, revokedAt: true } }),
  ]);
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b, "en"));
  return {
    models: sorted(pairs.map((pair) => pair.modelSlug)),
    providers: sorted(pairs.map((pair) => pair.providerSlug)),
    keys: keys.map((key) => ({ id: key.id, name: key.name, prefix: key.prefix, isRevoked: key.revokedAt !== null })),
  };
}
