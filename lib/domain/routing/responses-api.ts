// OpenAI's Responses API (`POST /v1/responses`) on top of the chat-completions routing: a request
// is translated into a chat request (every provider adapter already speaks that), and the chat
// completion — JSON or chunks — is rendered back as a Response object or Responses stream events.
// Pure: ids, clocks, usage and the stored responses a request refers to come in as arguments, so
// every shape here is table-tested.
//
// Responses are stored as OpenAI stores them (`store`, on by default), so `previous_response_id`
// and `item_reference` items continue a conversation; the server loads what a request refers to
// (`findStoredReferences`) and hands it in as a `StoredContext`. Whatever needs the Conversations
// API, a built-in OpenAI tool or log probabilities is refused with a 400 naming the parameter.
import { z } from "zod";
import type { ChatChunkLike, SseFrame, StreamEncoder, StreamFailure, TokenUsage, XBlockable } from "./stream-encoder";

// ───────────────────────────── Chat shapes produced and read ─────────────────────────────

export type ChatContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string; detail?: string } };
export type ChatToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };
export type ChatMessageOut = {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string | null | ChatContentPart[];
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
  refusal?: string;
};
export type ChatToolOut = { type: "function"; function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean } };

/** The chat completion request a Responses request becomes (fits the adapters' request type). */
export type ChatRequestOut = {
  model: string;
  messages: ChatMessageOut[];
  stream?: boolean;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  tools?: ChatToolOut[];
  tool_choice?: "auto" | "none" | "required" | { type: "function"; function: { name: string } };
  parallel_tool_calls?: boolean;
  response_format?: { type: "json_object" } | { type: "json_schema"; json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean; description?: string } };
  user?: string;
  reasoning_effort?: string;
  verbosity?: string;
};

/** A chat completion as the adapters return it (only what the rendering reads). */
export type ChatCompletionLike = {
  choices: Array<{ message: { content?: unknown; refusal?: unknown; tool_calls?: unknown }; finish_reason: string | null }>;
};

// ───────────────────────────── Refusals ─────────────────────────────

/** A request the Responses endpoint cannot serve as asked: a 400 naming `param` (a field path). */
/**
 * A request the Responses endpoint cannot serve as asked: a 400 naming `param` (a field path), or a
 * 404 when it refers to a stored response or item this organisation does not have.
 */
export class ResponsesRequestError extends Error {
  constructor(
    readonly param: string | null,
    message: string,
    readonly code: "invalid_request" | "unsupported_parameter" | "unknown_parameter" | "not_found" = "invalid_request",
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
    this.name = "ResponsesRequestError";
  }
}

const fail = (param: string | null, message: string, code?: ResponsesRequestError["code"]): never => {
  throw new ResponsesRequestError(param, message, code);
};

/** The same answer whether the id never existed, expired, was deleted or is another organisation's: no existence leak. */
const notFound = (param: string, message: string): never => {
  throw new ResponsesRequestError(param, message, "not_found", 404);
};

/** Parameters that need what Blockable does not have; a value other than "unset" is a 400. */
const REFUSED_PARAMETERS: Record<string, { isSet: (value: unknown) => boolean; message: string }> = {
  conversation: { isSet: (v) => v != null, message: "The Conversations API is not supported; continue a conversation with previous_response_id, or send the earlier turns in `input`." },
  prompt: { isSet: (v) => v != null, message: "Stored prompt templates are not supported; send the prompt in `instructions` and `input`." },
  background: { isSet: (v) => v === true, message: "Background responses are not supported: there is no queue to poll. Send the request without background (or stream it)." },
  top_logprobs: { isSet: (v) => v != null && v !== 0, message: "top_logprobs: log probabilities are not supported by the routing API." },
  max_tool_calls: { isSet: (v) => v != null, message: "max_tool_calls limits built-in tools, which the routing API does not run." },
  context_management: { isSet: (v) => v != null, message: "context_management: server-side compaction is not supported; send the context you want in `input`." },
};

/** Every other parameter the endpoint understands (anything else is OpenAI's "unknown parameter"). */
const KNOWN_PARAMETERS = new Set([
  "model",
  "input",
  "instructions",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "max_output_tokens",
  "temperature",
  "top_p",
  "seed",
  "stream",
  "stream_options",
  "text",
  "metadata",
  "store",
  "user",
  "safety_identifier",
  "prompt_cache_key",
  "prompt_cache_retention",
  "service_tier",
  "truncation",
  "include",
  "reasoning",
  "previous_response_id",
  ...Object.keys(REFUSED_PARAMETERS),
]);

// ───────────────────────────── Request schemas ─────────────────────────────

const nullishString = z.string().nullish();

