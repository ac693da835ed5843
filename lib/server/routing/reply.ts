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
 * A handler's answer, not yet bound to a server: a route writes it straight to Node's response,
 * App Router routes and tests turn it into a Web `Response`.
 */
export type GatewayReply =
  | { kind: "json"; status: number; headers: Record<string, string>; json: unknown }
  | { kind: "stream"; status: number; headers: Record<string, string>; stream: ReadableStream<Uint8Array> }
  | { kind: "empty"; status: number; headers: Record<string, string> };

export function jsonReply(json: unknown, init: { status?: number; headers?: Record<string, string> } = {}): GatewayReply {
  return { kind: "json", status: init.status ?? 200, headers: init.headers ?? {}, json };
}

export function toWebResponse(reply: GatewayReply): Response {
  if (reply.kind === "json") return Response.json(reply.json, { status: reply.status, headers: reply.headers });
  if (reply.kind === "stream") return new Response(reply.stream, { status: reply.status, headers: reply.headers });
  return new Response(null, { status: reply.status, headers: reply.headers });
}
