import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import type { AfterResponse, GatewayHandler } from "@/lib/server/http/node-gateway";
import { trackDeferredSettlement } from "./deferred-settlements";
import { handleEmbeddings } from "./embeddings";
import { handleChatCompletions } from "./gateway";
import { handleResponses } from "./responses";

/** One metered endpoint: its handler, and what runs once its reply is out (a JSON reply's settlement). */
export type MeteredRoute = { handle: GatewayHandler; afterResponse: AfterResponse };

/**
 * The routing API's metered endpoints by path, each served on Node's request and response
 * (lib/server/http/node-gateway.ts): by the production server ahead of Next's request pipeline
 * (lib/server/http/app-server.ts) and, under `next dev` or a bare `next start`, by the Pages API
 * routes of the same paths. One table, so the two cannot serve a path differently.
 */
export function meteredRoutes(db: Db): Readonly<Record<string, MeteredRoute>> {
  const settledAfterReply: AfterResponse = { track: trackDeferredSettlement };
  return {
    "/api/v1/chat/completions": { handle: (request, options) => handleChatCompletions(db, request, options), afterResponse: settledAfterReply },
    "/api/v1/responses": { handle: (request, options) => handleResponses(db, request, options), afterResponse: settledAfterReply },
    "/api/v1/embeddings": { handle: (request) => handleEmbeddings(db, request), afterResponse: {} },
  };
}
