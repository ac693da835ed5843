import { describe, expect, it } from "vitest";
import { createChatStreamEncoder } from "./chat-stream-encoder";
import type { ChatChunkLike, SseFrame } from "./stream-encoder";

const XB = { request_id: "req_1", provider: "sim", cost_micros: "42", spendable_left_micros: "958" };
const USAGE = { inputTokens: 7, outputTokens: 3 };

/** An upstream chunk as an adapter yields it: the upstream's own id, model and timestamps. */
function upstream(delta: Record<string, unknown>, finishReason: string | null = null, extra: Partial<ChatChunkLike> = {}): ChatChunkLike {
  return { id: `chatcmpl-upstream-${Math.random()}`, object: "chat.completion.chunk", created: 1, model: "gpt-upstream-2025", choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra };
}
const upstreamUsageChunk: ChatChunkLike = { id: "chatcmpl-upstream-u", object: "chat.completion.chunk", created: 1, model: "gpt-upstream-2025", choices: [], usage: { prompt_tokens: 99, completion_tokens: 99, total_tokens: 198 } };

const TYPICAL = [upstream({ role: "assistant", content: "" }), upstream({ content: "Hel" }), upstream({ content: "lo" }), upstream({}, "stop"), upstreamUsageChunk];

/** What the client receives, as parsed `data:` payloads (the literal "[DONE]" kept as is). */
function run(includeUsage: boolean, chunks: ChatChunkLike[], ending: "close" | "fail") {
  const encoder = createChatStreamEncoder({ requestId: "req_1", modelSlug: "public-model", includeUsage, createdS: 1_700_000_000 });
  const frames: SseFrame[] = [...encoder.open()];
  for (const chunk of chunks) frames.push(...encoder.chunk(chunk));
  frames.push(...(ending === "close" ? encoder.close(USAGE, XB) : encoder.fail({ status: 502, code: "upstream_stream_broken", message: "broken", type: "api_error" }, XB)));
  // Through JSON, as the client sees it (undefined fields vanish).
  return frames.map((frame) => (frame.data === "[DONE]" ? "[DONE]" : (JSON.parse(JSON.stringify(frame.data)) as Record<string, unknown>)));
}

const objects = (received: ReturnType<typeof run>) => received.filter((d): d is Record<string, unknown> => d !== "[DONE]");
const contents = (received: ReturnType<typeof run>) => objects(received).map((d) => (d.choices as Array<{ delta: { content?: string } }> | undefined)?.[0]?.delta?.content ?? null);

describe("createChatStreamEncoder", () => {
  it.each([
    ["without include_usage", false],
    ["with include_usage", true],
  ])("%s: one id, one created and the public model on every chunk; ends with [DONE]", (_label, includeUsage) => {
    const received = run(includeUsage, TYPICAL, "close");
    expect(received.at(-1)).toBe("[DONE]");
    expect(received.filter((d) => d === "[DONE]")).toHaveLength(1);
    for (const chunk of objects(received)) expect(chunk).toMatchObject({ id: "chatcmpl-req_1", object: "chat.completion.chunk", created: 1_700_000_000, model: "public-model" });
  });

  it.each<[string, boolean, ChatChunkLike[], { contents: (string | null)[]; emptyChoiceChunks: number; lastFinishReason: string | null; lastHasUsage: boolean }]>([
    [
      "without include_usage: no empty-choices chunk; the finish chunk comes last, after settlement",
      false,
      TYPICAL,
      { contents: ["", "Hel", "lo", null], emptyChoiceChunks: 0, lastFinishReason: "stop", lastHasUsage: false },
    ],
    [
      "with include_usage: the finish chunk passes at once, our usage chunk (empty choices) is last",
      true,
      TYPICAL,
      { contents: ["", "Hel", "lo", null, null], emptyChoiceChunks: 1, lastFinishReason: null, lastHasUsage: true },
    ],
    [
      "without include_usage and an upstream that never sent finish_reason: a closing chunk says stop",
      false,
      [upstream({ content: "Hi" })],
      { contents: ["Hi", null], emptyChoiceChunks: 0, lastFinishReason: "stop", lastHasUsage: false },
    ],
    [
      "without include_usage: content after the finish chunk still leaves one chunk to carry x_blockable",
      false,
      [upstream({ content: "a" }, "stop"), upstream({ content: "b" })],
      { contents: ["a", "b"], emptyChoiceChunks: 0, lastFinishReason: null, lastHasUsage: false },
    ],
  ])("%s", (_label, includeUsage, chunks, expected) => {
    const received = objects(run(includeUsage, chunks, "close"));
    const last = received.at(-1)!;
    expect(contents(received)).toEqual(expected.contents);
    expect(received.filter((d) => Array.isArray(d.choices) && d.choices.length === 0)).toHaveLength(expected.emptyChoiceChunks);
    expect(last.x_blockable).toEqual(XB);
    // x_blockable is on the last chunk only.
    expect(received.slice(0, -1).some((d) => "x_blockable" in d)).toBe(false);
    expect((last.choices as Array<{ finish_reason: string | null }>)[0]?.finish_reason ?? null).toBe(expected.lastFinishReason);
    expect("usage" in last).toBe(expected.lastHasUsage);
  });

  it("sends the billed usage, never the upstream's own figures", () => {
    const received = objects(run(true, TYPICAL, "close"));
    expect(received.at(-1)!.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(received.slice(0, -1).some((d) => d.usage !== undefined)).toBe(false);
  });

  it("drops per-chunk usage an upstream attaches to content chunks", () => {
    const received = objects(run(false, [upstream({ content: "x" }, null, { usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }), upstream({}, "stop")], "close"));
    expect(received.some((d) => d.usage !== undefined)).toBe(false);
  });

  it.each([
    ["mid-way", false, [upstream({ content: "Hel" })], ["Hel", null]],
    ["after a held finish chunk: the chunk still reaches the client before the error", false, [upstream({ content: "Hel" }), upstream({}, "stop")], ["Hel", null, null]],
    ["with include_usage: no usage chunk, the error instead", true, [upstream({ content: "Hel" })], ["Hel", null]],
  ])("a failure %s ends with OpenAI's error frame carrying x_blockable, then [DONE]", (_label, includeUsage, chunks, expectedContents) => {
    const received = run(includeUsage, chunks, "fail");
    expect(received.at(-1)).toBe("[DONE]");
    const error = objects(received).at(-1)!;
    expect(error).toEqual({ error: { message: "broken", type: "api_error", code: "upstream_stream_broken", param: null }, x_blockable: XB });
    expect(contents(received)).toEqual(expectedContents);
    expect(objects(received).some((d) => Array.isArray(d.choices) && d.choices.length === 0)).toBe(false);
  });
});
