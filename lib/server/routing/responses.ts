import "@/lib/server/server-only";
import {
  createResponsesStreamEncoder,
  findStoredReferences,
  NO_STORED_CONTEXT,
  parseResponsesRequest,
  renderResponse,
  ResponsesRequestError,
  type ParsedResponsesRequest,
  type ResponseObject,
} from "@/lib/domain/routing/responses-api";
import type { Db } from "@/lib/server/db/client";
import { runChatLike, type ChatLikeDialect, type DialectContext } from "./chat-pipeline";
import type { GatewayOptions } from "./edge";
import { OpenAiError } from "./openai-errors";
import type { GatewayReply, GatewayRequest } from "./reply";
import { loadStoredContext, storeAfterReply } from "./stored-responses";

/**
 * `POST /api/v1/responses`: OpenAI's Responses API on the same metered pipeline as chat
 * completions (chat-pipeline.ts) — authenticated, limited, held, failed over, settled and
 * recorded alike (usage endpoint "responses"). This dialect translates (the request into a chat
 * request, the completion into a Response object, chunks into Responses events:
 * lib/domain/routing/responses-api.ts) and keeps conversations (stored-responses.ts): what a
 * request continues is loaded before it is parsed, and a finished response is stored after its
 * reply is out (`store`, on by default).
 */

/** What one request's steps share: its parsed form, once the pipeline has parsed it. */
type RequestState = { parsed: ParsedResponsesRequest | null };

function responsesDialect(db: Db, state: RequestState, options: GatewayOptions): ChatLikeDialect {
  const parsedOf = () => {
    if (!state.parsed) throw new Error("the Responses dialect rendered a reply before parsing its request");
    return state.parsed;
  };
  /** A finished response (completed or incomplete) is kept unless the request said `store: false`. */
  const keep = (response: ResponseObject, context: DialectContext) => {
    const parsed = parsedOf();
    if (parsed.echo.store) storeAfterReply(db, { requestId: context.requestId, response, conversationInput: parsed.conversationInput }, options.settleAfterResponse);
  };
  return {
    endpoint: "responses",
    async toChatRequest(body, caller) {
      // Stored responses the body refers to (previous_response_id, item references), of the caller's own organisation only.
      const refs = findStoredReferences(body);
      const stored = refs.previousResponseId === null && refs.itemIds.length === 0 ? NO_STORED_CONTEXT : await loadStoredContext(db, caller.orgId, refs, new Date());
      try {
        state.parsed = parseResponsesRequest(body, stored);
        return state.parsed.chat;
      } catch (error) {
        if (error instanceof ResponsesRequestError) throw new OpenAiError(error.status, error.code, error.message, error.param);
        throw error;
      }
    },
    renderJson(completion, usage, xBlockable, context) {
      const response = renderResponse(context, parsedOf().echo, completion, usage, xBlockable);
      keep(response, context);
      return response;
    },
    createStreamEncoder: (_chatRequest, context) => createResponsesStreamEncoder({ ...context, echo: parsedOf().echo, onFinished: (response) => keep(response, context) }),
  };
}

export function handleResponses(db: Db, request: GatewayRequest, options: GatewayOptions = {}): Promise<GatewayReply> {
  const state: RequestState = { parsed: null };
  return runChatLike(db, request, options, responsesDialect(db, state, options));
}
