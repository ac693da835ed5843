// Which providers a request may try, in what order, and what each would cost at worst. Pure: the
// executor loads the routes and breaker states, asks for a plan, then walks the candidates in order
// (calling canAttempt before each, since breaker state may have moved since planning).
import { requestCostMicros, type Micros } from "../money";
import { canAttempt, type BreakerState } from "./circuit-breaker";

export type RoutingPolicy = "PRIORITY" | "CHEAPEST";

export type RouteOption = {
  routeId: string;
  providerId: string;
  providerSlug: string;
  upstreamModel: string;
  /** Lower goes first under PRIORITY. */
  priority: number;
  inputPriceMicrosPerMTokens: bigint;
  outputPriceMicrosPerMTokens: bigint;
  isEnabled: boolean;
  isProviderEnabled: boolean;
  /** The provider's own cooldown: an open breaker becomes half-open after it. */
  breakerCooldownMs: number;
};

export type PlanRouteInput<R extends RouteOption = RouteOption> = {
  routes: readonly R[];
  policy: RoutingPolicy;
  /** Providers without an entry have never failed: closed. */
  breakerStates: ReadonlyMap<string, BreakerState>;
  now: number;
  estimatedInputTokens: number;
  maxOutputTokens: number;
  /** From `x-blockable-provider`; blank means no pin. */
  pinnedProviderSlug?: string | null;
  /** From `x-blockable-max-cost-micros`. */
  maxCostMicros?: bigint | null;
};

export type PlannedRoute<R extends RouteOption = RouteOption> = R & { worstCaseCostMicros: Micros };

export type PlanFailureReason = "no_routes" | "provider_not_found" | "max_cost_exceeded" | "all_circuits_open";

export type RoutePlan<R extends RouteOption = RouteOption> =
  | { ok: true; candidates: PlannedRoute<R>[] }
  | {
      ok: false;
      reason: PlanFailureReason;
      message: string;
      /** max_cost_exceeded: the cheapest worst case on offer, so the 402 can say what would pass. */
      cheapestWorstCaseMicros?: Micros;
      /** all_circuits_open: the soonest a breaker half-opens (for `retry-after`), when one will. */
      retryAfterMs?: number;
    };

const compareBigints = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

// Slug and route id last so equal routes always come out in the same order.
const tieBreak = (a: RouteOption, b: RouteOption) => a.providerSlug.localeCompare(b.providerSlug) || a.routeId.localeCompare(b.routeId);

const ORDER: Record<RoutingPolicy, (a: PlannedRoute, b: PlannedRoute) => number> = {
  PRIORITY: (a, b) => a.priority - b.priority || compareBigints(a.worstCaseCostMicros, b.worstCaseCostMicros) || tieBreak(a, b),
  CHEAPEST: (a, b) => compareBigints(a.worstCaseCostMicros, b.worstCaseCostMicros) || a.priority - b.priority || tieBreak(a, b),
};

export function planRoute<R extends RouteOption>(input: PlanRouteInput<R>): RoutePlan<R> {
  let routes = input.routes.filter((route) => route.isEnabled && route.isProviderEnabled);
  if (routes.length === 0) return { ok: false, reason: "no_routes", message: "This model has no provider available right now." };

  const pinnedSlug = input.pinnedProviderSlug?.trim().toLowerCase();
  if (pinnedSlug) {
    routes = routes.filter((route) => route.providerSlug.toLowerCase() === pinnedSlug);
    if (routes.length === 0) {
      return { ok: false, reason: "provider_not_found", message: `Provider "${input.pinnedProviderSlug?.trim()}" does not serve this model or is disabled.` };
    }
  }

  const priced: PlannedRoute<R>[] = routes.map((route) => ({
    ...route,
    worstCaseCostMicros: requestCostMicros({
      inputTokens: input.estimatedInputTokens,
      outputTokens: input.maxOutputTokens,
      inputPriceMicrosPerMTokens: route.inputPriceMicrosPerMTokens,
      outputPriceMicrosPerMTokens: route.outputPriceMicrosPerMTokens,
    }),
  }));

  const maxCostMicros = input.maxCostMicros;
  const affordable = maxCostMicros == null ? priced : priced.filter((route) => route.worstCaseCostMicros <= maxCostMicros);
  if (affordable.length === 0) {
    const cheapestWorstCaseMicros = priced.reduce((min, route) => (route.worstCaseCostMicros < min ? route.worstCaseCostMicros : min), priced[0].worstCaseCostMicros);
    return {
      ok: false,
      reason: "max_cost_exceeded",
      message: `The worst-case cost of this request is at least ${cheapestWorstCaseMicros} µUSD (input estimate plus max tokens), above the cap of ${maxCostMicros} µUSD.`,
      cheapestWorstCaseMicros,
    };
  }

  const closedOrProbing = affordable.filter((route) => {
    const state = input.breakerStates.get(route.providerId);
    return !state || canAttempt(state, input.now, { cooldownMs: route.breakerCooldownMs }).allowed;
  });
  if (closedOrProbing.length === 0) {
    const waitsMs = affordable.flatMap((route) => {
      const state = input.breakerStates.get(route.providerId);
      return state?.status === "open" && state.openedAtMs !== null ? [Math.max(1, state.openedAtMs + route.breakerCooldownMs - input.now)] : [];
    });
    return {
      ok: false,
      reason: "all_circuits_open",
      message: "Every provider for this model is failing right now; try again shortly.",
      ...(waitsMs.length ? { retryAfterMs: Math.min(...waitsMs) } : {}),
    };
  }

  return { ok: true, candidates: closedOrProbing.sort(ORDER[input.policy]) };
}
