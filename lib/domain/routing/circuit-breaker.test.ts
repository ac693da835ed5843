import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canAttempt, initialBreakerState, recordFailure, recordSuccess, releaseProbe, type BreakerState } from "./circuit-breaker";

const COOLDOWN = { cooldownMs: 30_000 };
const THRESHOLD = { failureThreshold: 3 };

const closed = (consecutiveFailures = 0): BreakerState => ({ status: "closed", consecutiveFailures, openedAtMs: null, probeInFlight: false });
const open = (openedAtMs: number, consecutiveFailures = 3): BreakerState => ({ status: "open", consecutiveFailures, openedAtMs, probeInFlight: false });
const halfOpen = (probeInFlight: boolean, openedAtMs = 0): BreakerState => ({ status: "half_open", consecutiveFailures: 3, openedAtMs, probeInFlight });

describe("canAttempt", () => {
  it.each<[string, BreakerState, number, boolean, Partial<BreakerState>]>([
    ["a fresh breaker lets requests through", initialBreakerState(), 0, true, { status: "closed" }],
    ["closed with some failures still lets requests through", closed(2), 5, true, { status: "closed", consecutiveFailures: 2 }],
    ["open, 1 ms before the cooldown ends, refuses", open(1_000), 30_999, false, { status: "open", openedAtMs: 1_000 }],
    ["open, exactly at the end of the cooldown, lets one probe through", open(1_000), 31_000, true, { status: "half_open", probeInFlight: true, openedAtMs: 1_000 }],
    ["open, long after the cooldown, lets one probe through", open(1_000), 900_000, true, { status: "half_open", probeInFlight: true }],
    ["half-open with the probe out refuses a second request", halfOpen(true), 900_000, false, { status: "half_open", probeInFlight: true }],
    ["half-open with the probe slot free grants it", halfOpen(false), 900_000, true, { status: "half_open", probeInFlight: true }],
    ["open without a timestamp starts its cooldown now instead of never", { ...open(0), openedAtMs: null }, 50, false, { status: "open", openedAtMs: 50 }],
  ])("%s", (_label, state, nowMs, allowed, expected) => {
    const decision = canAttempt(state, nowMs, COOLDOWN);
    expect(decision.allowed).toBe(allowed);
    expect(decision.state).toMatchObject(expected);
  });

  it("does not change the state it is given (a discarded call is a peek)", () => {
    const state = open(0);
    canAttempt(state, 60_000, COOLDOWN);
    expect(state).toEqual(open(0));
  });

  it("a zero cooldown half-opens immediately", () => {
    expect(canAttempt(open(10), 10, { cooldownMs: 0 }).allowed).toBe(true);
  });

  it.each([[-1], [1.5], [Number.NaN]])("refuses a cooldown of %s ms", (cooldownMs) => {
    expect(() => canAttempt(initialBreakerState(), 0, { cooldownMs })).toThrow(RangeError);
  });
});

describe("recordFailure", () => {
  it.each<[string, BreakerState, number, BreakerState]>([
    ["first failure of a closed breaker only counts", closed(0), 100, closed(1)],
    ["one short of the threshold stays closed", closed(1), 100, closed(2)],
    ["reaching the threshold opens, cooldown from now", closed(2), 100, open(100, 3)],
    ["a failed probe re-opens with a fresh openedAt", halfOpen(true, 0), 45_000, open(45_000, 4)],
    ["a late failure while open keeps the original openedAt", open(1_000, 3), 20_000, open(1_000, 4)],
  ])("%s", (_label, state, nowMs, expected) => {
    expect(recordFailure(state, nowMs, THRESHOLD)).toEqual(expected);
  });

  it("a threshold of 1 opens on the first failure", () => {
    expect(recordFailure(initialBreakerState(), 7, { failureThreshold: 1 })).toEqual(open(7, 1));
  });

  it.each([[0], [-1], [2.5]])("refuses a threshold of %s", (failureThreshold) => {
    expect(() => recordFailure(initialBreakerState(), 0, { failureThreshold })).toThrow(RangeError);
  });
});