const requestSchema = z.looseObject({
  model: z.string().min(1, "a model is required"),
  input: z.union([z.string(), z.array(z.unknown())], "input must be a string or an array of input items"),
  instructions: nullishString,
  tools: z.array(z.unknown()).max(128, "at most 128 tools").nullish(),
  tool_choice: z.unknown().optional(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  seed: z.number().int().nullish(),
  stream: z.boolean().nullish(),
  // include_obfuscation only pads events against side channels; there is nothing to pad here.
  stream_options: z.looseObject({ include_obfuscation: z.boolean().nullish() }).nullish(),
  text: z.looseObject({ format: z.unknown().optional(), verbosity: z.enum(["low", "medium", "high"]).nullish() }).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  previous_response_id: nullishString,
  user: nullishString,
  safety_identifier: nullishString,
  prompt_cache_key: nullishString,
  prompt_cache_retention: nullishString,
  service_tier: nullishString,
  truncation: z.enum(["auto", "disabled"]).nullish(),
  include: z.array(z.string()).nullish(),
  reasoning: z.looseObject({ effort: nullishString, summary: nullishString, generate_summary: nullishString }).nullish(),
});

const functionToolSchema = z.looseObject({
  type: z.literal("function"),
  name: z.string("a function tool needs a `name`").min(1, "a function tool needs a `name`").max(256),
  description: nullishString,
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const textFormatSchema = z.discriminatedUnion(
  "type",
  [
    z.looseObject({ type: z.literal("text") }),
    z.looseObject({ type: z.literal("json_object") }),
    z.looseObject({
      type: z.literal("json_schema"),
      name: z.string("a json_schema format needs a `name`").min(1, "a json_schema format needs a `name`").max(256),
      schema: z.record(z.string(), z.unknown()),
      strict: z.boolean().nullish(),
      description: nullishString,
    }),
  ],
  "text.format.type must be text, json_object or json_schema",
);

const messageItemSchema = z.looseObject({
  type: z.literal("message").optional(),
  role: z.enum(["user", "system", "developer", "assistant"], "role must be user, system, developer or assistant"),
  content: z.union([z.string(), z.array(z.unknown())], "content must be a string or an array of content parts"),
});
const functionCallItemSchema = z.looseObject({
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
});
const functionCallOutputItemSchema = z.looseObject({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(z.unknown())], "output must be a string or an array of input_text parts"),
});
const textPartSchema = z.looseObject({ type: z.enum(["input_text", "output_text"]), text: z.string() });
const refusalPartSchema = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });
const imagePartSchema = z.looseObject({ type: z.literal("input_image"), image_url: nullishString, file_id: nullishString, detail: z.enum(["low", "high", "auto"]).nullish() });

type Path = ReadonlyArray<string | number>;
const joinPath = (path: Path) => path.join(".");

/** Parses `value` at `path`, so a failure names the exact field (`input.2.content.0.text`). */
function parseAt<S extends z.ZodType>(schema: S, value: unknown, path: Path): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = joinPath([...path, ...issue.path.map(String)]) || null;
  return fail(param, param ? `${param}: ${issue.message}` : issue.message);
}

const typeOf = (value: unknown): string | undefined => (value && typeof value === "object" && typeof (value as { type?: unknown }).type === "string" ? (value as { type: string }).type : undefined);

// ───────────────────────────── Request translation ─────────────────────────────

export type ResponsesTool = { type: "function"; name: string; description: string | null; parameters: Record<string, unknown> | null; strict: boolean | null };
export type ResponsesToolChoice = "auto" | "none" | "required" | { type: "function"; name: string } | { type: "allowed_tools"; mode: "auto" | "required"; tools: Array<{ type: "function"; name: string }> };
export type ResponsesTextConfig = {
  format: { type: "text" } | { type: "json_object" } | { type: "json_schema"; name: string; schema: Record<string, unknown>; strict: boolean | null; description?: string };
  verbosity?: "low" | "medium" | "high";
};

/** What a Response object repeats of its request (OpenAI echoes the settings it ran with). */
export type ResponseEcho = {
  instructions: string | null;
  tools: ResponsesTool[];
  tool_choice: ResponsesToolChoice;
  text: ResponsesTextConfig;
  temperature: number | null;
  top_p: number | null;
  max_output_tokens: number | null;
  parallel_tool_calls: boolean;
  metadata: Record<string, string>;
  truncation: "auto" | "disabled";
  reasoning: { effort: string | null; summary: string | null } | null;
  service_tier: string;
  user: string | null;
  /** Whether the response is kept for previous_response_id, item_reference and GET (OpenAI's default: true). */
  store: boolean;
  previous_response_id: string | null;
};

export type ParsedResponsesRequest = {
  chat: ChatRequestOut;
  echo: ResponseEcho;
  isStream: boolean;
  /** The conversation up to this reply, normalised for storing: the previous response's, then this input. */
  conversationInput: InputItemDraft[];
};

function translateContentParts(parts: unknown[], role: "user" | "system" | "developer" | "assistant", path: Path): { parts: ChatContentPart[]; refusal: string | null } {
  const out: ChatContentPart[] = [];
  let refusal: string | null = null;
  parts.forEach((part, index) => {
    const at = [...path, index];
    const type = typeOf(part);
    if (type === "input_text" || type === "output_text") {
      out.push({ type: "text", text: parseAt(textPartSchema, part, at).text });
    } else if (type === "refusal") {
      if (role !== "assistant") fail(joinPath([...at, "type"]), `${joinPath([...at, "type"])}: refusal parts belong to assistant messages.`);
      refusal = (refusal ?? "") + parseAt(refusalPartSchema, part, at).refusal;
    } else if (type === "input_image") {
      const image = parseAt(imagePartSchema, part, at);
      if (role !== "user") fail(joinPath([...at, "type"]), `${joinPath([...at, "type"])}: images are accepted in user messages only.`);
      if (!image.image_url) {
        const field = image.file_id ? "file_id" : "image_url";
        fail(joinPath([...at, field]), `${joinPath([...at, field])}: send the image as image_url (an https: or data: URL); file ids need OpenAI's Files API, which the routing API does not have.`, "unsupported_parameter");
      }
      out.push({ type: "image_url", image_url: { url: image.image_url!, ...(image.detail ? { detail: image.detail } : {}) } });
    } else if (type === "input_file" || type === "input_audio") {
      fail(joinPath([...at, "type"]), `${joinPath([...at, "type"])}: ${type} parts are not supported by the routing API; send the content as text.`, "unsupported_parameter");
    } else {
      fail(joinPath([...at, "type"]), `${joinPath([...at, "type"])}: expected input_text, output_text, input_image or refusal${type ? `, got ${type}` : ""}.`);
    }
  });
  return { parts: out, refusal };
}

