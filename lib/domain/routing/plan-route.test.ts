import { describe, expect, it } from "vitest";
import { initialBreakerState, type BreakerState } from "./circuit-breaker";
import { planRoute, type PlanRouteInput, type RouteOption } from "./plan-route";

const NOW = 1_000_000;
const COOLDOWN_MS = 30_000;

function route(providerSlug: string, priority: number, inputPrice: bigint, outputPrice: bigint, overrides: Partial<RouteOption> = {}): RouteOption {
  return {
    routeId: `route-${providerSlug}`,
    providerId: `prov-${providerSlug}`,
    providerSlug,
    upstreamModel: `${providerSlug}/model`,
    priority,
    inputPriceMicrosPerMTokens: inputPrice,
    outputPriceMicrosPerMTokens: outputPrice,
    isEnabled: true,
    isProviderEnabled: true,
    breakerCooldownMs: COOLDOWN_MS,
    ...overrides,
  };
}

// 1,000 input + 1,000 output tokens: worst case = (inPrice + outPrice) / 1,000 µUSD.
const alpha = route("alpha", 0, 3_000_000n, 15_000_000n); // 18,000 µUSD
const beta = route("beta", 1, 150_000n, 600_000n); // 750 µUSD
const gamma = route("gamma", 2, 1_000_000n, 2_000_000n); // 3,000 µUSD

const openSince = (openedAtMs: number): BreakerState => ({ status: "open", consecutiveFailures: 5, openedAtMs, probeInFlight: false });
const halfOpen = (probeInFlight: boolean): BreakerState => ({ status: "half_open", consecutiveFailures: 5, openedAtMs: NOW - COOLDOWN_MS, probeInFlight });

function plan(overrides: Partial<PlanRouteInput> = {}) {
  return planRoute({
    routes: [alpha, beta, gamma],
    policy: "PRIORITY",
    breakerStates: new Map(),
    now: NOW,
    estimatedInputTokens: 1_000,
    maxOutputTokens: 1_000,
    ...overrides,
  });
}

const slugsOf = (result: ReturnType<typeof plan>) => (result.ok ? result.candidates.map((c) => c.providerSlug) : result.reason);

describe("planRoute: order", () => {
  it.each<[string, Partial<PlanRouteInput>, string[]]>([
    ["PRIORITY: lowest priority number first", {}, ["alpha", "beta", "gamma"]],
    ["CHEAPEST: lowest worst-case cost first", { policy: "CHEAPEST" }, ["beta", "gamma", "alpha"]],
    ["PRIORITY: equal priorities go cheaper first", { routes: [alpha, { ...beta, priority: 0 }] }, ["beta", "alpha"]],
    ["CHEAPEST: equal costs go by priority", { policy: "CHEAPEST", routes: [{ ...gamma, priority: 9 }, { ...beta, routeId: "b2", providerSlug: "beta2", priority: 3 }, beta] }, ["beta", "beta2", "gamma"]],
    [
      "CHEAPEST compares the worst case, not the input price alone (output-heavy request)",
      { policy: "CHEAPEST", estimatedInputTokens: 10, maxOutputTokens: 100_000, routes: [route("cheapin", 0, 1n, 10_000_000n), route("cheapout", 1, 5_000_000n, 1_000_000n)] },
      ["cheapout", "cheapin"],
    ],
    ["fully equal routes come out by slug, whatever the input order", { routes: [route("zed", 0, 1n, 1n), route("amp", 0, 1n, 1n)] }, ["amp", "zed"]],
    ["a disabled route is skipped", { routes: [{ ...alpha, isEnabled: false }, beta] }, ["beta"]],
    ["a route of a disabled provider is skipped", { routes: [alpha, { ...beta, isProviderEnabled: false }] }, ["alpha"]],
  ])("%s", (_label, overrides, expected) => {
    expect(slugsOf(plan(overrides))).toEqual(expected);
  });

  it("attaches each route's worst case = requestCostMicros(input estimate, max output tokens)", () => {
    const result = plan({ estimatedInputTokens: 7, maxOutputTokens: 3, routes: [route("tiny", 0, 100_000n, 400_000n)] });
    expect(result.ok && result.candidates[0].worstCaseCostMicros).toBe(2n); // 1.9 µUSD rounds up
  });

  it("passes the caller's extra route fields through", () => {
    const result = planRoute({ routes: [{ ...alpha, baseUrl: "http://upstream" }], policy: "PRIORITY", breakerStates: new Map(), now: NOW, estimatedInputTokens: 1, maxOutputTokens: 1 });
    expect(result.ok && result.candidates[0].baseUrl).toBe("http://upstream");
  });

  it("does not reorder the caller's array", () => {
    const routes = [gamma, beta, alpha];
    plan({ routes, policy: "CHEAPEST" });
    expect(routes.map((r) => r.providerSlug)).toEqual(["gamma", "beta", "alpha"]);
  });
});

