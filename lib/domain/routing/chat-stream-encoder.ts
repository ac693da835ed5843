// Chat Completions' dialect of the routed stream (see stream-encoder.ts): which chunks a client
// sees, in OpenAI's own shape, so the common client loops work unchanged.
//
// - Every chunk carries ONE id (`chatcmpl-<requestId>`), one `created` and the public model slug,
//   whatever the upstream (or a failover) used.
// - The upstream's own usage chunk (empty `choices`) never passes: its figures are the upstream's,
//   not what was billed, and a client that did not ask for usage reads `choices[0]` of every
//   chunk. Our usage chunk is sent only when `stream_options.include_usage` asked for it.
// - `x_blockable` (what the request cost, what is left) is known only after settlement and rides
//   on the LAST chunk: the usage chunk when there is one, otherwise the chunk with
//   `finish_reason`, held back until then.

import type { ChatChunkLike, SseFrame, StreamEncoder, StreamFailure, TokenUsage, XBlockable } from "./stream-encoder";

export type ChatStreamEncoderOptions = {
  requestId: string;
  /** The model as the client named it (never the upstream's model id). */
  modelSlug: string;
  /** `stream_options.include_usage` of the request. */
  includeUsage: boolean;
  /** Unix seconds, the same on every chunk. */
  createdS: number;
};

const DONE: SseFrame = { data: "[DONE]" };

export function chatStreamId(requestId: string): string {
  return `chatcmpl-${requestId}`;
}

export function createChatStreamEncoder(options: ChatStreamEncoderOptions): StreamEncoder {
  const id = chatStreamId(options.requestId);
  const { modelSlug: model, createdS: created, includeUsage } = options;
  /** Without include_usage: the latest chunk since a finish_reason was seen, sent at close. */
  let held: ChatChunkLike | null = null;

  // `usage: undefined` drops an upstream's per-chunk usage (null or figures) from the JSON.
  const restamp = (chunk: ChatChunkLike): ChatChunkLike => ({ ...chunk, id, object: "chat.completion.chunk", created, model, usage: undefined });

  return {
    open: () => [],

    chunk(chunk) {
      if (chunk.choices.length === 0) return [];
      const restamped = restamp(chunk);
      if (includeUsage) return [{ data: restamped }];
      // Something after the finish chunk (rare): send what was held, hold the newest instead,
      // so the last chunk can still carry x_blockable.
      if (held) {
        const previous = held;
        held = restamped;
        return [{ data: previous }];
      }
      if (chunk.choices.some((choice) => choice.finish_reason !== null && choice.finish_reason !== undefined)) {
        held = restamped;
        return [];
      }
      return [{ data: restamped }];
    },

    close(usage: TokenUsage, xBlockable: XBlockable) {
      if (includeUsage) {
        const usageChunk = {
          id,
          object: "chat.completion.chunk",
          created,
          model,
          choices: [],
          usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens },
          x_blockable: xBlockable,
        };
        return [{ data: usageChunk }, DONE];
      }
      // An upstream that ended without a finish_reason: its stream ended normally, which is "stop".
      const last = held ?? { id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] };
      held = null;
      return [{ data: { ...last, x_blockable: xBlockable } }, DONE];
    },

    fail(failure: StreamFailure, xBlockable: XBlockable) {
      // A held finish chunk was generated and billed: the client gets it before the error.
      const frames: SseFrame[] = held ? [{ data: held }] : [];
      held = null;
      frames.push({ data: { error: { message: failure.message, type: failure.type, code: failure.code, param: null }, x_blockable: xBlockable } }, DONE);
      return frames;
    },
  };
}
