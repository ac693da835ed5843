import "@/lib/server/server-only";
import { parsePricePerMTokens, type AddRouteInput, type ChangeRoutePriceInput, type CreateModelInput, type UpdateModelInput, type UpdateRouteInput } from "@/lib/domain/routing/catalog-inputs";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { changedFields, isUniqueViolation, modelNotFound, providerNotFound, recordCatalogChange, routeNotFound, type CatalogActor } from "./common";

// Models and their provider routes with prices. A price lives on the route and is read when a
// request is planned and settled; each usage event stores the cost it was charged, so a price
// change never rewrites past usage: it applies from the next request on every instance.

type ModelAuditFields = { displayName: string; kind: string; ownedBy: string; contextWindow: number; routingPolicy: string; isEnabled: boolean };

const modelFields = (row: ModelAuditFields): ModelAuditFields => ({
  displayName: row.displayName,
  kind: row.kind,
  ownedBy: row.ownedBy,
  contextWindow: row.contextWindow,
  routingPolicy: row.routingPolicy,
  isEnabled: row.isEnabled,
});

export type ModelSummary = { id: string; slug: string; isEnabled: boolean };

const modelSlugTaken = (slug: string) => new ApiError(409, "model_slug_taken", `slug: A model with the id "${slug}" already exists.`, "slug");