// ───────────────────────────── Stored conversations ─────────────────────────────

/** One item of a stored conversation, in Responses' item shape, named by its `id`. */
export type ConversationItem = { type: string; id: string } & Record<string, unknown>;
/** An input item as this request gave it, normalised; `id` is null when the client gave none (it is named when stored). */
export type InputItemDraft = { type: string; id: string | null } & Record<string, unknown>;

/** What the server found of the stored responses a request refers to (its organisation's, unexpired). */
export type StoredContext = {
  /** The conversation of the response `previous_response_id` names, when one was found. */
  previousConversation: readonly ConversationItem[] | null;
  /** Stored items by id, for the request's item references (those found). */
  items: ReadonlyMap<string, ConversationItem>;
};

export const NO_STORED_CONTEXT: StoredContext = { previousConversation: null, items: new Map() };

const asRecord = (value: unknown): Record<string, unknown> | null => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null);

/**
 * An item that stands for a stored one: `{type: "item_reference", id}`, or an item given by its id
 * alone (`{id: "msg_…"}`, `{id: "fc_…", type: "function_call"}`), as OpenAI accepts them.
 */
export function isItemReference(item: unknown): boolean {
  const record = asRecord(item);
  if (!record) return false;
  if (record.type === "item_reference") return true;
  return typeof record.id === "string" && Object.keys(record).every((key) => key === "id" || key === "type");
}

/** The stored responses a request names, read from its raw body before validation (validation reports malformed ones). */
export function findStoredReferences(body: unknown): { previousResponseId: string | null; itemIds: string[] } {
  const record = asRecord(body);
  const previousResponseId = typeof record?.previous_response_id === "string" ? record.previous_response_id : null;
  const itemIds: string[] = [];
  if (Array.isArray(record?.input)) {
    for (const item of record.input) {
      const id = isItemReference(item) ? (item as { id?: unknown }).id : undefined;
      if (typeof id === "string") itemIds.push(id);
    }
  }
  return { previousResponseId, itemIds };
}

function textPartFor(role: string, text: string) {
  return role === "assistant" ? { type: "output_text", text, annotations: [] } : { type: "input_text", text };
}

const givenId = (item: Record<string, unknown>): string | null => (typeof item.id === "string" && item.id !== "" ? item.id : null);

// ───────────────────────────── Input translation ─────────────────────────────

type InputEntry = { item: unknown; path: Path };

/**
 * Input items → chat messages, and the same items normalised for storing (a message's string
 * content becomes one text part; references become the items they name).
 */
