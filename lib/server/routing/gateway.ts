import "@/lib/server/server-only";
import { z } from "zod";
import { createChatStreamEncoder } from "@/lib/domain/routing/chat-stream-encoder";
import { findUnsupportedChatParam } from "@/lib/domain/routing/unsupported-params";
import type { Db } from "@/lib/server/db/client";
import type { ChatCompletionRequest } from "@/lib/server/providers/types";
import { runChatLike, type ChatLikeDialect } from "./chat-pipeline";
import { parseWith, type GatewayOptions } from "./edge";
import { OpenAiError } from "./openai-errors";
import type { GatewayReply, GatewayRequest } from "./reply";

// The edge steps every endpoint shares live in edge.ts; they are re-exported here, where the
// routing API's other modules and tests have always found them.
export {
  authenticateRequest,
  errorReply,
  errorToResponse,
  findModelOrThrow,
  HOLD_TTL_MS,
  MAX_BODY_BYTES,
  parseWith,
  planOrThrow,
  readJsonBody,
  requestTooLarge,
  reserveOrThrow,
  type Caller,
  type GatewayOptions,
} from "./edge";

// ───────────────────────────── The Chat Completions request ─────────────────────────────
// Tight enough that no malformed body reaches an adapter (where it would be a 500 or a provider
// "failure"), loose where OpenAI's API is: unknown fields pass through to OpenAI-compatible upstreams.

const contentPartSchema = z.looseObject({ type: z.string().min(1, "a content part needs a `type`") }).superRefine((part, ctx) => {
  if (part.type === "text" && typeof part.text !== "string") ctx.addIssue({ code: "custom", path: ["text"], message: "a text part needs `text` as a string" });
  if (part.type === "image_url") {
    const image = part.image_url;
    const url = typeof image === "object" && image !== null ? (image as { url?: unknown }).url : undefined;
    if (typeof url !== "string") ctx.addIssue({ code: "custom", path: ["image_url", "url"], message: "an image_url part needs `image_url.url` as a string" });
  }
});

export const toolCallSchema = z.looseObject({
  id: z.string("a tool call needs its `id` as a string"),
  type: z.literal("function", 'only function tool calls are supported: `type` must be "function"').optional(),
  function: z.looseObject({
    name: z.string("a tool call needs `function.name` as a string").min(1, "a tool call needs a `function.name`"),
    arguments: z.string("`function.arguments` is the arguments' JSON, as a string"),
  }),
});

export const chatMessageSchema = z
  .looseObject({
    role: z.enum(["system", "user", "assistant", "tool", "developer"]),
    content: z.union([z.string(), z.null(), z.array(contentPartSchema)]).optional(),
    name: z.string().optional(),
    tool_calls: z.array(toolCallSchema).nullish(),
    tool_call_id: z.string().optional(),
  })
  .superRefine((message, ctx) => {
    if (message.role === "tool" && message.tool_call_id === undefined) ctx.addIssue({ code: "custom", path: ["tool_call_id"], message: "a tool message needs the `tool_call_id` it answers" });
  });

export const functionToolSchema = z.looseObject({
  type: z.literal("function", 'only function tools are supported: `type` must be "function"'),
  function: z.looseObject({
    name: z.string("a tool needs `function.name` as a string").min(1, "a tool needs a `function.name`").max(256),
    description: z.string().nullish(),
    // JSON Schema: an object (zod's object refuses arrays and null).
    parameters: z.looseObject({}).nullish(),
    strict: z.boolean().nullish(),
  }),
});

const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string().min(1) }) }),
]);

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string().min(1, "a json_schema needs a `name`").max(256),
      description: z.string().nullish(),
      schema: z.looseObject({}).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1, "a model is required").max(256),
  messages: z.array(chatMessageSchema).min(1, "at least one message is required"),
  stream: z.boolean().nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  tools: z.array(functionToolSchema).max(128, "at most 128 tools").nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormatSchema.nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  user: z.string().nullish(),
});

/** A parsed Chat Completions body; parseChatRequest's checks hold on it. */
export type ChatRequestBody = ChatCompletionRequest & z.infer<typeof chatRequestSchema>;

/** A chat request as the routing API accepts it, or a 400 naming the parameter. */
export function parseChatRequest(body: unknown): ChatRequestBody {
  const unsupported = findUnsupportedChatParam(body);
  if (unsupported) throw new OpenAiError(400, "unsupported_parameter", unsupported.message, unsupported.param);
  const parsed = parseWith(chatRequestSchema, body);
  const choice = parsed.tool_choice;
  if (choice && choice !== "none" && choice !== "auto") {
    const names = (parsed.tools ?? []).map((tool) => tool.function.name);
    if (names.length === 0) throw new OpenAiError(400, "invalid_request", "tool_choice: a tool must be required only when `tools` are given.", "tool_choice");
    if (typeof choice === "object" && !names.includes(choice.function.name)) {
      throw new OpenAiError(400, "invalid_request", `tool_choice: no tool named \`${choice.function.name}\` is among the tools.`, "tool_choice");
    }
  }
  return parsed as ChatRequestBody;
}

// ───────────────────────────── Chat completions ─────────────────────────────

/** Chat Completions' dialect of the shared pipeline: the request as it is, chunks as OpenAI sends them. */
const chatCompletionsDialect: ChatLikeDialect = {
  endpoint: "chat.completions",
  toChatRequest: parseChatRequest,
  renderJson: (completion, usage, xBlockable, context) => ({
    ...completion,
    model: context.modelSlug,
    usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens },
    x_blockable: xBlockable,
  }),
  createStreamEncoder: (chatRequest, context) => createChatStreamEncoder({ ...context, includeUsage: chatRequest.stream_options?.include_usage === true }),
};

export function handleChatCompletions(db: Db, request: GatewayRequest, options: GatewayOptions = {}): Promise<GatewayReply> {
  return runChatLike(db, request, options, chatCompletionsDialect);
}
