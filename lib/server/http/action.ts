import "@/lib/server/server-only";
import { headers } from "next/headers";
import { z } from "zod";
import type { Permission } from "@/lib/domain/auth/permissions";
import { requireViewer, type Viewer } from "@/lib/server/auth/guard";
import { toApiError } from "./errors";
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext } from "./request-context";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { message: string; code: string; field: string | null } };

/**
 * A server action with its guard and its input schema in the first line: role and permission are
 * checked inside the action, input is parsed by zod, and errors come back as values, not throws.
 */
export function defineAction<S extends z.ZodType, T>(
  options: { permission: Permission; input: S },
  run: (input: z.infer<S>, viewer: Viewer) => Promise<T>,
) {
  return async (raw: z.input<S>): Promise<ActionResult<T>> =>
    // Inside a request context, so the audit entries it writes carry the request's id.
    runWithRequestContext(await incomingRequestId(), async (): Promise<ActionResult<T>> => {
      try {
        const viewer = await requireViewer(options.permission);
        const input = options.input.parse(raw);
        return { ok: true, data: await run(input, viewer) };
      } catch (error) {
        const apiError = toApiError(error);
        return { ok: false, error: { message: apiError.message, code: apiError.code, field: apiError.param } };
      }
    });
}

/** The x-request-id the action's POST came with (when sane), else a new id; outside a request (tests, scripts), a new one. */
async function incomingRequestId(): Promise<string> {
  try {
    return requestIdFrom((await headers()).get(REQUEST_ID_HEADER));
  } catch {
    return requestIdFrom(null);
  }
}