function translateInput(entries: readonly InputEntry[], stored: StoredContext): { messages: ChatMessageOut[]; conversation: InputItemDraft[] } {
  const messages: ChatMessageOut[] = [];
  const conversation: InputItemDraft[] = [];
  // OpenAI refuses an item twice in one conversation; it would also make input_items' cursor ambiguous.
  const seenIds = new Set<string>();
  // Consecutive function calls (and the assistant text just before them) are one chat turn.
  let openAssistant: ChatMessageOut | null = null;
  for (const { item: given, path: at } of entries) {
    if (!asRecord(given)) fail(joinPath(at), `${joinPath(at)}: each input item is an object (a message, function_call or function_call_output).`);
    let item = given as Record<string, unknown>;
    if (isItemReference(item)) {
      const id = item.id;
      if (typeof id !== "string" || id === "") return fail(joinPath([...at, "id"]), `${joinPath([...at, "id"])}: an item_reference needs the id of a stored item.`);
      item = stored.items.get(id) ?? notFound(joinPath(at), `${joinPath(at)}: Item with id '${id}' not found.`);
    }
    const id = givenId(item);
    if (id !== null) {
      if (seenIds.has(id)) fail(joinPath(at), `${joinPath(at)}: Duplicate item found with id ${id}. Remove duplicate items from your input (an item of the response previous_response_id names is already in the conversation).`);
      seenIds.add(id);
    }
    const type = typeOf(item);
    if (type === undefined || type === "message") {
      const message = parseAt(messageItemSchema, item, at);
      let content: ChatMessageOut["content"];
      let refusal: string | null = null;
      if (typeof message.content === "string") content = message.content;
      else {
        const translated = translateContentParts(message.content, message.role, [...at, "content"]);
        refusal = translated.refusal;
        // Assistant turns go upstream as one string: the most widely accepted shape.
        content = message.role === "assistant" ? translated.parts.map((part) => (part.type === "text" ? part.text : "")).join("") : translated.parts;
      }
      const chatMessage: ChatMessageOut = { role: message.role, content, ...(refusal !== null ? { refusal } : {}) };
      messages.push(chatMessage);
      openAssistant = message.role === "assistant" ? chatMessage : null;
      const parts = typeof message.content === "string" ? [textPartFor(message.role, message.content)] : message.content;
      conversation.push({ type: "message", id, role: message.role, content: parts, status: "completed" });
      continue;
    }
    if (type === "function_call") {
      const call = parseAt(functionCallItemSchema, item, at);
      const toolCall: ChatToolCall = { id: call.call_id, type: "function", function: { name: call.name, arguments: call.arguments } };
      if (openAssistant) (openAssistant.tool_calls ??= []).push(toolCall);
      else {
        openAssistant = { role: "assistant", content: null, tool_calls: [toolCall] };
        messages.push(openAssistant);
      }
      conversation.push({ type: "function_call", id, call_id: call.call_id, name: call.name, arguments: call.arguments, status: "completed" });
      continue;
    }
    openAssistant = null;
    if (type === "function_call_output") {
      const result = parseAt(functionCallOutputItemSchema, item, at);
      let content: string;
      if (typeof result.output === "string") content = result.output;
      else {
        const parts = translateContentParts(result.output, "user", [...at, "output"]).parts;
        const image = parts.findIndex((part) => part.type !== "text");
        if (image !== -1) fail(joinPath([...at, "output", image, "type"]), `${joinPath([...at, "output", image, "type"])}: a function's output can only be text here.`, "unsupported_parameter");
        content = parts.map((part) => (part.type === "text" ? part.text : "")).join("");
      }
      messages.push({ role: "tool", tool_call_id: result.call_id, content });
      conversation.push({ type: "function_call_output", id, call_id: result.call_id, output: result.output, status: "completed" });
      continue;
    }
    // Reasoning items only carry a provider's own hidden state (encrypted for OpenAI): another
    // provider cannot read them, and the visible conversation is unchanged without them. They
    // are kept in the stored conversation as the client gave them.
    if (type === "reasoning") {
      conversation.push({ ...item, type, id });
      continue;
    }
    fail(joinPath([...at, "type"]), `${joinPath([...at, "type"])}: ${type} items are not supported; the routing API takes message, function_call, function_call_output and item_reference items.`, "unsupported_parameter");
  }
  return { messages, conversation };
}

function translateTools(tools: unknown[], path: Path): ResponsesTool[] {
  return tools.map((tool, index) => {
    const type = typeOf(tool);
    if (type !== "function") {
      const at = joinPath([...path, index, "type"]);
      fail(at, type ? `${at}: the built-in tool ${type} is not supported; the routing API runs no tools itself, declare a function tool instead.` : `${at}: a tool needs type "function".`, type ? "unsupported_parameter" : "invalid_request");
    }
    const parsed = parseAt(functionToolSchema, tool, [...path, index]);
    return { type: "function", name: parsed.name, description: parsed.description ?? null, parameters: parsed.parameters ?? null, strict: parsed.strict ?? null };
  });
}

const toolChoiceSchema = z.union([
  z.enum(["auto", "none", "required"]),
  z.looseObject({ type: z.literal("function"), name: z.string().min(1) }),
  z.looseObject({ type: z.literal("allowed_tools"), mode: z.enum(["auto", "required"]), tools: z.array(z.looseObject({ type: z.literal("function"), name: z.string().min(1) })) }),
]);

function translateToolChoice(choice: unknown, tools: ResponsesTool[]): ResponsesToolChoice {
  if (choice == null) return "auto";
  const type = typeof choice === "string" ? choice : typeOf(choice);
  if (typeof choice === "object" && type !== "function" && type !== "allowed_tools") {
    fail("tool_choice.type", `tool_choice.type: ${type ?? "(missing)"} is not supported; use "auto", "none", "required", a function or allowed_tools of functions.`, "unsupported_parameter");
  }
  const parsed = parseAt(toolChoiceSchema, choice, ["tool_choice"]);
  const names = new Set(tools.map((tool) => tool.name));
  if (typeof parsed === "object" && parsed.type === "function") {
    if (!names.has(parsed.name)) fail("tool_choice.name", `tool_choice.name: no function tool named ${parsed.name} was declared in tools.`);
    return { type: "function", name: parsed.name };
  }
  if (typeof parsed === "object") {
    parsed.tools.forEach((tool, index) => {
      if (!names.has(tool.name)) fail(`tool_choice.tools.${index}.name`, `tool_choice.tools.${index}.name: no function tool named ${tool.name} was declared in tools.`);
    });
    return { type: "allowed_tools", mode: parsed.mode, tools: parsed.tools.map((tool) => ({ type: "function", name: tool.name })) };
  }
  if (parsed === "required" && tools.length === 0) fail("tool_choice", `tool_choice: "required" needs at least one function tool in tools.`);
  return parsed;
}

function chatToolChoice(choice: ResponsesToolChoice): ChatRequestOut["tool_choice"] {
  if (typeof choice === "string") return choice;
  if (choice.type === "function") return { type: "function", function: { name: choice.name } };
  return choice.mode;
}

