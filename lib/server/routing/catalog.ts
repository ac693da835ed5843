import "@/lib/server/server-only";
import { randomUUID } from "node:crypto";
import type { Db, DbTx } from "@/lib/server/db/client";
import { databaseKey, processWide } from "@/lib/server/process-wide";
import { openSecret } from "@/lib/server/crypto/secret-box";
import { get, runReadProgram, type SqlProgram } from "@/lib/server/db/sql-program";
import type { ProviderKind, ProviderRuntime } from "@/lib/server/providers/types";

/**
 * Models, their routes and providers change rarely and are read on every request, so each
 * instance keeps them in memory. Every admin change writes a new catalogue version
 * (PlatformSetting "catalogVersion") in the same transaction as the change; each lookup reads that
 * one row by primary key and reloads when it differs from the version the cache was loaded at, so
 * a change takes effect on the next request on every instance. CATALOG_MAX_AGE_MS only bounds how
 * long an edit made outside the app (SQL by hand, a seed) can go unseen.
 */
export const CATALOG_VERSION_KEY = "catalogVersion";
const CATALOG_MAX_AGE_MS = 60_000;

export type CatalogRoute = {
  routeId: string;
  providerId: string;
  providerSlug: string;
  upstreamModel: string;
  priority: number;
  inputPriceMicrosPerMTokens: bigint;
  outputPriceMicrosPerMTokens: bigint;
  isEnabled: boolean;
  isProviderEnabled: boolean;
  provider: ProviderRuntime;
  breakerFailures: number;
  breakerCooldownMs: number;
};

export type CatalogModel = {
  id: string;
  slug: string;
  displayName: string;
  kind: "chat" | "embedding";
  ownedBy: string;
  contextWindow: number;
  routingPolicy: "PRIORITY" | "CHEAPEST";
  createdAt: Date;
  routes: CatalogRoute[];
};

function parseConfig(json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function loadCatalog(db: Db): Promise<Map<string, CatalogModel>> {
  const models = await db.model.findMany({ where: { isEnabled: true }, include: { routes: { include: { provider: true } } } });
  const map = new Map<string, CatalogModel>();
  for (const model of models) {
    map.set(model.slug, {
      id: model.id,
      slug: model.slug,
      displayName: model.displayName,
      kind: model.kind as CatalogModel["kind"],
      ownedBy: model.ownedBy,
      contextWindow: model.contextWindow,
      routingPolicy: model.routingPolicy as CatalogModel["routingPolicy"],
      createdAt: model.createdAt,
      routes: model.routes.map((route) => ({
        routeId: route.id,
        providerId: route.providerId,
        providerSlug: route.provider.slug,
        upstreamModel: route.upstreamModel,
        priority: route.priority,
        inputPriceMicrosPerMTokens: route.inputPriceMicrosPerMTokens,
        outputPriceMicrosPerMTokens: route.outputPriceMicrosPerMTokens,
        isEnabled: route.isEnabled,
        isProviderEnabled: route.provider.isEnabled,
        breakerFailures: route.provider.breakerFailures,
        breakerCooldownMs: route.provider.breakerCooldownMs,
        provider: {
          id: route.provider.id,
          slug: route.provider.slug,
          kind: route.provider.kind as ProviderKind,
          baseUrl: route.provider.baseUrl,
          apiKey: route.provider.apiKeyEncrypted ? openSecret(route.provider.apiKeyEncrypted) : null,
          config: parseConfig(route.provider.configJson),
          timeoutMs: route.provider.timeoutMs,
        },
      })),
    });
  }
  return map;
}

/** The version the catalogue is at now: one primary-key read ("" before the first admin change). */
export async function readCatalogVersion(db: Db | DbTx): Promise<string> {
  const row = await db.platformSetting.findUnique({ where: { key: CATALOG_VERSION_KEY }, select: { value: true } });
  return row?.value ?? "";
}

/**
 * The same read for the per-request check, as a SQL program: on SQLite a prepared statement run
 * synchronously (a few µs), where Prisma's query engine took ~90 µs and a tenth of a routed
 * request's CPU under load (docs/benchmarks.md).
 */
function* catalogVersionProgram(): SqlProgram<string> {
  const row = yield* get<{ value: string }>(`SELECT "value" FROM "PlatformSetting" WHERE "key" = ?`, [CATALOG_VERSION_KEY]);
  return row?.value ?? "";
}

/**
 * Call inside the transaction that changes a provider, model or route: every instance reloads its
 * catalogue on its next lookup after the commit. A fresh random value, not a counter, so two
 * concurrent changes never write the same version.
 */
export async function bumpCatalogVersion(tx: DbTx, actorUserId: string | null): Promise<string> {
  const value = randomUUID();
  await tx.platformSetting.upsert({ where: { key: CATALOG_VERSION_KEY }, create: { key: CATALOG_VERSION_KEY, value, updatedById: actorUserId }, update: { value, updatedById: actorUserId } });
  return value;
}

type CacheEntry = { version: string; loadedAtMs: number; models: Promise<Map<string, CatalogModel>> };

export type CatalogCache = {
  get(db: Db): Promise<Map<string, CatalogModel>>;
  invalidate(db: Db): void;
};

/**
 * One instance's catalogue cache, per database. The version is read BEFORE the catalogue: a change
 * committed between the two reads is then loaded under the old version and reloaded once more on
 * the next lookup, never missed.
 */
export function createCatalogCache(options: { maxAgeMs?: number; nowMs?: () => number } = {}): CatalogCache {
  const maxAgeMs = options.maxAgeMs ?? CATALOG_MAX_AGE_MS;
  const nowMs = options.nowMs ?? Date.now;
  const entries = new WeakMap<object, CacheEntry>();
  return {
    async get(db) {
      const key = databaseKey(db);
      const version = await runReadProgram(db, catalogVersionProgram());
      const current = entries.get(key);
      if (current && current.version === version && nowMs() - current.loadedAtMs < maxAgeMs) return current.models;
      const entry: CacheEntry = { version, loadedAtMs: nowMs(), models: loadCatalog(db) };
      entries.set(key, entry);
      entry.models.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return entry.models;
    },
    invalidate(db) {
      entries.delete(databaseKey(db));
    },
  };
}

/** This process's cache (one per process, not per compiled copy of this module: process-wide.ts). */
const processCache = processWide("catalogVersionedCache", () => createCatalogCache());

export function getCatalog(db: Db): Promise<Map<string, CatalogModel>> {
  return processCache.get(db);
}

/** For tests that write catalogue rows directly: the next lookup reloads. */
export function invalidateCatalog(db: Db) {
  processCache.invalidate(db);
}
