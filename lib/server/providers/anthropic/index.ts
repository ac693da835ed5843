import "@/lib/server/server-only";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ChatMessage, ProviderAdapter, ProviderRuntime, Usage } from "../types";
import { UpstreamError } from "../types";
import { configuredHeaders, postEventStream, postJson, trimTrailingSlash, type EventDecoder } from "../upstream-http";

/**
 * Anthropic's Messages API behind OpenAI's chat completions shape: requests, responses, stream
 * events and usage are translated both ways so a client never learns which upstream answered.
 */

const DEFAULT_BASE_URL = "https://api.anthropic.com";
const ANTHROPIC_VERSION = "2023-06-01";
/** Messages requires max_tokens; OpenAI clients usually omit it. The metering hold must assume this too. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

export type AnthropicContentBlock =
  | { type: "text"; text: string }
  | { type: "image"; source: { type: "base64"; media_type: string; data: string } | { type: "url"; url: string } }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | { type: "tool_result"; tool_use_id: string; content: string };

export type AnthropicToolChoice = { type: "auto" | "any" | "none" | "tool"; name?: string; disable_parallel_tool_use?: boolean };

export type AnthropicMessage = { role: "user" | "assistant"; content: AnthropicContentBlock[] };

export type AnthropicRequest = {
  model: string;
  messages: AnthropicMessage[];
  max_tokens: number;
  system?: string;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  tools?: Array<{ name: string; description?: string; input_schema: unknown }>;
  tool_choice?: AnthropicToolChoice;
  metadata?: { user_id: string };
  stream?: boolean;
};

export type AnthropicResponse = {
  id: string;
  model: string;
  content: Array<{ type: string; text?: string; id?: string; name?: string; input?: unknown }>;
  stop_reason: string | null;
  usage: AnthropicUsage;
};

type AnthropicUsage = { input_tokens?: number; output_tokens?: number; cache_creation_input_tokens?: number | null; cache_read_input_tokens?: number | null };

type OpenAiToolCall = { id?: string; type?: string; function?: { name?: string; arguments?: string } };
type OpenAiTool = { type?: string; function?: { name: string; description?: string; parameters?: unknown } };

function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text)
    .join("");
}

function imageBlock(url: string): AnthropicContentBlock {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match ? { type: "image", source: { type: "base64", media_type: match[1], data: match[2] } } : { type: "image", source: { type: "url", url } };
}

function contentBlocks(content: ChatMessage["content"]): AnthropicContentBlock[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!content) return [];
  const blocks: AnthropicContentBlock[] = [];
  for (const part of content) {
    if (part.type === "text" && typeof part.text === "string" && part.text !== "") blocks.push({ type: "text", text: part.text });
    else if (part.type === "image_url") {
      const imageUrl = part.image_url as { url?: string } | string | undefined;
      const url = typeof imageUrl === "string" ? imageUrl : imageUrl?.url;
      if (url) blocks.push(imageBlock(url));
    }
  }
  return blocks;
}

function parseArguments(text: string | undefined): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    // Anthropic wants an object; a model's malformed arguments are kept rather than dropped.
    return { _raw: text };
  }
}

function toolChoice(choice: unknown, isParallelDisabled: boolean): AnthropicToolChoice | undefined {
  let mapped: AnthropicToolChoice | undefined;
  if (choice === "auto") mapped = { type: "auto" };
  else if (choice === "none") mapped = { type: "none" };
  else if (choice === "required") mapped = { type: "any" };
  else if (choice && typeof choice === "object") {
    const name = (choice as { function?: { name?: string } }).function?.name;
    if (name) mapped = { type: "tool", name };
  }
  if (isParallelDisabled) {
    if (!mapped) return { type: "auto", disable_parallel_tool_use: true };
    if (mapped.type !== "none") return { ...mapped, disable_parallel_tool_use: true };
  }
  return mapped;
}

function jsonInstruction(responseFormat: unknown): string | null {
  const format = responseFormat as { type?: string; json_schema?: { schema?: unknown } } | undefined;
  if (format?.type === "json_object") return "Respond with a single valid JSON object and nothing else.";
  if (format?.type === "json_schema") {
    return `Respond with a single valid JSON object and nothing else, matching this JSON schema: ${JSON.stringify(format.json_schema?.schema ?? {})}`;
  }
  return null;
}

/** OpenAI chat completion request → Anthropic Messages request. */
export function toAnthropicRequest(request: ChatCompletionRequest, upstreamModel: string): AnthropicRequest {
  const systemParts: string[] = [];
  const messages: AnthropicMessage[] = [];
  function append(role: AnthropicMessage["role"], blocks: AnthropicContentBlock[]) {
    if (blocks.length === 0) return;
    // Messages requires alternating roles; OpenAI allows runs (e.g. several tool results), so runs merge.
    const previous = messages.at(-1);
    if (previous?.role === role) previous.content.push(...blocks);
    else messages.push({ role, content: blocks });
  }

  for (const message of request.messages) {
    switch (message.role) {
      case "system":
      case "developer": {
        const text = textOf(message.content);
        if (text) systemParts.push(text);
        break;
      }
      case "user":
        append("user", contentBlocks(message.content));
        break;
      case "assistant": {
        const toolUses = ((message.tool_calls ?? []) as OpenAiToolCall[]).map(
          (call): AnthropicContentBlock => ({ type: "tool_use", id: call.id ?? "", name: call.function?.name ?? "", input: parseArguments(call.function?.arguments) }),
        );
        append("assistant", [...contentBlocks(message.content), ...toolUses]);
        break;
      }
      case "tool":
        append("user", [{ type: "tool_result", tool_use_id: message.tool_call_id ?? "", content: textOf(message.content) }]);
        break;
    }
  }

  const instruction = jsonInstruction(request.response_format);
  if (instruction) systemParts.push(instruction);

  const result: AnthropicRequest = {
    model: upstreamModel,
    messages,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
  };
  if (systemParts.length > 0) result.system = systemParts.join("\n\n");
  if (request.stop !== undefined && request.stop !== null) result.stop_sequences = Array.isArray(request.stop) ? request.stop : [request.stop];
  // OpenAI's temperature runs to 2, Anthropic's to 1; beyond 1 the closest thing is 1.
  if (typeof request.temperature === "number") result.temperature = Math.min(1, Math.max(0, request.temperature));
  if (typeof request.top_p === "number") result.top_p = request.top_p;
  const tools = (request.tools ?? []) as OpenAiTool[];
  const functionTools = tools.filter((tool) => tool.type === "function" && tool.function);
  if (functionTools.length > 0) {
    result.tools = functionTools.map(({ function: fn }) => ({
      name: fn!.name,
      ...(fn!.description ? { description: fn!.description } : {}),
      input_schema: fn!.parameters ?? { type: "object", properties: {} },
    }));
    const choice = toolChoice(request.tool_choice, request.parallel_tool_calls === false);
    if (choice) result.tool_choice = choice;
  }
  if (typeof request.user === "string") result.metadata = { user_id: request.user };
  if (request.stream) result.stream = true;
  return result;
}