function translateTextFormat(text: { format?: unknown; verbosity?: "low" | "medium" | "high" | null } | null | undefined): ResponsesTextConfig {
  const format = text?.format == null ? { type: "text" as const } : parseAt(textFormatSchema, text.format, ["text", "format"]);
  const verbosity = text?.verbosity ?? undefined;
  if (format.type === "json_schema") {
    return { format: { type: "json_schema", name: format.name, schema: format.schema, strict: format.strict ?? null, ...(format.description ? { description: format.description } : {}) }, ...(verbosity ? { verbosity } : {}) };
  }
  return { format: { type: format.type }, ...(verbosity ? { verbosity } : {}) };
}

function chatResponseFormat(text: ResponsesTextConfig): ChatRequestOut["response_format"] {
  const format = text.format;
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type === "json_schema") {
    return { type: "json_schema", json_schema: { name: format.name, schema: format.schema, ...(format.strict !== null ? { strict: format.strict } : {}), ...(format.description ? { description: format.description } : {}) } };
  }
  return undefined;
}

/**
 * Validates a Responses request body and translates it into the chat request routed upstream.
 * `stored` holds what the server found of the stored responses the body refers to
 * (findStoredReferences): a reference it does not hold is a 404.
 */
export function parseResponsesRequest(body: unknown, stored: StoredContext = NO_STORED_CONTEXT): ParsedResponsesRequest {
  if (!body || typeof body !== "object" || Array.isArray(body)) return fail(null, "The request body must be a JSON object.");
  const record = body as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    // Own keys only: a body key such as "toString" or "__proto__" must not find what every object inherits.
    const refused = Object.hasOwn(REFUSED_PARAMETERS, key) ? REFUSED_PARAMETERS[key] : undefined;
    if (refused?.isSet(value)) fail(key, refused.message, "unsupported_parameter");
    if (!KNOWN_PARAMETERS.has(key)) fail(key, `Unknown parameter: '${key}'.`, "unknown_parameter");
  }
  const request = parseAt(requestSchema, body, []);
  for (const entry of request.include ?? []) {
    if (/logprobs/.test(entry)) fail("include", `include: ${entry} asks for log probabilities, which the routing API does not support.`, "unsupported_parameter");
  }

  const tools = translateTools(request.tools ?? [], ["tools"]);
  const toolChoice = translateToolChoice(request.tool_choice, tools);
  const text = translateTextFormat(request.text);
  const previousResponseId = request.previous_response_id ?? null;
  const previous = previousResponseId === null ? [] : (stored.previousConversation ?? notFound("previous_response_id", `Previous response with id '${previousResponseId}' not found.`));
  const input = typeof request.input === "string" ? [{ role: "user", content: request.input }] : request.input;
  const { messages, conversation } = translateInput(
    [...previous.map((item) => ({ item, path: ["previous_response_id"] })), ...input.map((item, index) => ({ item, path: ["input", index] }))],
    stored,
  );
  // Only this request's instructions apply: a previous response's are not carried over (as at OpenAI).
  if (request.instructions) messages.unshift({ role: "system", content: request.instructions });
  if (messages.length === 0) fail("input", "input: at least one message or item is required.");

  // allowed_tools narrows what the model sees; it is still told to pick among them.
  const allowed = typeof toolChoice === "object" && toolChoice.type === "allowed_tools" ? new Set(toolChoice.tools.map((tool) => tool.name)) : null;
  const chatTools: ChatToolOut[] = tools
    .filter((tool) => !allowed || allowed.has(tool.name))
    .map((tool) => ({
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description !== null ? { description: tool.description } : {}),
        ...(tool.parameters !== null ? { parameters: tool.parameters } : {}),
        ...(tool.strict !== null ? { strict: tool.strict } : {}),
      },
    }));
  const responseFormat = chatResponseFormat(text);
  const user = request.user ?? request.safety_identifier ?? null;
  const reasoningEffort = request.reasoning?.effort ?? null;

  const chat: ChatRequestOut = {
    model: request.model,
    messages,
    ...(request.stream ? { stream: true } : {}),
    ...(request.max_output_tokens != null ? { max_tokens: request.max_output_tokens } : {}),
    ...(request.temperature != null ? { temperature: request.temperature } : {}),
    ...(request.top_p != null ? { top_p: request.top_p } : {}),
    ...(request.seed != null ? { seed: request.seed } : {}),
    ...(chatTools.length > 0 ? { tools: chatTools, tool_choice: chatToolChoice(toolChoice) } : {}),
    ...(chatTools.length > 0 && request.parallel_tool_calls != null ? { parallel_tool_calls: request.parallel_tool_calls } : {}),
    ...(responseFormat ? { response_format: responseFormat } : {}),
    ...(user !== null ? { user } : {}),
    ...(reasoningEffort !== null ? { reasoning_effort: reasoningEffort } : {}),
    ...(text.verbosity ? { verbosity: text.verbosity } : {}),
  };
  const echo: ResponseEcho = {
    instructions: request.instructions ?? null,
    tools,
    tool_choice: toolChoice,
    text,
    temperature: request.temperature ?? null,
    top_p: request.top_p ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    metadata: request.metadata ?? {},
    truncation: request.truncation ?? "disabled",
    reasoning: request.reasoning ? { effort: request.reasoning.effort ?? null, summary: request.reasoning.summary ?? null } : null,
    service_tier: "default",
    user,
    store: request.store ?? true,
    previous_response_id: previousResponseId,
  };
  return { chat, echo, isStream: request.stream === true, conversationInput: conversation };
}

