import type { z } from "zod";
import type {
  addRouteSchema,
  changeRoutePriceSchema,
  createModelSchema,
  createProviderSchema,
  removeRouteSchema,
  setProviderEnabledSchema,
  testConnectionSchema,
  updateModelSchema,
  updateProviderSchema,
  updateRouteSchema,
} from "@/lib/domain/routing/catalog-inputs";
import type { ConnectionTestResult } from "@/lib/server/catalog-admin/test-connection";
import type { ActionResult } from "@/lib/server/http/action";

// The server actions the catalogue screens call, as the pages hand them down (components import
// only these shapes, never app/ or lib/server code).

type Action<S extends z.ZodType, T> = (input: z.input<S>) => Promise<ActionResult<T>>;
type ProviderSummary = { id: string; slug: string; name: string; isEnabled: boolean; hasApiKey: boolean };
type RouteNames = { id: string; modelSlug: string; providerSlug: string };

export type ProviderActions = {
  createProvider: Action<typeof createProviderSchema, ProviderSummary>;
  updateProvider: Action<typeof updateProviderSchema, ProviderSummary>;
  setProviderEnabled: Action<typeof setProviderEnabledSchema, ProviderSummary>;
  testConnection: Action<typeof testConnectionSchema, ConnectionTestResult>;
};

export type ModelActions = {
  createModel: Action<typeof createModelSchema, { id: string; slug: string; isEnabled: boolean }>;
  updateModel: Action<typeof updateModelSchema, { id: string; slug: string; isEnabled: boolean }>;
  addRoute: Action<typeof addRouteSchema, RouteNames>;
  updateRoute: Action<typeof updateRouteSchema, RouteNames>;
  changeRoutePrice: Action<typeof changeRoutePriceSchema, RouteNames & { inputPriceMicrosPerMTokens: string; outputPriceMicrosPerMTokens: string }>;
  removeRoute: Action<typeof removeRouteSchema, RouteNames>;
};