describe("recordSuccess and releaseProbe", () => {
  it.each<[string, BreakerState]>([
    ["closed with failures", closed(2)],
    ["a successful probe", halfOpen(true)],
    ["a late success while open", open(5)],
  ])("success closes and resets: %s", (_label, state) => {
    expect(recordSuccess(state)).toEqual(initialBreakerState());
  });

  it.each<[string, BreakerState, BreakerState]>([
    ["an abandoned probe frees the slot", halfOpen(true, 9), halfOpen(false, 9)],
    ["outside half-open it changes nothing", open(9), open(9)],
    ["closed stays closed", closed(1), closed(1)],
  ])("%s", (_label, state, expected) => {
    expect(releaseProbe(state)).toEqual(expected);
  });
});

type BreakerEvent = { kind: "attempt"; advanceMs: number } | { kind: "success" } | { kind: "failure"; advanceMs: number } | { kind: "release" };

const eventArb: fc.Arbitrary<BreakerEvent> = fc.oneof(
  fc.record({ kind: fc.constant("attempt" as const), advanceMs: fc.integer({ min: 0, max: 20_000 }) }),
  fc.record({ kind: fc.constant("attempt" as const), advanceMs: fc.constant(0) }),
  fc.record({ kind: fc.constant("success" as const) }),
  fc.record({ kind: fc.constant("failure" as const), advanceMs: fc.integer({ min: 0, max: 20_000 }) }),
  fc.record({ kind: fc.constant("release" as const) }),
);

function run(events: BreakerEvent[], onAttempt?: (allowed: boolean, before: BreakerState, nowMs: number) => void) {
  let state = initialBreakerState();
  let nowMs = 0;
  for (const event of events) {
    if (event.kind === "attempt") {
      nowMs += event.advanceMs;
      const decision = canAttempt(state, nowMs, { cooldownMs: 10_000 });
      onAttempt?.(decision.allowed, state, nowMs);
      state = decision.state;
    } else if (event.kind === "failure") {
      nowMs += event.advanceMs;
      state = recordFailure(state, nowMs, THRESHOLD);
    } else if (event.kind === "success") {
      state = recordSuccess(state);
    } else {
      state = releaseProbe(state);
    }
  }
  return { state, nowMs };
}

describe("circuit breaker (property)", () => {
  it("never grants a second probe while one is in flight", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
        // Probes granted since the last verdict (success, failure or release) ended the previous one.
        let probesOutstanding = 0;
        let state = initialBreakerState();
        let nowMs = 0;
        for (const event of events) {
          if (event.kind === "attempt") {
            nowMs += event.advanceMs;
            const decision = canAttempt(state, nowMs, { cooldownMs: 10_000 });
            if (decision.allowed && decision.state.status === "half_open") probesOutstanding++;
            expect(probesOutstanding).toBeLessThanOrEqual(1);
            state = decision.state;
          } else {
            if (event.kind === "failure") nowMs += event.advanceMs;
            state = event.kind === "failure" ? recordFailure(state, nowMs, THRESHOLD) : event.kind === "success" ? recordSuccess(state) : releaseProbe(state);
            probesOutstanding = 0;
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("is open after N consecutive failures, whatever came before", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), fc.integer({ min: 0, max: 5 }), (history, extra) => {
        const failures = Array.from({ length: THRESHOLD.failureThreshold + extra }, (): BreakerEvent => ({ kind: "failure", advanceMs: 1 }));
        const { state } = run([...history, ...failures]);
        expect(state.status).toBe("open");
        expect(state.probeInFlight).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it("refuses every request while open and inside the cooldown, and grants one once it has passed", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
        run(events, (allowed, before, nowMs) => {
          if (before.status !== "open") return;
          expect(allowed).toBe(nowMs - before.openedAtMs! >= 10_000);
        });
      }),
      { numRuns: 2_000 },
    );
  });
});
