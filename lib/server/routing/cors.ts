import "@/lib/server/server-only";
import { API_SECURITY_HEADERS } from "@/lib/server/http/security-headers";
import { OpenAiError, openAiErrorBody } from "./openai-errors";
import { newRequestId } from "./reply";

/**
 * CORS for the routing API, so browser tools (playgrounds, the openai SDK with
 * `dangerouslyAllowBrowser`) can call it from any origin. Any origin is safe: the API is
 * authenticated by the API key the caller sends, never by cookies, so a foreign page can do
 * nothing it could not do without a browser. Replies are never credentialed, hence `*`.
 */

/** What a browser script may read from a reply beyond the safelisted headers. */
export const CORS_EXPOSED_HEADERS = [
  "x-request-id",
  "x-ratelimit-limit-requests",
  "x-ratelimit-remaining-requests",
  "x-ratelimit-reset-requests",
  "x-ratelimit-limit-tokens",
  "x-ratelimit-remaining-tokens",
  "x-ratelimit-reset-tokens",
  "retry-after",
  "server-timing",
].join(", ");

/** CORS alone: any origin, never credentialed. */
export const CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "access-control-allow-origin": "*",
  "access-control-expose-headers": CORS_EXPOSED_HEADERS,
});

/**
 * On every routing API reply: CORS and the API security headers (nosniff, nothing framed or run,
 * HSTS under HTTPS). The routing API never passes through proxy.ts, which adds them to the other
 * routes: one shared object, built at start and spread into each reply's headers (the hot path).
 */
export const ROUTING_API_HEADERS: Readonly<Record<string, string>> = Object.freeze({ ...CORS_HEADERS, ...API_SECURITY_HEADERS });

/** Browsers cap it lower (Chromium at 2 h); a day saves a preflight per request where they do not. */
const PREFLIGHT_MAX_AGE_SECONDS = "86400";
/** Header names and the commas between them: anything else in the request is not echoed. */
const HEADER_NAME_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/**
 * A preflight's answer for an endpoint allowing `allow` (e.g. "POST, OPTIONS"). The requested
 * headers are echoed back rather than listed: the SDKs send their own (`x-stainless-*`,
 * `openai-beta`, …) and a list would refuse the next one they add; `*` would not cover
 * `authorization` (the Fetch standard requires naming it).
 */
export function preflightHeaders(allow: string, requestedHeaders: string | null | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    ...ROUTING_API_HEADERS,
    allow,
    "access-control-allow-methods": allow,
    "access-control-max-age": PREFLIGHT_MAX_AGE_SECONDS,
    vary: "access-control-request-headers",
  };
  if (requestedHeaders && requestedHeaders.length <= 4096 && HEADER_NAME_LIST.test(requestedHeaders.trim())) {
    headers["access-control-allow-headers"] = requestedHeaders.trim();
  }
  return headers;
}

/** The 405 of an endpoint that allows only `allow`, in OpenAI's shape. */
export function methodNotAllowedError(method: string | undefined, allow: string): OpenAiError {
  const allowed = allow
    .split(", ")
    .filter((m) => m !== "OPTIONS" && m !== "HEAD")
    .join(" or ");
  return new OpenAiError(405, "method_not_allowed", `${method ?? "This method"} is not supported here; send a ${allowed}.`, null, "invalid_request_error", { allow });
}

/** The allowed methods of an App Router route of the routing API that serves GET. */
export const GET_ALLOW = "GET, HEAD, OPTIONS";
/** The allowed methods of an endpoint that serves POST. */
export const POST_ALLOW = "POST, OPTIONS";

/**
 * The handlers of an App Router route of the routing API for every method it does not serve:
 * a CORS preflight for OPTIONS and OpenAI's JSON 405 for the rest (Next's own 405 has no body).
 */
export function otherMethods(allow: string) {
  const notAllowed = (request: Request): Response => {
    const error = methodNotAllowedError(request.method, allow);
    return Response.json(openAiErrorBody(error), { status: 405, headers: { ...ROUTING_API_HEADERS, "x-request-id": newRequestId(), ...error.headers } });
  };
  const preflight = (request: Request): Response => new Response(null, { status: 204, headers: preflightHeaders(allow, request.headers.get("access-control-request-headers")) });
  return { notAllowed, preflight };
}

/** Adds the routing API's headers (CORS, security) to a reply an App Router route built (its headers are mutable). */
export function withCors(response: Response): Response {
  for (const name in ROUTING_API_HEADERS) response.headers.set(name, ROUTING_API_HEADERS[name]);
  return response;
}
