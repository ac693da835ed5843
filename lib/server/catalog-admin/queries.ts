import "@/lib/server/server-only";
import type { BreakerState } from "@/lib/domain/routing/circuit-breaker";
import type { Db } from "@/lib/server/db/client";
import { breakerStates } from "@/lib/server/routing/breakers";
import { CATALOG_VERSION_KEY } from "@/lib/server/routing/catalog";

// What the admin catalogue screens read. Money leaves as strings of µUSD, times as ISO strings. The
// upstream API key never leaves: only whether one is set.

export type CircuitDto = {
  /** As the next request on this instance would find it: an open circuit past its cooldown lets one probe through. */
  status: "closed" | "open" | "half_open";
  consecutiveFailures: number;
  failureThreshold: number;
  /** When an open circuit lets the next probe through; null unless open. */
  reopensAt: string | null;
};

export type ProviderDto = {
  id: string;
  slug: string;
  name: string;
  kind: "openai_compatible" | "anthropic" | "simulator";
  baseUrl: string | null;
  hasApiKey: boolean;
  timeoutMs: number;
  breakerFailures: number;
  breakerCooldownMs: number;
  isEnabled: boolean;
  createdAt: string;
  routeCount: number;
  circuit: CircuitDto;
};

export type RouteDto = {
  id: string;
  modelId: string;
  modelSlug: string;
  providerId: string;
  providerSlug: string;
  providerName: string;
  isProviderEnabled: boolean;
  upstreamModel: string;
  priority: number;
  inputPriceMicrosPerMTokens: string;
  outputPriceMicrosPerMTokens: string;
  isEnabled: boolean;
};

export type ModelDto = {
  id: string;
  slug: string;
  displayName: string;
  kind: "chat" | "embedding";
  ownedBy: string;
  contextWindow: number;
  routingPolicy: "PRIORITY" | "CHEAPEST";
  isEnabled: boolean;
  createdAt: string;
  routes: RouteDto[];
};

export function circuitView(state: BreakerState | undefined, provider: { breakerFailures: number; breakerCooldownMs: number }, nowMs: number): CircuitDto {
  const failureThreshold = provider.breakerFailures;
  if (!state || state.status === "closed") return { status: "closed", consecutiveFailures: state?.consecutiveFailures ?? 0, failureThreshold, reopensAt: null };
  if (state.status === "half_open") return { status: "half_open", consecutiveFailures: state.consecutiveFailures, failureThreshold, reopensAt: null };
  const reopensAtMs = (state.openedAtMs ?? nowMs) + provider.breakerCooldownMs;
  if (reopensAtMs <= nowMs) return { status: "half_open", consecutiveFailures: state.consecutiveFailures, failureThreshold, reopensAt: null };
  return { status: "open", consecutiveFailures: state.consecutiveFailures, failureThreshold, reopensAt: new Date(reopensAtMs).toISOString() };
}

export async function listProvidersForAdmin(db: Db, nowMs = Date.now()): Promise<ProviderDto[]> {
  const rows = await db.provider.findMany({ orderBy: [{ isEnabled: "desc" }, { slug: "asc" }], include: { _count: { select: { routes: true } } } });
  const states = breakerStates();
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind as ProviderDto["kind"],
    baseUrl: row.baseUrl,
    hasApiKey: row.apiKeyEncrypted !== null,
    timeoutMs: row.timeoutMs,
    breakerFailures: row.breakerFailures,
    breakerCooldownMs: row.breakerCooldownMs,
    isEnabled: row.isEnabled,
    createdAt: row.createdAt.toISOString(),
    routeCount: row._count.routes,
    circuit: circuitView(states.get(row.id), row, nowMs),
  }));
}

export async function listModelsForAdmin(db: Db): Promise<ModelDto[]> {
  const rows = await db.model.findMany({
    orderBy: { slug: "asc" },
    include: { routes: { include: { provider: { select: { slug: true, name: true, isEnabled: true } } }, orderBy: [{ priority: "asc" }, { id: "asc" }] } },
  });
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    displayName: row.displayName,
    kind: row.kind as ModelDto["kind"],
    ownedBy: row.ownedBy,
    contextWindow: row.contextWindow,
    routingPolicy: row.routingPolicy as ModelDto["routingPolicy"],
    isEnabled: row.isEnabled,
    createdAt: row.createdAt.toISOString(),
    routes: row.routes.map((route) => ({
      id: route.id,
      modelId: row.id,
      modelSlug: row.slug,
      providerId: route.providerId,
      providerSlug: route.provider.slug,
      providerName: route.provider.name,
      isProviderEnabled: route.provider.isEnabled,
      upstreamModel: route.upstreamModel,
      priority: route.priority,
      inputPriceMicrosPerMTokens: route.inputPriceMicrosPerMTokens.toString(),
      outputPriceMicrosPerMTokens: route.outputPriceMicrosPerMTokens.toString(),
      isEnabled: route.isEnabled,
    })),
  }));
}

/** The providers a route can be added through, for the route form's select. */
export async function listProviderOptions(db: Db): Promise<{ id: string; slug: string; name: string; isEnabled: boolean }[]> {
  return db.provider.findMany({ orderBy: { slug: "asc" }, select: { id: true, slug: true, name: true, isEnabled: true } });
}

/** When the catalogue last changed through the app (null: never since the seed). */
export async function getCatalogChangedAt(db: Db): Promise<string | null> {
  const row = await db.platformSetting.findUnique({ where: { key: CATALOG_VERSION_KEY }, select: { updatedAt: true } });
  return row?.updatedAt.toISOString() ?? null;
}
