import "@/lib/server/server-only";
import { ApiError } from "./errors";

/**
 * The body limit of every App Router route handler that takes JSON, unless it passes its own: the
 * lender API's largest body (a freeze with a 500-character reason) is a few hundred bytes.
 */
export const JSON_BODY_MAX_BYTES = 64 * 1024;

export type JsonBodyOptions = { maxBytes?: number };

/** `application/json`, or any `application/…+json`, with or without parameters. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

/**
 * The request's JSON body, read once, for every App Router JSON route handler: a declared or read
 * size over `maxBytes` is a 413 as soon as it is known (the rest is never read into memory), a
 * Content-Type other than JSON (or none) a 415, and a body that is not UTF-8 JSON a 400. Errors
 * are ApiErrors, so each route answers in its own shape.
 *
 * The Content-Type is required, not guessed: a browser can send text/plain or an untyped body to
 * another site without asking first (no CORS preflight), application/json it cannot. So a route
 * that authenticates with a cookie gets no cross-site JSON through this function.
 */
export async function readJsonBody(request: Request, options: JsonBodyOptions = {}): Promise<unknown> {
  return parseJsonText(await readJsonBodyText(request, options));
}

/** The body's text, with readJsonBody's limit and checks, for a caller that also needs the bytes (an idempotency hash). */
export async function readJsonBodyText(request: Request, { maxBytes = JSON_BODY_MAX_BYTES }: JsonBodyOptions = {}): Promise<string> {
  const contentType = request.headers.get("content-type");
  if (contentType === null || !JSON_MEDIA_TYPE.test(contentType.split(";")[0].trim())) {
    const got = contentType === null ? "none" : contentType.slice(0, 100);
    throw new ApiError(415, "unsupported_media_type", `Send the body as JSON with Content-Type: application/json (got ${got}).`);
  }
  return readBodyText(request, maxBytes);
}

/**
 * The body as UTF-8 text, at most `maxBytes`: a declared or read size over it is a 413 as soon as
 * it is known, and the rest is never read into memory. For a route that takes a body whatever its
 * Content-Type says (a machine client authenticated by a bearer token); others use readJsonBody.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declaredBytes = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declaredBytes > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      // Not cancelled: on Node, cancelling a request's body destroys the connection before the 413
      // goes out. The server drops what is left unread.
      if (bytes > maxBytes) throw tooLarge(maxBytes);
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError(400, "invalid_json", "The request body must be JSON in UTF-8.");
  }
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "The request body must be JSON.");
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, "body_too_large", `The request body is over ${maxBytes.toLocaleString("en-US")} bytes, the most this endpoint takes.`);
}