export function finishReasonFromAnthropic(stopReason: string | null | undefined): string | null {
  switch (stopReason) {
    case null:
    case undefined:
      return null;
    case "max_tokens":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      // end_turn, stop_sequence, pause_turn: the model stopped of its own accord.
      return "stop";
  }
}

/** Cached prompt tokens are still prompt tokens: billing and OpenAI's prompt_tokens include them. */
function inputTokensOf(usage: AnthropicUsage | undefined): number {
  return (usage?.input_tokens ?? 0) + (usage?.cache_creation_input_tokens ?? 0) + (usage?.cache_read_input_tokens ?? 0);
}

function openAiUsage(usage: Usage) {
  return { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens };
}

/** Anthropic Messages response → OpenAI chat completion. */
export function fromAnthropicResponse(response: AnthropicResponse, createdSeconds = Math.floor(Date.now() / 1000)): { completion: ChatCompletion; usage: Usage } {
  const text = response.content
    .filter((block) => block.type === "text")
    .map((block) => block.text ?? "")
    .join("");
  const toolCalls = response.content
    .filter((block) => block.type === "tool_use")
    .map((block) => ({ id: block.id ?? "", type: "function", function: { name: block.name ?? "", arguments: JSON.stringify(block.input ?? {}) } }));
  const message: Record<string, unknown> = { role: "assistant", content: text === "" && toolCalls.length > 0 ? null : text, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const usage: Usage = { inputTokens: inputTokensOf(response.usage), outputTokens: response.usage?.output_tokens ?? 0 };
  return {
    completion: {
      id: response.id,
      object: "chat.completion",
      created: createdSeconds,
      model: response.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonFromAnthropic(response.stop_reason) }],
      usage: openAiUsage(usage),
    },
    usage,
  };
}

export type AnthropicStreamTranslator = {
  /** One parsed Anthropic event in, zero or more OpenAI chunks out. Throws on an `error` event. */
  translate(event: { type?: string; [key: string]: unknown }): ChatCompletionChunk[];
  /** The final count, known once message_delta reported it; null before (a cut stream is counted by the caller). */
  usage(): Usage | null;
  readonly isComplete: boolean;
};

