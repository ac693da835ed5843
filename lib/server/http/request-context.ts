import "@/lib/server/server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

// The request a piece of server work belongs to. Every server action (defineAction) and session
// route handler (authed) runs inside one, so what it writes — audit entries above all — carries the
// request id that the server's logs (and, for routes, the response's x-request-id) also show.

export type RequestContext = { requestId: string };

export const REQUEST_ID_HEADER = "x-request-id";

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * A request id a client or a proxy may hand us: 8–128 characters of letters, digits and `._:-`
 * (a UUID, a "req_…" id, a load balancer's trace id). Anything else is replaced, never stored.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

export function isSaneRequestId(value: string | null | undefined): value is string {
  return typeof value === "string" && SANE_REQUEST_ID.test(value);
}

/** A new id in the routing API's shape: "req_" and 32 hex digits. */
export function newRequestId(): string {
  return `req_${randomUUID().replace(/-/g, "")}`;
}

/** The incoming header's id when it is sane, else a new one. */
export function requestIdFrom(headerValue: string | null | undefined): string {
  const trimmed = headerValue?.trim();
  return isSaneRequestId(trimmed) ? trimmed : newRequestId();
}

/** Runs `run` with `requestId` as the current request's id (for everything it awaits, too). */
export function runWithRequestContext<T>(requestId: string, run: () => T): T {
  return storage.run({ requestId }, run);
}

/** The current request's id, or null outside a request (background jobs, scripts, the seed). */
export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}
