import "@/lib/server/server-only";
import { randomUUID } from "node:crypto";

/** The id every routing API response carries in `x-request-id` (and usage events record). */
export function newRequestId(): string {
  return `req_${randomUUID().replace(/-/g, "")}`;
}

/**
 * What the routing API's handlers read of a request. A Web `Request` has it; so does the thin view
 * of Node's request that the Pages API routes build (lib/server/http/node-gateway.ts) without
 * paying for a Web Request and its body stream.
 */
export type GatewayRequest = {
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
};

/**
 * Where a streamed reply writes its text: Node's response itself (lib/server/http/node-gateway.ts),
 * with no Web stream between: under Next every promise also passes its async hooks, and a Web
 * stream costs several per read (docs/benchmarks.md, "Streams against Portkey").
 */
export type StreamSink = {
  /** Sends text now; false when the client's buffer is full: wait for `room()` before writing more. */
  write(text: string): boolean;
  /** Resolves once the client can take more, or has gone (`isGone`). */
  room(): Promise<void>;
  /** Sends the status line and headers now, ahead of the first text (which would otherwise carry them). */
  flushHeaders(): void;
  end(): void;
  /** The client went away before the reply ended. */
  readonly isGone: boolean;
};

/**
 * A handler's answer, not yet bound to a server: the metered routes write it straight to Node's
 * response (node-gateway.ts); an App Router route turns an error into a Web `Response`. A stream's
 * `pump` writes its whole body to the sink and resolves when it is done (ended, or given up
 * because the client left).
 */
export type GatewayReply =
  | { kind: "json"; status: number; headers: Record<string, string>; json: unknown }
  | { kind: "stream"; status: number; headers: Record<string, string>; pump: (sink: StreamSink) => Promise<void> }
  | { kind: "empty"; status: number; headers: Record<string, string> };

export type JsonReply = Extract<GatewayReply, { kind: "json" }>;

export function jsonReply(json: unknown, init: { status?: number; headers?: Record<string, string> } = {}): JsonReply {
  return { kind: "json", status: init.status ?? 200, headers: init.headers ?? {}, json };
}

export function toWebResponse(reply: JsonReply): Response {
  return Response.json(reply.json, { status: reply.status, headers: reply.headers });
}

