import "@/lib/server/server-only";
import type { Permission } from "@/lib/domain/auth/permissions";
import { requireViewer, type Viewer } from "@/lib/server/auth/guard";
import { errorResponse } from "./errors";

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
    try {
      const viewer = await requireViewer(options.permission);
      return await handler(request, { viewer, params: await context.params });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