export async function createModel(db: Db, input: CreateModelInput, actor: CatalogActor): Promise<ModelSummary> {
  try {
    return await db.$transaction(async (tx) => {
      if (await tx.model.findUnique({ where: { slug: input.slug }, select: { id: true } })) throw modelSlugTaken(input.slug);
      const row = await tx.model.create({
        data: { slug: input.slug, displayName: input.displayName, kind: input.kind, ownedBy: input.ownedBy, contextWindow: input.contextWindow, routingPolicy: input.routingPolicy, isEnabled: input.isEnabled },
      });
      await recordCatalogChange(tx, actor, { action: "model.created", targetType: "Model", targetId: row.id, detail: { slug: row.slug, before: null, after: modelFields(row) } });
      return { id: row.id, slug: row.slug, isEnabled: row.isEnabled };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw modelSlugTaken(input.slug);
    throw error;
  }
}

/** Everything but the id clients send (usage rows name it too). */
export async function updateModel(db: Db, input: UpdateModelInput, actor: CatalogActor): Promise<ModelSummary> {
  return db.$transaction(async (tx) => {
    const before = await tx.model.findUnique({ where: { id: input.modelId } });
    if (!before) throw modelNotFound();
    const after = await tx.model.update({
      where: { id: before.id },
      data: { displayName: input.displayName, kind: input.kind, ownedBy: input.ownedBy, contextWindow: input.contextWindow, routingPolicy: input.routingPolicy, isEnabled: input.isEnabled },
    });
    const changes = changedFields(modelFields(before), modelFields(after));
    if (changes) await recordCatalogChange(tx, actor, { action: "model.updated", targetType: "Model", targetId: before.id, detail: { slug: before.slug, ...changes } });
    return { id: after.id, slug: after.slug, isEnabled: after.isEnabled };
  });
}

// ───────────────────────────── Routes ─────────────────────────────

type RouteAuditFields = { upstreamModel: string; priority: number; inputPriceMicrosPerMTokens: bigint; outputPriceMicrosPerMTokens: bigint; isEnabled: boolean };

const routeFields = (row: RouteAuditFields): RouteAuditFields => ({
  upstreamModel: row.upstreamModel,
  priority: row.priority,
  inputPriceMicrosPerMTokens: row.inputPriceMicrosPerMTokens,
  outputPriceMicrosPerMTokens: row.outputPriceMicrosPerMTokens,
  isEnabled: row.isEnabled,
});

export type RouteSummary = { id: string; modelSlug: string; providerSlug: string; inputPriceMicrosPerMTokens: bigint; outputPriceMicrosPerMTokens: bigint };

type RouteWithNames = RouteAuditFields & { id: string; model: { slug: string }; provider: { slug: string } };

const routeSummary = (row: RouteWithNames): RouteSummary => ({
  id: row.id,
  modelSlug: row.model.slug,
  providerSlug: row.provider.slug,
  inputPriceMicrosPerMTokens: row.inputPriceMicrosPerMTokens,
  outputPriceMicrosPerMTokens: row.outputPriceMicrosPerMTokens,
});

const WITH_NAMES = { model: { select: { slug: true } }, provider: { select: { slug: true } } } as const;

export async function addRoute(db: Db, input: AddRouteInput, actor: CatalogActor): Promise<RouteSummary> {
  const inputPriceMicrosPerMTokens = parsePricePerMTokens(input.inputPriceUsdPerM);
  const outputPriceMicrosPerMTokens = parsePricePerMTokens(input.outputPriceUsdPerM);
  const taken = () => new ApiError(409, "route_exists", "providerId: This model already has a route through that provider; edit it instead.", "providerId");
  try {
    return await db.$transaction(async (tx) => {
      const model = await tx.model.findUnique({ where: { id: input.modelId }, select: { id: true } });
      if (!model) throw modelNotFound();
      const provider = await tx.provider.findUnique({ where: { id: input.providerId }, select: { id: true } });
      if (!provider) throw providerNotFound();
      if (await tx.modelRoute.findUnique({ where: { modelId_providerId: { modelId: model.id, providerId: provider.id } }, select: { id: true } })) throw taken();
      const row = await tx.modelRoute.create({
        data: { modelId: model.id, providerId: provider.id, upstreamModel: input.upstreamModel, priority: input.priority, inputPriceMicrosPerMTokens, outputPriceMicrosPerMTokens, isEnabled: input.isEnabled },
        include: WITH_NAMES,
      });
      await recordCatalogChange(tx, actor, {
        action: "modelRoute.created",
        targetType: "ModelRoute",
        targetId: row.id,
        detail: { model: row.model.slug, provider: row.provider.slug, before: null, after: routeFields(row) },
      });
      return routeSummary(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

/** Upstream model, priority and enabled; prices change through changeRoutePrice. */
export async function updateRoute(db: Db, input: UpdateRouteInput, actor: CatalogActor): Promise<RouteSummary> {
  return db.$transaction(async (tx) => {
    const before = await tx.modelRoute.findUnique({ where: { id: input.routeId }, include: WITH_NAMES });
    if (!before) throw routeNotFound();
    const after = await tx.modelRoute.update({ where: { id: before.id }, data: { upstreamModel: input.upstreamModel, priority: input.priority, isEnabled: input.isEnabled }, include: WITH_NAMES });
    const changes = changedFields(routeFields(before), routeFields(after));
    if (changes) await recordCatalogChange(tx, actor, { action: "modelRoute.updated", targetType: "ModelRoute", targetId: before.id, detail: { model: before.model.slug, provider: before.provider.slug, ...changes } });
    return routeSummary(after);
  });
}

/**
 * A new price for one route, from the next request on every instance. Usage already recorded keeps
 * the cost it was charged (UsageEvent.costMicros), and a request in flight settles at the price it
 * was planned with.
 */
export async function changeRoutePrice(db: Db, input: ChangeRoutePriceInput, actor: CatalogActor): Promise<RouteSummary> {
  const inputPriceMicrosPerMTokens = parsePricePerMTokens(input.inputPriceUsdPerM);
  const outputPriceMicrosPerMTokens = parsePricePerMTokens(input.outputPriceUsdPerM);
  return db.$transaction(async (tx) => {
    const before = await tx.modelRoute.findUnique({ where: { id: input.routeId }, include: WITH_NAMES });
    if (!before) throw routeNotFound();
    const after = await tx.modelRoute.update({ where: { id: before.id }, data: { inputPriceMicrosPerMTokens, outputPriceMicrosPerMTokens }, include: WITH_NAMES });
    const changes = changedFields(routeFields(before), routeFields(after));
    if (changes) await recordCatalogChange(tx, actor, { action: "modelRoute.priceChanged", targetType: "ModelRoute", targetId: before.id, detail: { model: before.model.slug, provider: before.provider.slug, ...changes } });
    return routeSummary(after);
  });
}

/** Removes the route; usage it served keeps its model, provider and cost (stored by name on each event). */
export async function removeRoute(db: Db, input: { routeId: string }, actor: CatalogActor): Promise<RouteSummary> {
  return db.$transaction(async (tx) => {
    const before = await tx.modelRoute.findUnique({ where: { id: input.routeId }, include: WITH_NAMES });
    if (!before) throw routeNotFound();
    await tx.modelRoute.delete({ where: { id: before.id } });
    await recordCatalogChange(tx, actor, { action: "modelRoute.removed", targetType: "ModelRoute", targetId: before.id, detail: { model: before.model.slug, provider: before.provider.slug, before: routeFields(before), after: null } });
    return routeSummary(before);
  });
}
