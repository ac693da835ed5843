import "@/lib/server/server-only";
import type { WindowVerdict } from "@/lib/domain/limits/sliding-window";

/**
 * Counters every app instance shares: sliding windows (requests per minute per API key, sign-in
 * failures per account and per address, …) and leases of requests in flight per organisation.
 * Two backends with the same semantics: the database (RateCounter, InFlightRequest) and Redis.
 */

/** One event against a sliding window of `windowMs`, at `nowMs`. */
export type WindowEvent = { bucket: string; limit: number; windowMs: number; nowMs: number };

export type RequestAdmissionInput = {
  /** The caller's request-rate window (e.g. `rpm:<apiKeyId>`, a minute). */
  rate: { bucket: string; limit: number; windowMs: number };
  orgId: string;
  /** Used when the organisation has no maxConcurrentRequests of its own. */
  defaultOrgConcurrency: number;
  /** Names the lease; unique per request. */
  requestId: string;
  nowMs: number;
  /** A lease not released by then stops counting (its process died). */
  leaseMs: number;
};

export type RequestAdmission =
  | { kind: "admitted"; window: WindowVerdict; release: () => Promise<void> }
  | { kind: "rate_limited"; window: WindowVerdict }
  /** The window is as it was before the request (a refused request is not counted). */
  | { kind: "concurrency_limited"; window: WindowVerdict; concurrencyLimit: number };

export interface LimitStore {
  readonly backend: "sqlite" | "postgresql" | "redis";
  /** Counts the event if it fits the limit; the verdict says whether it did. */
  hit(event: WindowEvent): Promise<WindowVerdict>;
  /** Whether one more event would fit, counting nothing. */
  peek(event: WindowEvent): Promise<WindowVerdict>;
  /** Forgets a bucket's counts (e.g. a successful sign-in clears its failures). */
  clear(bucket: string, windowMs: number, nowMs: number): Promise<void>;
  /** A routed request: its key's rate and its organisation's concurrency, both or neither. */
  admitRequest(input: RequestAdmissionInput): Promise<RequestAdmission>;
}
