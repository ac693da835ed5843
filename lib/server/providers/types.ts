import "@/lib/server/server-only";

/**
 * The contract every provider folder implements. Requests and responses are in OpenAI's chat
 * completions shape at this boundary; an adapter translates to and from its upstream's dialect.
 */

export type ProviderKind = "openai_compatible" | "anthropic" | "simulator";

/** A provider row with its upstream key decrypted, ready for one call. */
export type ProviderRuntime = {
  id: string;
  slug: string;
  kind: ProviderKind;
  baseUrl: string | null;
  apiKey: string | null;
  config: Record<string, unknown>;
  timeoutMs: number;
};

export type ChatMessage = {
  role: "system" | "user" | "assistant" | "tool" | "developer";
  content: string | null | Array<{ type: string; text?: string; [key: string]: unknown }>;
  name?: string;
  tool_calls?: unknown[];
  tool_call_id?: string;
};

/** OpenAI's chat completion request; unknown fields are passed through to OpenAI-compatible upstreams. */
export type ChatCompletionRequest = {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  seed?: number;
  tools?: unknown[];
  tool_choice?: unknown;
  response_format?: unknown;
  stream_options?: { include_usage?: boolean };
  user?: string;
  [key: string]: unknown;
};

export type Usage = { inputTokens: number; outputTokens: number };

/** One chunk of an OpenAI-format stream (`chat.completion.chunk`). */
export type ChatCompletionChunk = {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: Array<{ index: number; delta: Record<string, unknown>; finish_reason: string | null; logprobs?: unknown }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  [key: string]: unknown;
};

export type ChatCompletion = {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: Array<{ index: number; message: Record<string, unknown>; finish_reason: string | null; logprobs?: unknown }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  [key: string]: unknown;
};

export type ChatResult =
  | { kind: "json"; completion: ChatCompletion; usage: Usage | null }
  /**
   * The upstream answered 200 and a stream is open. `batches` yields OpenAI-format chunks as they
   * arrive (no buffering), those of one network read together, never an empty batch;
   * `usage()` is the upstream's own count once the stream has ended, or null.
   */
  | { kind: "stream"; batches: AsyncIterable<ChatCompletionChunk[]>; usage: () => Usage | null };

export type EmbeddingsRequest = { model: string; input: string | string[] | number[] | number[][]; encoding_format?: "float" | "base64"; dimensions?: number; user?: string };
export type EmbeddingsResult = {
  body: { object: "list"; data: Array<{ object: "embedding"; index: number; embedding: number[] | string }>; model: string; usage: { prompt_tokens: number; total_tokens: number } };
  usage: Usage | null;
};

export type CallContext = { provider: ProviderRuntime; upstreamModel: string; signal: AbortSignal };

/**
 * An upstream failure before any byte reached our client. `isRetryable` (connect error, timeout,
 * 429, 5xx) lets the executor fail over to the next route.
 */
export class UpstreamError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly isRetryable: boolean,
    readonly retryAfterMs: number | null = null,
    readonly code: "connect_error" | "timeout" | "rate_limited" | "server_error" | "bad_request" | "auth_error" | "bad_response" = "server_error",
  ) {
    super(message);
    this.name = "UpstreamError";
  }
}

export type ProviderAdapter = {
  kind: ProviderKind;
  /** Calls the upstream. Throws UpstreamError before the first byte; never after `chat` resolved. */
  chat(request: ChatCompletionRequest, context: CallContext): Promise<ChatResult>;
  embeddings(request: EmbeddingsRequest, context: CallContext): Promise<EmbeddingsResult>;
};