// ───────────────────────────── Response objects ─────────────────────────────

export type OutputTextPart = { type: "output_text"; text: string; annotations: never[]; logprobs: never[] };
export type RefusalPart = { type: "refusal"; refusal: string };
export type MessageItem = { type: "message"; id: string; status: "in_progress" | "completed" | "incomplete"; role: "assistant"; content: Array<OutputTextPart | RefusalPart> };
export type FunctionCallItem = { type: "function_call"; id: string; call_id: string; name: string; arguments: string; status: "in_progress" | "completed" | "incomplete" };
export type OutputItem = MessageItem | FunctionCallItem;

export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

export type ResponseIds = {
  /** The routing API's request id (`req_…`); the response and its items are named after it. */
  requestId: string;
  /** The model as the client named it (never the upstream's model id). */
  modelSlug: string;
  /** Unix seconds: the response's `created_at`, the same on every event. */
  createdS: number;
};

// Every id is named after the request id, so it is unique, and an item's id names the response
// that stores it: an item_reference is found by the stored response's primary key, no index needed.
// Output items are `<prefix>_<stem>_<n>`, input items named when stored `<prefix>_<stem>_in<n>`.
const idStem = (requestId: string) => requestId.replace(/^req_/, "");
export const responseIdFor = (requestId: string) => `resp_${idStem(requestId)}`;
const messageIdFor = (requestId: string, outputIndex: number) => `msg_${idStem(requestId)}_${outputIndex}`;
const functionCallIdFor = (requestId: string, outputIndex: number) => `fc_${idStem(requestId)}_${outputIndex}`;

const INPUT_ITEM_PREFIXES: Record<string, string> = { message: "msg", function_call: "fc", function_call_output: "fco", reasoning: "rs" };
const inputItemIdFor = (type: string, requestId: string, index: number) => `${INPUT_ITEM_PREFIXES[type] ?? "item"}_${idStem(requestId)}_in${index}`;
const ITEM_ID = /^(?:msg|fc|fco|rs|item)_([A-Za-z0-9]+)_(in)?\d+$/;

/** The stored response an item id Blockable gave belongs to, and whether the item is in its output; null for any other id. */
export function storedResponseOfItemId(itemId: string): { responseId: string; isOutput: boolean } | null {
  const match = ITEM_ID.exec(itemId);
  return match ? { responseId: `resp_${match[1]}`, isOutput: match[2] === undefined } : null;
}

/** What a stored response keeps: its input items, each named (an item the client gave no id is named now), then its output. */
export function storedConversation(input: readonly InputItemDraft[], requestId: string, output: readonly OutputItem[]): ConversationItem[] {
  const named = input.map(({ id, ...item }, index): ConversationItem => ({ id: id ?? inputItemIdFor(item.type, requestId, index), ...item }));
  return [...named, ...(output as unknown as ConversationItem[])];
}