describe("planRoute: pinning a provider", () => {
  it.each<[string, string | null | undefined, string[] | string]>([
    ["a pinned provider keeps only its route", "gamma", ["gamma"]],
    ["the pin ignores case and surrounding spaces", "  Gamma ", ["gamma"]],
    ["an empty pin is no pin", "", ["alpha", "beta", "gamma"]],
    ["a null pin is no pin", null, ["alpha", "beta", "gamma"]],
    ["an unknown provider is provider_not_found", "nope", "provider_not_found"],
  ])("%s", (_label, pinnedProviderSlug, expected) => {
    expect(slugsOf(plan({ pinnedProviderSlug }))).toEqual(expected);
  });

  it("a pinned provider that is disabled is provider_not_found, naming it", () => {
    const result = plan({ pinnedProviderSlug: "beta", routes: [alpha, { ...beta, isProviderEnabled: false }] });
    expect(result).toMatchObject({ ok: false, reason: "provider_not_found" });
    expect(!result.ok && result.message).toContain('"beta"');
  });

  it("a pinned provider with an open breaker is all_circuits_open, not a silent switch to another", () => {
    expect(slugsOf(plan({ pinnedProviderSlug: "beta", breakerStates: new Map([[beta.providerId, openSince(NOW - 1)]]) }))).toBe("all_circuits_open");
  });
});

describe("planRoute: no routes", () => {
  it.each<[string, RouteOption[], string | null]>([
    ["a model without routes", [], null],
    ["every route disabled", [{ ...alpha, isEnabled: false }, { ...beta, isProviderEnabled: false }], null],
    ["every route disabled, even with a pin (the model is down, not the pin wrong)", [{ ...alpha, isEnabled: false }], "alpha"],
  ])("%s is no_routes", (_label, routes, pinnedProviderSlug) => {
    expect(plan({ routes, pinnedProviderSlug })).toMatchObject({ ok: false, reason: "no_routes" });
  });
});

