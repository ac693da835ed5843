// Which server-action requests the proxy refuses before Next sees them. Next 16 answers a
// cross-origin action, a body over `serverActions.bodySizeLimit` and a body its decoder cannot
// read with HTTP 500 (its action handler maps every error it meets to 500; see issue 18). These
// rules mirror what Next would refuse, so a refusal here is a precise 4xx instead — and never
// refuse what Next's own client sends for this app's actions. Pure: headers in, a decision out.

/**
 * A server action's largest body: next.config.ts sets `experimental.serverActions.bodySizeLimit`
 * to this (a test keeps the two equal). The GPU index CSV import (900,000 characters) fits.
 */
export const SERVER_ACTION_BODY_MAX_BYTES = 1024 * 1024;

/** Next refuses an action called with more arguments than this (SERVER_ACTION_ARGS_LIMIT). */
export const SERVER_ACTION_MAX_ARGS = 1000;

/**
 * Deeper than any action input of this app (a few levels); React's decoder and zod walk a value
 * recursively, so a body nested tens of thousands deep would overflow their stack.
 */
export const SERVER_ACTION_MAX_DEPTH = 32;

export type ActionRequestHead = {
  method: string;
  pathname: string;
  /** The `Next-Action` header: the action's id, present on every call Next's client makes. */
  nextAction: string | null;
  contentType: string | null;
  contentLength: string | null;
  origin: string | null;
  host: string | null;
  forwardedHost: string | null;
};

export type ActionRefusal = { status: 400 | 403 | 413 | 415; reason: string; message: string };

export type ActionRequestDecision =
  | { kind: "pass" }
  | { kind: "refuse"; refusal: ActionRefusal }
  /** The head is fine; read at most `maxBytes` of the body and check it with `checkActionBody`. */
  | { kind: "check-body"; maxBytes: number };

/** Next's action ids: 42 hex digits (a 2-digit info byte and a SHA-1); Next refuses other lengths with 400. */
const ACTION_ID = /^[0-9a-f]{42}$/;

export function bodyTooLarge(maxBytes: number): ActionRefusal {
  return { status: 413, reason: "body_too_large", message: `The request body is over ${maxBytes.toLocaleString("en-US")} bytes, the most a server action takes.` };
}

/**
 * Decides on a request from its head alone. Only requests Next would treat as a server action are
 * looked at: a POST to a page (route handlers under /api never run actions) with a `Next-Action`
 * header or a multipart body (Next tries a multipart POST as a no-JavaScript form action).
 */
export function decideActionRequest(head: ActionRequestHead, options: { maxBodyBytes: number; allowedOriginHosts?: readonly string[] }): ActionRequestDecision {
  const isMultipart = head.contentType?.toLowerCase().startsWith("multipart/form-data") ?? false;
  const isPage = head.pathname !== "/api" && !head.pathname.startsWith("/api/");
  if (head.method !== "POST" || !isPage || (head.nextAction === null && !isMultipart)) return { kind: "pass" };

  const origin = checkActionOrigin(head, options.allowedOriginHosts ?? []);
  if (origin) return { kind: "refuse", refusal: origin };

  // This app's forms call their actions with JSON-like values, which Next's client sends as a text
  // body; multipart is only for File, Blob, FormData or Map arguments (none here) and for
  // <form action={…}> without JavaScript (none here). Next's multipart parsing answers a broken
  // body with 500, so it is refused up front.
  if (isMultipart) {
    return { kind: "refuse", refusal: { status: 415, reason: "unsupported_media_type", message: "This app's server actions take their arguments as JSON text, not multipart/form-data." } };
  }
  if (!ACTION_ID.test(head.nextAction ?? "")) {
    return { kind: "refuse", refusal: { status: 400, reason: "invalid_action_id", message: "The Next-Action header does not name a server action." } };
  }
  const declaredBytes = head.contentLength === null ? null : Number(head.contentLength);
  if (declaredBytes !== null && Number.isFinite(declaredBytes) && declaredBytes > options.maxBodyBytes) {
    return { kind: "refuse", refusal: bodyTooLarge(options.maxBodyBytes) };
  }
  return { kind: "check-body", maxBytes: options.maxBodyBytes };
}