export function responsesUsage(usage: TokenUsage) {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** Chat's finish reason → the Response's status: cut by the token limit or a filter is "incomplete". */
function outcomeOf(finishReason: string | null): { status: "completed" | "incomplete"; incompleteDetails: { reason: "max_output_tokens" | "content_filter" } | null } {
  if (finishReason === "length") return { status: "incomplete", incompleteDetails: { reason: "max_output_tokens" } };
  if (finishReason === "content_filter") return { status: "incomplete", incompleteDetails: { reason: "content_filter" } };
  return { status: "completed", incompleteDetails: null };
}

function outputTextOf(output: OutputItem[]): string {
  let text = "";
  for (const item of output) if (item.type === "message") for (const part of item.content) if (part.type === "output_text") text += part.text;
  return text;
}

type ResponseBody = {
  status: ResponseStatus;
  output: OutputItem[];
  usage: TokenUsage | null;
  incompleteDetails: { reason: string } | null;
  error: { code: string; message: string } | null;
  xBlockable?: XBlockable;
};

function responseObject(ids: ResponseIds, echo: ResponseEcho, body: ResponseBody) {
  return {
    id: responseIdFor(ids.requestId),
    object: "response" as const,
    created_at: ids.createdS,
    status: body.status,
    background: false,
    error: body.error,
    incomplete_details: body.incompleteDetails,
    instructions: echo.instructions,
    max_output_tokens: echo.max_output_tokens,
    max_tool_calls: null,
    model: ids.modelSlug,
    output: body.output,
    output_text: outputTextOf(body.output),
    parallel_tool_calls: echo.parallel_tool_calls,
    previous_response_id: echo.previous_response_id,
    reasoning: echo.reasoning ?? { effort: null, summary: null },
    service_tier: echo.service_tier,
    store: echo.store,
    temperature: echo.temperature,
    text: echo.text,
    tool_choice: echo.tool_choice,
    tools: echo.tools,
    top_logprobs: 0,
    top_p: echo.top_p,
    truncation: echo.truncation,
    usage: body.usage ? responsesUsage(body.usage) : null,
    user: echo.user,
    metadata: echo.metadata,
    ...(body.xBlockable ? { x_blockable: body.xBlockable } : {}),
  };
}

export type ResponseObject = ReturnType<typeof responseObject>;

const asString = (value: unknown) => (typeof value === "string" ? value : "");

/** A chat completion rendered as a Response object (the JSON reply). */
export function renderResponse(ids: ResponseIds, echo: ResponseEcho, completion: ChatCompletionLike, usage: TokenUsage, xBlockable: XBlockable): ResponseObject {
  const choice = completion.choices[0];
  const { status, incompleteDetails } = outcomeOf(choice?.finish_reason ?? null);
  const itemStatus = status === "incomplete" ? "incomplete" : "completed";
  const output: OutputItem[] = [];
  const text = asString(choice?.message.content);
  const refusal = asString(choice?.message.refusal);
  const toolCalls = Array.isArray(choice?.message.tool_calls) ? (choice.message.tool_calls as Array<{ id?: unknown; function?: { name?: unknown; arguments?: unknown } }>) : [];
  if (text || refusal || toolCalls.length === 0) {
    const content: MessageItem["content"] = [];
    if (text || !refusal) content.push({ type: "output_text", text, annotations: [], logprobs: [] });
    if (refusal) content.push({ type: "refusal", refusal });
    output.push({ type: "message", id: messageIdFor(ids.requestId, output.length), status: itemStatus, role: "assistant", content });
  }
  for (const call of toolCalls) {
    const index = output.length;
    output.push({
      type: "function_call",
      id: functionCallIdFor(ids.requestId, index),
      call_id: asString(call.id) || `call_${idStem(ids.requestId)}_${index}`,
      name: asString(call.function?.name),
      arguments: asString(call.function?.arguments),
      status: itemStatus,
    });
  }
  return responseObject(ids, echo, { status, output, usage, incompleteDetails, error: null, xBlockable });
}

// ───────────────────────────── Streaming ─────────────────────────────

type OpenMessage = { outputIndex: number; item: MessageItem; partOpen: boolean };
type OpenCall = { outputIndex: number; item: FunctionCallItem };

/**
 * Chat chunks → Responses events: `response.created`, `response.in_progress`, then per output item
 * `output_item.added`, its content part and text (or function-call argument) deltas and the
 * `.done` events, and finally `response.completed` (or `response.incomplete`) carrying the whole
 * response with usage and `x_blockable`. Every event has its `type` and a `sequence_number`.
 *
 * A text message is closed when a tool call starts (chat sends text before tool calls); tool
 * calls stay open until the finish, since chat may interleave parallel calls' arguments.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  private sequence = 0;
  private readonly output: OutputItem[] = [];
  private message: OpenMessage | null = null;
  private readonly calls = new Map<number, OpenCall>();
  private finishReason: string | null = null;

  constructor(
    private readonly ids: ResponseIds,
    private readonly echo: ResponseEcho,
    /** Sees the finished (completed or incomplete) response, e.g. to store it. */
    private readonly onFinished?: (response: ResponseObject) => void,
  ) {}

  private frame(type: string, fields: Record<string, unknown>): SseFrame {
    return { event: type, data: { type, sequence_number: this.sequence++, ...fields } };
  }

  private snapshot(body: ResponseBody) {
    return responseObject(this.ids, this.echo, { ...body, output: structuredClone(body.output) });
  }

  open(): SseFrame[] {
    const inProgress: ResponseBody = { status: "in_progress", output: [], usage: null, incompleteDetails: null, error: null };
    return [this.frame("response.created", { response: this.snapshot(inProgress) }), this.frame("response.in_progress", { response: this.snapshot(inProgress) })];
  }

  private openMessage(frames: SseFrame[]): OpenMessage {
    if (this.message) return this.message;
    const outputIndex = this.output.length;
    const item: MessageItem = { type: "message", id: messageIdFor(this.ids.requestId, outputIndex), status: "in_progress", role: "assistant", content: [] };
    this.output.push(item);
    this.message = { outputIndex, item, partOpen: false };
    frames.push(this.frame("response.output_item.added", { output_index: outputIndex, item: structuredClone(item) }));
    return this.message;
  }

  /** Appends text or refusal to the open message, starting a new content part when the kind changes. */
  private appendToMessage(kind: "output_text" | "refusal", delta: string, frames: SseFrame[]) {
    const message = this.openMessage(frames);
    const last = message.item.content.at(-1);
    if (!message.partOpen || last?.type !== kind) {
      if (message.partOpen) this.closePart(message, frames);
      const part: OutputTextPart | RefusalPart = kind === "output_text" ? { type: "output_text", text: "", annotations: [], logprobs: [] } : { type: "refusal", refusal: "" };
      message.item.content.push(part);
      message.partOpen = true;
      frames.push(this.frame("response.content_part.added", { item_id: message.item.id, output_index: message.outputIndex, content_index: message.item.content.length - 1, part: structuredClone(part) }));
    }
    if (delta === "") return;
    const part = message.item.content.at(-1)!;
    const at = { item_id: message.item.id, output_index: message.outputIndex, content_index: message.item.content.length - 1 };
    if (part.type === "output_text") {
      part.text += delta;
      frames.push(this.frame("response.output_text.delta", { ...at, delta, logprobs: [] }));
    } else {
      part.refusal += delta;
      frames.push(this.frame("response.refusal.delta", { ...at, delta }));
    }
  }

  private closePart(message: OpenMessage, frames: SseFrame[]) {
    const part = message.item.content.at(-1)!;
    const at = { item_id: message.item.id, output_index: message.outputIndex, content_index: message.item.content.length - 1 };
    if (part.type === "output_text") frames.push(this.frame("response.output_text.done", { ...at, text: part.text, logprobs: [] }));
    else frames.push(this.frame("response.refusal.done", { ...at, refusal: part.refusal }));
    frames.push(this.frame("response.content_part.done", { ...at, part: structuredClone(part) }));
    message.partOpen = false;
  }

  private closeMessage(status: "completed" | "incomplete", frames: SseFrame[]) {
    const message = this.message;
    if (!message) return;
    if (message.partOpen) this.closePart(message, frames);
    message.item.status = status;
    frames.push(this.frame("response.output_item.done", { output_index: message.outputIndex, item: structuredClone(message.item) }));
    this.message = null;
  }

  private closeCalls(status: "completed" | "incomplete", frames: SseFrame[]) {
    for (const call of [...this.calls.values()].sort((a, b) => a.outputIndex - b.outputIndex)) {
      call.item.status = status;
      frames.push(this.frame("response.function_call_arguments.done", { item_id: call.item.id, output_index: call.outputIndex, name: call.item.name, arguments: call.item.arguments }));
      frames.push(this.frame("response.output_item.done", { output_index: call.outputIndex, item: structuredClone(call.item) }));
    }
    this.calls.clear();
  }

  chunk(chunk: ChatChunkLike): SseFrame[] {
    const choice = chunk.choices[0];
    if (!choice) return [];
    const frames: SseFrame[] = [];
    const delta = choice.delta as { content?: unknown; refusal?: unknown; tool_calls?: unknown };
    // An empty first delta (the role) opens nothing: a reply of only tool calls has no message.
    if (typeof delta.content === "string" && delta.content !== "") this.appendToMessage("output_text", delta.content, frames);
    if (typeof delta.refusal === "string" && delta.refusal !== "") this.appendToMessage("refusal", delta.refusal, frames);
    if (Array.isArray(delta.tool_calls)) {
      for (const raw of delta.tool_calls as Array<{ index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } }>) {
        const chatIndex = typeof raw.index === "number" ? raw.index : 0;
        let call = this.calls.get(chatIndex);
        if (!call) {
          this.closeMessage("completed", frames);
          const outputIndex = this.output.length;
          const item: FunctionCallItem = {
            type: "function_call",
            id: functionCallIdFor(this.ids.requestId, outputIndex),
            call_id: asString(raw.id) || `call_${idStem(this.ids.requestId)}_${outputIndex}`,
            name: asString(raw.function?.name),
            arguments: "",
            status: "in_progress",
          };
          this.output.push(item);
          call = { outputIndex, item };
          this.calls.set(chatIndex, call);
          frames.push(this.frame("response.output_item.added", { output_index: outputIndex, item: structuredClone(item) }));
        }
        const piece = asString(raw.function?.arguments);
        if (piece) {
          call.item.arguments += piece;
          frames.push(this.frame("response.function_call_arguments.delta", { item_id: call.item.id, output_index: call.outputIndex, delta: piece }));
        }
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return frames;
  }

  close(usage: TokenUsage, xBlockable: XBlockable): SseFrame[] {
    const frames: SseFrame[] = [];
    const { status, incompleteDetails } = outcomeOf(this.finishReason);
    const itemStatus = status === "incomplete" ? "incomplete" : "completed";
    // An empty reply is still one (empty) message, as in the JSON reply.
    if (this.output.length === 0) this.appendToMessage("output_text", "", frames);
    this.closeMessage(itemStatus, frames);
    this.closeCalls(itemStatus, frames);
    const response = this.snapshot({ status, output: this.output, usage, incompleteDetails, error: null, xBlockable });
    frames.push(this.frame(status === "incomplete" ? "response.incomplete" : "response.completed", { response }));
    this.onFinished?.(response);
    return frames;
  }

  /**
   * The stream stopped early. `error` first: the openai SDK throws on it (as a chat stream's
   * error chunk makes it throw) and the AI SDK reports it once; `response.failed` then carries
   * what was sent and `x_blockable`.
   */
  fail(failure: StreamFailure, xBlockable: XBlockable): SseFrame[] {
    for (const item of this.output) if (item.status === "in_progress") item.status = "incomplete";
    return [
      this.frame("error", { code: failure.code, message: failure.message, param: null, x_blockable: xBlockable }),
      this.frame("response.failed", {
        response: this.snapshot({ status: "failed", output: this.output, usage: null, incompleteDetails: null, error: { code: failure.code, message: failure.message }, xBlockable }),
      }),
    ];
  }
}

export type ResponsesStreamEncoderOptions = ResponseIds & { echo: ResponseEcho; onFinished?: (response: ResponseObject) => void };

export function createResponsesStreamEncoder(options: ResponsesStreamEncoderOptions): StreamEncoder {
  const { echo, onFinished, ...ids } = options;
  return new ResponsesStreamEncoder(ids, echo, onFinished);
}

/** Encodes one SSE frame as OpenAI sends Responses events: an `event:` line, then the JSON. */
export function sseText(frame: SseFrame): string {
  const data = typeof frame.data === "string" ? frame.data : JSON.stringify(frame.data);
  return frame.event ? `event: ${frame.event}\ndata: ${data}\n\n` : `data: ${data}\n\n`;
}
