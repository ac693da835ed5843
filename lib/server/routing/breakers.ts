import "@/lib/server/server-only";
import { processWide } from "@/lib/server/process-wide";
import { canAttempt, initialBreakerState, recordFailure, recordSuccess, releaseProbe, type BreakerState } from "@/lib/domain/routing/circuit-breaker";

/**
 * Per-provider circuit breakers of this app instance. In memory on purpose: a breaker reacts to
 * what this instance sees within milliseconds, and a database round trip per decision would cost
 * more than the failure it saves.
 */
const states = processWide("breakerStates", () => new Map<string, BreakerState>());

export function breakerStates(): ReadonlyMap<string, BreakerState> {
  return states;
}

export function tryAcquire(providerId: string, nowMs: number, cooldownMs: number): boolean {
  const decision = canAttempt(states.get(providerId) ?? initialBreakerState(), nowMs, { cooldownMs });
  states.set(providerId, decision.state);
  return decision.allowed;
}

export function reportSuccess(providerId: string) {
  states.set(providerId, recordSuccess(states.get(providerId) ?? initialBreakerState()));
}

export function reportFailure(providerId: string, nowMs: number, failureThreshold: number) {
  states.set(providerId, recordFailure(states.get(providerId) ?? initialBreakerState(), nowMs, { failureThreshold }));
}

/** A probe that ended without a verdict (e.g. the client left) frees the half-open slot. */
export function reportNoVerdict(providerId: string) {
  const state = states.get(providerId);
  if (state) states.set(providerId, releaseProbe(state));
}

export function resetBreakers() {
  states.clear();
}