/**
 * Next's CSRF check, to the letter (action-handler.ts): the Origin header's host must equal the
 * first `x-forwarded-host` when there is one, else `host` (the strings compared as they are), or
 * be listed in `serverActions.allowedOrigins`. No Origin at all is let through, as Next does (a
 * browser always sends one on a POST). A refusal where Next would also refuse, as a 403.
 */
export function checkActionOrigin(head: Pick<ActionRequestHead, "origin" | "host" | "forwardedHost">, allowedOriginHosts: readonly string[]): ActionRefusal | null {
  if (head.origin === null) return null;
  let originHost: string;
  if (head.origin === "null") {
    originHost = "null";
  } else {
    try {
      originHost = new URL(head.origin).host;
    } catch {
      return { status: 400, reason: "invalid_origin", message: "The Origin header is not a URL." };
    }
  }
  const forwardedHost = head.forwardedHost?.split(",")[0]?.trim();
  const appHost = forwardedHost || head.host;
  if (appHost && originHost === appHost) return null;
  if (allowedOriginHosts.some((allowed) => allowed.toLowerCase() === originHost.toLowerCase())) return null;
  return {
    status: 403,
    reason: "cross_origin_action",
    message: `Refused: a server action called from another origin (${originHost.slice(0, 100)}) than this site's (${(appHost ?? "no host").slice(0, 100)}).`,
  };
}

// The tags Next's client writes in a text body for plain data (React's encodeReply): "$$…" a string
// that starts with "$", "$D…" a Date, "$n…" a BigInt, "$undefined", "$NaN", "$Infinity",
// "$-Infinity", "$-0", and "$0:path" a second use of an object already written at that path. Every
// other tag points at a part of a multipart body or at server code, which a text body cannot have:
// React's decoder fails on them, and Next answers 500.
const INLINE_CONSTANTS = new Set(["$undefined", "$NaN", "$Infinity", "$-Infinity", "$-0"]);
const BIGINT = /^\$n-?\d{1,300}$/;

function malformed(message: string): ActionRefusal {
  return { status: 400, reason: "malformed_action_body", message: `The server action's body is malformed: ${message}` };
}

/**
 * Checks a server action's text body as React's decoder will read it: JSON, an array of at most
 * 1,000 arguments, nested at most 32 deep, with only the tags listed above, each "$0:path" naming
 * an object or array the body really holds. Null when the body is fine.
 */
export function checkActionBody(text: string): ActionRefusal | null {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return malformed("it is not JSON.");
  }
  if (!Array.isArray(root)) return malformed("the arguments must be a JSON array.");
  if (root.length > SERVER_ACTION_MAX_ARGS) return malformed(`at most ${SERVER_ACTION_MAX_ARGS.toLocaleString("en-US")} arguments.`);

  // Iterative, so a deeply nested body cannot overflow this check's own stack.
  const pending: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 1 }];
  while (pending.length > 0) {
    const { value, depth } = pending.pop()!;
    if (typeof value === "string") {
      if (value.startsWith("$") && !isInlineTag(value, root)) return malformed(`"${value.slice(0, 40)}" is not a value Next's client sends.`);
    } else if (value !== null && typeof value === "object") {
      if (depth > SERVER_ACTION_MAX_DEPTH) return malformed(`nested more than ${SERVER_ACTION_MAX_DEPTH} levels deep.`);
      for (const child of Object.values(value)) pending.push({ value: child, depth: depth + 1 });
    }
  }
  return null;
}

function isInlineTag(value: string, root: unknown[]): boolean {
  const tag = value[1];
  if (tag === "$" || tag === "D") return true;
  if (tag === "n") return BIGINT.test(value);
  if (INLINE_CONSTANTS.has(value)) return true;
  if (value.startsWith("$0:")) return isObjectAtPath(root, value.slice(3).split(":"));
  return false;
}

/** Whether the raw body holds an object or array at this path (React throws "Invalid reference" otherwise). */
function isObjectAtPath(root: unknown[], path: string[]): boolean {
  let node: unknown = root;
  for (const segment of path) {
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(segment) || Number(segment) >= node.length) return false;
      node = node[Number(segment)];
    } else if (node !== null && typeof node === "object" && Object.hasOwn(node, segment)) {
      node = (node as Record<string, unknown>)[segment];
    } else {
      return false;
    }
  }
  return node !== null && typeof node === "object";
}
