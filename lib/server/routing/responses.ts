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
  type StoredContext,
} from "@/lib/domain/routing/responses-api";
import type { Db } from "@/lib/server/db/client";
import { runChatLike, type ChatLikeDialect, type DialectContext } from "./chat-pipeline";
import { authenticateRequest, readJsonBody, type GatewayOptions } from "./edge";
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

/** What one request's steps share: the stored context its body refers to, and its parsed form. */
type RequestState = { stored: StoredContext; parsed: ParsedResponsesRequest | null };

/** Cheap test on the body's text: only a body that may refer to stored responses is parsed early. */
const MAY_REFER_TO_STORED = /"(?:previous_response_id|item_reference|id)"\s*:/;

/**
 * The request as the pipeline reads it, loading the stored responses its body refers to when the
 * pipeline reads the body — after authentication and admission, so a refused request loads
 * nothing, and before the body is parsed (parsing is synchronous). The pipeline does not hand its
 * caller to a dialect, so a body that refers to stored responses is authenticated a second time
 * to know its organisation; every other body costs one regular-expression test.
 */
function loadingStoredReferences(db: Db, request: GatewayRequest, state: RequestState): GatewayRequest {
  return {
    headers: request.headers,
    signal: request.signal,
    async text() {
      const text = await request.text();
      if (!MAY_REFER_TO_STORED.test(text)) return text;
      // The pipeline's own reader, so an oversized, too deep or malformed body fails exactly as it would there.
      const refs = findStoredReferences(await readJsonBody({ headers: request.headers, signal: request.signal, text: async () => text }));
      if (refs.previousResponseId === null && refs.itemIds.length === 0) return text;
      const now = new Date();
      const caller = await authenticateRequest(db, request, now);
      state.stored = await loadStoredContext(db, caller.orgId, refs, now);
      return text;
    },
  };
}

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
    toChatRequest(body) {
      try {
        state.parsed = parseResponsesRequest(body, state.stored);
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
  const state: RequestState = { stored: NO_STORED_CONTEXT, parsed: null };
  return runChatLike(db, loadingStoredReferences(db, request, state), options, responsesDialect(db, state, options));
}
