import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import { databaseKey, processWide } from "@/lib/server/process-wide";
import { openSecret } from "@/lib/server/crypto/secret-box";
import type { ProviderKind, ProviderRuntime } from "@/lib/server/providers/types";

/**
 * Models, their routes and providers change rarely and are read on every request: a short
 * in-process cache keeps them off the hot path. Admin edits call `invalidateCatalog()`; other
 * instances see a change within CATALOG_TTL_MS.
 */
const CATALOG_TTL_MS = 5_000;

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

type Catalog = { loadedAtMs: number; models: Map<string, CatalogModel> };
const cache = processWide("catalogCache", () => new WeakMap<object, Promise<Catalog>>());

function parseConfig(json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function loadCatalog(db: Db): Promise<Catalog> {
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
  return { loadedAtMs: Date.now(), models: map };
}

export async function getCatalog(db: Db): Promise<Map<string, CatalogModel>> {
  const key = databaseKey(db);
  let entry = cache.get(key);
  if (entry) {
    const catalog = await entry;
    if (Date.now() - catalog.loadedAtMs < CATALOG_TTL_MS) return catalog.models;
  }
  entry = loadCatalog(db);
  cache.set(key, entry);
  entry.catch(() => cache.delete(key));
  return (await entry).models;
}

export function invalidateCatalog(db: Db) {
  cache.delete(databaseKey(db));
}
