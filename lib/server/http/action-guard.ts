import "@/lib/server/server-only";
import { bodyTooLarge, checkActionBody, decideActionRequest, SERVER_ACTION_BODY_MAX_BYTES, type ActionRefusal } from "@/lib/domain/http/action-request";
import { API_SECURITY_HEADERS } from "./security-headers";

/**
 * The extra origins server actions may be called from: next.config.ts's
 * `experimental.serverActions.allowedOrigins`, which sets none (same origin only). Add a host to
 * both, or Next would run an action this guard refuses.
 */
const ALLOWED_ORIGIN_HOSTS: readonly string[] = [];

/**
 * Called first thing in proxy.ts: a server-action request Next would answer with a 500 (a foreign
 * Origin, a body over the limit, a body its decoder cannot read, a multipart body) gets a precise
 * 4xx instead, with the API security headers; every other request gets null and goes on. The
 * refusal is `text/plain`, which Next's client shows as the thrown error's message.
 *
 * Reading the body here costs no extra wait: Next already buffers a proxied request's whole body
 * (up to `proxyClientMaxBodySize`) and hands the action a copy.
 */
export async function refuseBadActionRequest(request: Request): Promise<Response | null> {
  const headers = request.headers;
  const decision = decideActionRequest(
    {
      method: request.method,
      pathname: new URL(request.url).pathname,
      nextAction: headers.get("next-action"),
      contentType: headers.get("content-type"),
      contentLength: headers.get("content-length"),
      origin: headers.get("origin"),
      host: headers.get("host"),
      forwardedHost: headers.get("x-forwarded-host"),
    },
    { maxBodyBytes: SERVER_ACTION_BODY_MAX_BYTES, allowedOriginHosts: ALLOWED_ORIGIN_HOSTS },
  );
  if (decision.kind === "pass") return null;
  if (decision.kind === "refuse") return refusalResponse(decision.refusal);

  const body = await readCappedText(request, decision.maxBytes);
  const refusal = body === null ? bodyTooLarge(decision.maxBytes) : checkActionBody(body);
  return refusal ? refusalResponse(refusal) : null;
}

function refusalResponse(refusal: ActionRefusal): Response {
  // A misconfigured reverse proxy (a Host or X-Forwarded-Host other than the public one) refuses
  // every action: one line says which hosts disagreed.
  if (refusal.status === 403) console.warn(`Server action refused (${refusal.reason}): ${refusal.message}`);
  // Exactly "text/plain": Next's client uses the body as the error's message only then. Inert, like every API reply.
  return new Response(refusal.message, {
    status: refusal.status,
    headers: { ...API_SECURITY_HEADERS, "content-type": "text/plain", "cache-control": "no-store", "x-refusal-reason": refusal.reason },
  });
}

/**
 * The body as text (UTF-8, as Next decodes it), or null when it is over `maxBytes`. Past the
 * limit the rest is read and dropped, never kept: Next waits for the whole body anyway, and
 * cancelling the stream would tear down the connection before the 413 is sent.
 */
async function readCappedText(request: Request, maxBytes: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes <= maxBytes) chunks.push(value);
  }
  if (bytes > maxBytes) return null;
  return Buffer.concat(chunks).toString("utf8");
}
