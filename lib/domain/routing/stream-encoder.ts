// The routing API streams one upstream (chat-completion chunks) to clients that speak different
// dialects: Chat Completions passes chunks through, the Responses API sends typed events. The
// stream machinery (freeze watch, client aborts, billing what was sent, settlement) is shared;
// an encoder only decides which SSE frames the client sees.

/** One chat-completion chunk as the upstream adapters yield them (OpenAI's shape). */
export type ChatChunkLike = {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{ index: number; delta: Record<string, unknown>; finish_reason: string | null; logprobs?: unknown }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  [key: string]: unknown;
};

export type TokenUsage = { inputTokens: number; outputTokens: number };

/** What every routed reply tells the client about its metering. */
export type XBlockable = { request_id: string; provider: string; cost_micros?: string; spendable_left_micros?: string };

export type StreamFailure = { status: number; code: string; message: string; type: string };

/** One server-sent event: `event:` when the dialect names its events, then the JSON `data:` (or the literal "[DONE]"). */
export type SseFrame = { event?: string; data: unknown };

export interface StreamEncoder {
  /** Frames before any upstream chunk (Responses: `response.created`, `response.in_progress`). */
  open(): SseFrame[];
  /** Frames for one upstream chunk; may hold something back for `close` (the finish chunk). */
  chunk(chunk: ChatChunkLike): SseFrame[];
  /** After settlement: the closing frames, carrying usage and `x_blockable`. */
  close(usage: TokenUsage, xBlockable: XBlockable): SseFrame[];
  /** The stream stopped early (frozen credits, broken upstream, too long): the error frames. */
  fail(failure: StreamFailure, xBlockable: XBlockable): SseFrame[];
}