describe("planRoute: max cost", () => {
  it.each<[string, bigint | null | undefined, string[] | string]>([
    ["no cap keeps every route", undefined, ["alpha", "beta", "gamma"]],
    ["a null cap keeps every route", null, ["alpha", "beta", "gamma"]],
    ["a cap equal to a worst case keeps that route", 3_000n, ["beta", "gamma"]],
    ["a cap 1 µUSD under a worst case drops it", 2_999n, ["beta"]],
    ["a cap below every worst case is max_cost_exceeded", 749n, "max_cost_exceeded"],
  ])("%s", (_label, maxCostMicros, expected) => {
    expect(slugsOf(plan({ maxCostMicros }))).toEqual(expected);
  });

  it("max_cost_exceeded carries the cheapest worst case for the 402 message", () => {
    const result = plan({ maxCostMicros: 100n });
    expect(result).toMatchObject({ ok: false, reason: "max_cost_exceeded", cheapestWorstCaseMicros: 750n });
    expect(!result.ok && result.message).toMatch(/750 µUSD.*100 µUSD/);
  });

  it("the cheapest worst case is among the pinned provider's routes only", () => {
    expect(plan({ pinnedProviderSlug: "alpha", maxCostMicros: 100n })).toMatchObject({ reason: "max_cost_exceeded", cheapestWorstCaseMicros: 18_000n });
  });

  it("a cap of 0 still admits a free route", () => {
    expect(slugsOf(plan({ maxCostMicros: 0n, routes: [alpha, route("free", 5, 0n, 0n)] }))).toEqual(["free"]);
  });

  it("cost is judged before breakers: over-budget routes never count as open circuits", () => {
    const breakerStates = new Map([[beta.providerId, openSince(NOW)]]);
    expect(slugsOf(plan({ maxCostMicros: 1_000n, breakerStates }))).toBe("all_circuits_open");
    expect(slugsOf(plan({ maxCostMicros: 100n, breakerStates }))).toBe("max_cost_exceeded");
  });
});

describe("planRoute: circuit breakers", () => {
  it.each<[string, Array<[RouteOption, BreakerState]>, string[] | string]>([
    ["a closed breaker keeps its provider", [[alpha, initialBreakerState()]], ["alpha", "beta", "gamma"]],
    ["an open breaker inside its cooldown drops its provider", [[alpha, openSince(NOW - COOLDOWN_MS + 1)]], ["beta", "gamma"]],
    ["an open breaker past its cooldown is a probe: kept, in its usual place", [[alpha, openSince(NOW - COOLDOWN_MS)]], ["alpha", "beta", "gamma"]],
    ["a half-open breaker with its probe slot free is kept", [[beta, halfOpen(false)]], ["alpha", "beta", "gamma"]],
    ["a half-open breaker whose probe is out is dropped", [[beta, halfOpen(true)]], ["alpha", "gamma"]],
    [
      "all open is all_circuits_open",
      [
        [alpha, openSince(NOW)],
        [beta, openSince(NOW)],
        [gamma, halfOpen(true)],
      ],
      "all_circuits_open",
    ],
  ])("%s", (_label, states, expected) => {
    const breakerStates = new Map(states.map(([r, state]) => [r.providerId, state] as const));
    expect(slugsOf(plan({ breakerStates }))).toEqual(expected);
  });

  it("uses each provider's own cooldown", () => {
    const quick = { ...alpha, breakerCooldownMs: 1_000 };
    const breakerStates = new Map([[alpha.providerId, openSince(NOW - 1_000)]]);
    expect(slugsOf(plan({ routes: [quick], breakerStates }))).toEqual(["alpha"]);
    expect(slugsOf(plan({ routes: [alpha], breakerStates }))).toBe("all_circuits_open");
  });

  it("all_circuits_open says when the first breaker will let a probe through", () => {
    const breakerStates = new Map([
      [alpha.providerId, openSince(NOW - 10_000)], // 20 s left
      [beta.providerId, openSince(NOW - 25_000)], // 5 s left
      [gamma.providerId, halfOpen(true)], // unknown: waiting on the probe
    ]);
    expect(plan({ breakerStates })).toMatchObject({ ok: false, reason: "all_circuits_open", retryAfterMs: 5_000 });
  });

  it("all_circuits_open without an estimate when only probes are out", () => {
    const result = plan({ routes: [gamma], breakerStates: new Map([[gamma.providerId, halfOpen(true)]]) });
    expect(result).toEqual({ ok: false, reason: "all_circuits_open", message: expect.any(String) });
  });

  it("planning does not take the probe slot (the executor's canAttempt does)", () => {
    const state = openSince(NOW - COOLDOWN_MS);
    const breakerStates = new Map([[alpha.providerId, state]]);
    plan({ breakerStates });
    expect(breakerStates.get(alpha.providerId)).toEqual(openSince(NOW - COOLDOWN_MS));
  });
});
