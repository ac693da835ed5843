import "@/lib/server/server-only";
import type { Permission } from "@/lib/domain/auth/permissions";
import { requireViewer, type Viewer } from "@/lib/server/auth/guard";
import { errorResponse } from "./errors";
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext } from "./request-context";

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a session-authenticated route handler: the permission is checked first, inside the
 * handler's own request, and every error leaves as JSON in one shape.
 */
export function authed<P = Record<string, string>>(
  options: { permission: Permission },
  handler: (request: Request, context: { viewer: Viewer; params: P }) => Promise<Response>,
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    // One request id per call (the caller's x-request-id when sane): audit entries written inside
    // carry it, and the answer names it.
    const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
    const response = await runWithRequestContext(requestId, async () => {
      try {
        const viewer = await requireViewer(options.permission);
        return await handler(request, { viewer, params: await context.params });
      } catch (error) {
        return errorResponse(error);
      }
    });
    try {
      if (!response.headers.has(REQUEST_ID_HEADER)) response.headers.set(REQUEST_ID_HEADER, requestId);
    } catch {
      // A response with immutable headers (a redirect, a fetched one passed through) keeps its own.
    }
    return response;
  };
}
