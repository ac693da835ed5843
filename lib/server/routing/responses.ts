import "@/lib/server/server-only";
import { createResponsesStreamEncoder, parseResponsesRequest, renderResponse, ResponsesRequestError, type ResponseEcho } from "@/lib/domain/routing/responses-api";
import type { Db } from "@/lib/server/db/client";
import { runChatLike, type ChatLikeDialect } from "./chat-pipeline";
import type { GatewayOptions } from "./edge";
import { OpenAiError } from "./openai-errors";
import type { GatewayReply, GatewayRequest } from "./reply";

/**
 * `POST /api/v1/responses`: OpenAI's Responses API on the same metered pipeline as chat
 * completions (chat-pipeline.ts) — authenticated, limited, held, failed over, settled and
 * recorded alike (usage endpoint "responses"). This dialect only translates: the request into a
 * chat request, the completion into a Response object, chunks into Responses events
 * (lib/domain/routing/responses-api.ts).
 */

/** One per request: the Response object echoes the request's settings, which only parsing knows. */
function responsesDialect(): ChatLikeDialect {
  let echo: ResponseEcho | null = null;
  const echoOf = () => {
    if (!echo) throw new Error("the Responses dialect rendered a reply before parsing its request");
    return echo;
  };
  return {
    endpoint: "responses",
    toChatRequest(body) {
      try {
        const parsed = parseResponsesRequest(body);
        echo = parsed.echo;
        return parsed.chat;
      } catch (error) {
        if (error instanceof ResponsesRequestError) throw new OpenAiError(400, error.code, error.message, error.param);
        throw error;
      }
    },
    renderJson: (completion, usage, xBlockable, context) => renderResponse(context, echoOf(), completion, usage, xBlockable),
    createStreamEncoder: (_chatRequest, context) => createResponsesStreamEncoder({ ...context, echo: echoOf() }),
  };
}

export function handleResponses(db: Db, request: GatewayRequest, options: GatewayOptions = {}): Promise<GatewayReply> {
  return runChatLike(db, request, options, responsesDialect());
}