/** Anthropic stream events → OpenAI chunks, ending like OpenAI's include_usage: a `choices: []` chunk with usage. */
export function createAnthropicStreamTranslator(fallbackModel: string, createdSeconds = Math.floor(Date.now() / 1000)): AnthropicStreamTranslator {
  let id = "";
  let model = fallbackModel;
  let inputTokens = 0;
  let outputTokens = 0;
  let hasFinalUsage = false;
  let isComplete = false;
  const toolIndexByBlock = new Map<number, number>();

  function chunk(delta: Record<string, unknown>, finishReason: string | null = null): ChatCompletionChunk {
    return { id, object: "chat.completion.chunk", created: createdSeconds, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
  }

  function translate(event: { type?: string; [key: string]: unknown }): ChatCompletionChunk[] {
    switch (event.type) {
      case "message_start": {
        const message = event.message as { id?: string; model?: string; usage?: AnthropicUsage } | undefined;
        id = message?.id ?? id;
        model = message?.model ?? model;
        inputTokens = inputTokensOf(message?.usage);
        outputTokens = message?.usage?.output_tokens ?? 0;
        return [chunk({ role: "assistant", content: "" })];
      }
      case "content_block_start": {
        const block = event.content_block as { type?: string; text?: string; id?: string; name?: string } | undefined;
        if (block?.type === "tool_use") {
          const toolIndex = toolIndexByBlock.size;
          toolIndexByBlock.set(event.index as number, toolIndex);
          return [chunk({ tool_calls: [{ index: toolIndex, id: block.id, type: "function", function: { name: block.name, arguments: "" } }] })];
        }
        if (block?.type === "text" && block.text) return [chunk({ content: block.text })];
        return [];
      }
      case "content_block_delta": {
        const delta = event.delta as { type?: string; text?: string; partial_json?: string } | undefined;
        if (delta?.type === "text_delta" && delta.text) return [chunk({ content: delta.text })];
        if (delta?.type === "input_json_delta" && delta.partial_json) {
          const toolIndex = toolIndexByBlock.get(event.index as number);
          if (toolIndex === undefined) return [];
          return [chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] })];
        }
        // thinking and signature deltas have no place in a chat completion.
        return [];
      }
      case "message_delta": {
        const delta = event.delta as { stop_reason?: string | null } | undefined;
        const usage = event.usage as AnthropicUsage | undefined;
        if (typeof usage?.output_tokens === "number") {
          outputTokens = usage.output_tokens;
          hasFinalUsage = true;
        }
        // Newer API versions repeat the input count here, including server-side cache activity.
        if (typeof usage?.input_tokens === "number") inputTokens = Math.max(inputTokens, inputTokensOf(usage));
        const finishReason = finishReasonFromAnthropic(delta?.stop_reason);
        return finishReason ? [chunk({}, finishReason)] : [];
      }
      case "message_stop": {
        isComplete = true;
        const usage = { inputTokens, outputTokens };
        return [{ id, object: "chat.completion.chunk", created: createdSeconds, model, choices: [], usage: openAiUsage(usage) }];
      }
      case "error": {
        const error = event.error as { type?: string; message?: string } | undefined;
        throw new Error(`Anthropic stream error${error?.type ? ` (${error.type})` : ""}: ${error?.message ?? "unknown"}`);
      }
      default:
        // ping, content_block_stop and event types newer than this adapter.
        return [];
    }
  }

  return {
    translate,
    usage: () => (hasFinalUsage ? { inputTokens, outputTokens } : null),
    get isComplete() {
      return isComplete;
    },
  };
}

function requestHeaders(provider: ProviderRuntime, accept: string): Record<string, string> {
  const headers: Record<string, string> = { ...configuredHeaders(provider), "content-type": "application/json", accept, "anthropic-version": ANTHROPIC_VERSION };
  if (provider.apiKey) headers["x-api-key"] = provider.apiKey;
  return headers;
}

/** Reads Anthropic's stream through the translator, until `message_stop`. */
function anthropicEventDecoder(translator: AnthropicStreamTranslator, slug: string): EventDecoder<ChatCompletionChunk> {
  return {
    decode(events, complete) {
      const chunks: ChatCompletionChunk[] = [];
      for (const event of events) {
        let parsed: { type?: string };
        try {
          parsed = JSON.parse(event.data);
        } catch {
          throw new Error(`Upstream "${slug}" sent a stream event that is not JSON`);
        }
        chunks.push(...translator.translate(parsed));
        if (translator.isComplete) {
          complete();
          break;
        }
      }
      return chunks;
    },
    end() {
      throw new Error(`Upstream "${slug}" ended the stream before message_stop`);
    },
  };
}

export const anthropicAdapter: ProviderAdapter = {
  kind: "anthropic",

  async chat(request, { provider, upstreamModel, signal }) {
    const url = `${trimTrailingSlash(provider.baseUrl ?? DEFAULT_BASE_URL)}/v1/messages`;
    const body = toAnthropicRequest(request, upstreamModel);
    if (!request.stream) {
      const response = (await postJson({ provider, url, headers: requestHeaders(provider, "application/json"), body, signal })) as AnthropicResponse;
      if (!response || typeof response !== "object" || !Array.isArray(response.content)) {
        throw new UpstreamError(502, `Upstream "${provider.slug}" answered without content`, true, null, "bad_response");
      }
      const { completion, usage } = fromAnthropicResponse(response);
      return { kind: "json", completion, usage };
    }
    const translator = createAnthropicStreamTranslator(upstreamModel);
    const batches = await postEventStream({ provider, url, headers: requestHeaders(provider, "text/event-stream"), body, signal }, anthropicEventDecoder(translator, provider.slug));
    return { kind: "stream", batches, usage: () => translator.usage() };
  },

  async embeddings() {
    throw new UpstreamError(400, "Anthropic has no embeddings endpoint", false, null, "bad_request");
  },
};
