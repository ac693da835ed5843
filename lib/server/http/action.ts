import "@/lib/server/server-only";
import { headers } from "next/headers";
import { z } from "zod";
import type { Permission } from "@/lib/domain/auth/permissions";
import { requireViewer, type Viewer } from "@/lib/server/auth/guard";
import { ApiError, toApiError } from "./errors";
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
        const input = parseInput(options.input, raw);
        return { ok: true, data: await run(input, viewer) };
      } catch (error) {
        const apiError = toApiError(error);
        return { ok: false, error: { message: apiError.message, code: apiError.code, field: apiError.param } };
      }
    });
}

/**
 * The argument as the schema reads it. An action is a public endpoint: its argument is whatever
 * the POST decoded to, not what the form sent. zod's own complaints are a 400 with the field; a
 * value zod cannot even read (a property read that throws, a stack overflow) is a 400 too, not an
 * unhandled error that escapes as a 500 with a stack in the log.
 */
function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  let parsed: z.ZodSafeParseResult<z.infer<S>>;
  try {
    parsed = schema.safeParse(raw);
  } catch (error) {
    // One line, no stack: the caller's doing, unless a schema itself is broken (then the message says so).
    console.warn(`Server action input refused: ${error instanceof Error ? error.message.slice(0, 200) : "unreadable value"}`);
    throw new ApiError(400, "invalid_request", "The action's input could not be read.");
  }
  if (!parsed.success) throw parsed.error;
  return parsed.data;
}

/** The x-request-id the action's POST came with (when sane), else a new id; outside a request (tests, scripts), a new one. */
async function incomingRequestId(): Promise<string> {
  try {
    return requestIdFrom((await headers()).get(REQUEST_ID_HEADER));
  } catch {
    return requestIdFrom(null);
  }
}
