// One breaker per provider, kept in process memory by the executor. Pure: every function takes the
// state and returns the next one, so the executor owns storage and the tests own the clock.

export type BreakerStatus = "closed" | "open" | "half_open";

export type BreakerState = {
  status: BreakerStatus;
  consecutiveFailures: number;
  /** When the breaker last opened; the cooldown counts from here. */
  openedAtMs: number | null;
  /** Half-open lets exactly one request test the provider; this marks it as taken. */
  probeInFlight: boolean;
};

export type BreakerDecision = { allowed: boolean; state: BreakerState };

export function initialBreakerState(): BreakerState {
  return { status: "closed", consecutiveFailures: 0, openedAtMs: null, probeInFlight: false };
}

function assertNonNegativeInteger(name: string, value: number) {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

/**
 * May a request go to this provider now? Call it right before each attempt and store the returned
 * state: granting the half-open probe is itself a state change, which is how a second concurrent
 * request is refused. Calling it and discarding the state is a side-effect-free peek.
 */
export function canAttempt(state: BreakerState, nowMs: number, options: { cooldownMs: number }): BreakerDecision {
  assertNonNegativeInteger("cooldownMs", options.cooldownMs);
  switch (state.status) {
    case "closed":
      return { allowed: true, state };
    case "open": {
      // An open breaker without a timestamp cannot time out; treat it as opened now rather than forever.
      const openedAtMs = state.openedAtMs ?? nowMs;
      if (nowMs - openedAtMs < options.cooldownMs) return { allowed: false, state: { ...state, openedAtMs } };
      return { allowed: true, state: { ...state, status: "half_open", openedAtMs, probeInFlight: true } };
    }
    case "half_open":
      if (state.probeInFlight) return { allowed: false, state };
      return { allowed: true, state: { ...state, probeInFlight: true } };
  }
}

/** Any success is proof the provider answers: close and forget the failures. */
export function recordSuccess(_state: BreakerState): BreakerState {
  return initialBreakerState();
}

/**
 * A retryable upstream failure (connect error, timeout, 429, 5xx). Opens after `failureThreshold`
 * consecutive failures; a failed probe re-opens at once with a fresh cooldown.
 */
export function recordFailure(state: BreakerState, nowMs: number, options: { failureThreshold: number }): BreakerState {
  if (!Number.isSafeInteger(options.failureThreshold) || options.failureThreshold < 1) {
    throw new RangeError(`failureThreshold must be a positive integer, got ${options.failureThreshold}`);
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  switch (state.status) {
    case "half_open":
      return { status: "open", consecutiveFailures, openedAtMs: nowMs, probeInFlight: false };
    case "open":
      // Late failures from requests sent before the breaker opened must not stretch the cooldown.
      return { ...state, consecutiveFailures, openedAtMs: state.openedAtMs ?? nowMs };
    case "closed":
      if (consecutiveFailures >= options.failureThreshold) return { status: "open", consecutiveFailures, openedAtMs: nowMs, probeInFlight: false };
      return { ...state, consecutiveFailures };
  }
}

/**
 * The probe ended without a verdict (the client went away before the upstream answered, or the
 * attempt was never sent): free the slot so the next request can probe, instead of leaving the
 * provider half-open with a probe that will never report back.
 */
export function releaseProbe(state: BreakerState): BreakerState {
  return state.status === "half_open" ? { ...state, probeInFlight: false } : state;
}
