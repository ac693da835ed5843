import "@/lib/server/server-only";
import { db as defaultDb, type Db } from "@/lib/server/db/client";
import { errorResponse } from "@/lib/server/http/errors";
import { IDEMPOTENCY_KEY_HEADER, idempotencyRequestHash, withIdempotency } from "@/lib/server/http/idempotency";
import { parseJsonText, readJsonBodyText } from "@/lib/server/http/json-body";
import { API_SECURITY_HEADERS } from "@/lib/server/http/security-headers";
import { authenticateLenderToken } from "./tokens";

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** `body` is a POST's JSON body, read once within the JSON body limit (undefined on a GET). */
export type LenderApiContext<P> = { orgId: string; tokenId: string; params: P; body: unknown };
export type LenderApiOptions = {
  /**
   * Honour an `Idempotency-Key` header (Stripe semantics, lib/server/http/idempotency.ts). Use it on
   * every POST that changes something. The handler's status and body are stored and replayed (with
   * `idempotent-replayed: true`); its other headers are not, so answer JSON. A thrown error is
   * not stored, so a retry with the same key runs again.
   */
  idempotent?: boolean;
  /** Tests pass their own database; routes leave it out. */
  db?: Db;
};

/**
 * The wrapper every lender-API route handler goes through: authenticates `Authorization: Bearer
 * lk-bl-…` (401 otherwise), hands the handler the token's organisation, and turns every thrown
 * error into JSON `{ error: { message, type, code, param } }` with its status (ApiError, zod → 400,
 * anything else → 500 without details). A POST's body is read here, once, by readJsonBody's rules
 * (over the limit a 413 without reading the rest, not JSON a 415 or 400) and handed over as
 * `body`. Put `orgId` in every query's `where`, so another lender's loan reads as 404, and audit
 * changes with `actorKind: "api"`.
 *
 * @example
 * // app/api/lender/v1/loans/[loanId]/freeze/route.ts
 * export const POST = lenderApi<{ loanId: string }>(
 *   async (request, { orgId, tokenId, params, body }) => {
 *     const input = freezeInput.parse(body);                          // zod errors become 400
 *     const loan = await freezeLoan(db, { lenderOrgId: orgId, loanId: params.loanId, actor: { kind: "api", tokenId }, ...input });
 *     return Response.json({ loan: serializeLoan(loan) });
 *   },
 *   { idempotent: true },
 * );
 */
export function lenderApi<P = Record<string, string>>(
  handler: (request: Request, context: LenderApiContext<P>) => Promise<Response>,
  options: LenderApiOptions = {},
) {
  const answer = async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const db = options.db ?? defaultDb;
    try {
      const { orgId, tokenId } = await authenticateLenderToken(db, request.headers.get("authorization"));
      const hasBody = request.method !== "GET" && request.method !== "HEAD";
      const bodyText = hasBody ? await readJsonBodyText(request) : null;
      const handlerContext = { orgId, tokenId, params: await context.params, body: bodyText === null ? undefined : parseJsonText(bodyText) };
      const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
      if (!options.idempotent || !hasBody || key === null) {
        return await handler(request, handlerContext);
      }
      const url = new URL(request.url);
      const requestHash = idempotencyRequestHash(request.method, url.pathname + url.search, bodyText ?? "");
      const result = await withIdempotency(db, { orgId, key, requestHash }, async () => {
        const response = await handler(request, handlerContext);
        return { status: response.status, body: await response.text() };
      });
      const headers: Record<string, string> = {};
      if (result.isReplay) headers["idempotent-replayed"] = "true";
      // 204 and friends may not carry a body, not even an empty one.
      if (NULL_BODY_STATUSES.has(result.status)) return new Response(null, { status: result.status, headers });
      return new Response(result.body, { status: result.status, headers: { ...headers, "content-type": "application/json" } });
    } catch (error) {
      return errorResponse(error);
    }
  };
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const response = await answer(request, context);
    // Set here, not only by proxy.ts: a request the proxy sees has its whole body read (Next buffers
    // it for the proxy) before the handler runs, so the lender API is best served outside it, the
    // way the routing API is, and its replies must stay inert on their own.
    for (const name in API_SECURITY_HEADERS) if (!response.headers.has(name)) response.headers.set(name, API_SECURITY_HEADERS[name]);
    return response;
  };
}
