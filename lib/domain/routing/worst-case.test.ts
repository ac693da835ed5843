import { describe, expect, it } from "vitest";
import { estimateInputTokens, maxOutputTokens, type OutputLimitRequest, type TokenCountableMessage } from "./worst-case";

// One token per whitespace-separated word: easy to count by eye in the tables.
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
// One token per character: for JSON, whose exact text the test spells out.
const chars = (text: string) => text.length;

describe("estimateInputTokens", () => {
  it.each<[string, TokenCountableMessage[], unknown[] | undefined, number]>([
    ["no messages still pay the reply priming (3)", [], undefined, 3],
    ["one user message: 3 + role 1 + 2 words + 3 priming", [{ role: "user", content: "hello there" }], undefined, 9],
    [
      "two messages pay the per-message overhead twice",
      [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
      ],
      undefined,
      3 + (3 + 1 + 2) + (3 + 1 + 1),
    ],
    ["a name costs 1 more plus its own tokens", [{ role: "user", name: "ada", content: "hi" }], undefined, 3 + 3 + 1 + 1 + 1 + 1],
    [
      "text parts count, image parts do not",
      [
        {
          role: "user",
          content: [
            { type: "text", text: "what is this" },
            { type: "image_url", text: undefined },
            { type: "text", text: "be exact" },
          ],
        },
      ],
      undefined,
      3 + 3 + 1 + 3 + 2,
    ],
    ["null content (an assistant turn with only tool calls) counts nothing for content", [{ role: "assistant", content: null }], undefined, 3 + 3 + 1],
    ["tool call id counts", [{ role: "tool", content: "42", tool_call_id: "call_1" }], undefined, 3 + 3 + 1 + 1 + 1],
    ["an empty tools list adds nothing", [{ role: "user", content: "hi" }], [], 3 + 3 + 1 + 1],
  ])("%s", (_label, messages, tools, expected) => {
    expect(estimateInputTokens(messages, words, tools)).toBe(expected);
  });

  it("counts tool calls and tool definitions as their JSON text", () => {
    const toolCalls = [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }];
    const tools = [{ type: "function", function: { name: "f" } }];
    const messages: TokenCountableMessage[] = [{ role: "assistant", content: null, tool_calls: toolCalls }];
    const expected = 3 + 3 + "assistant".length + JSON.stringify(toolCalls).length + JSON.stringify(tools).length;
    expect(estimateInputTokens(messages, chars, tools)).toBe(expected);
  });

  it("accepts the wider ChatMessage shape the providers use", () => {
    const message = { role: "developer" as const, content: [{ type: "text", text: "one two", extra: true }], tool_calls: [] };
    expect(estimateInputTokens([message], words)).toBe(3 + 3 + 1 + 2);
  });

  it.each([[-1], [1.5], [Number.NaN]])("refuses a tokenizer that answers %s", (bad) => {
    expect(() => estimateInputTokens([{ role: "user", content: "x" }], () => bad)).toThrow(RangeError);
  });
});

describe("maxOutputTokens", () => {
  const limits = { estimatedInputTokens: 1_000, contextWindowTokens: 8_000, defaultMaxTokens: 4_096 };

  it.each<[string, OutputLimitRequest, Partial<typeof limits>, number, string]>([
    ["max_completion_tokens wins over max_tokens", { max_completion_tokens: 100, max_tokens: 200 }, {}, 100, "max_completion_tokens"],
    ["max_tokens when it is the only one", { max_tokens: 200 }, {}, 200, "max_tokens"],
    ["null fields fall through like absent ones", { max_completion_tokens: null, max_tokens: 300 }, {}, 300, "max_tokens"],
    ["neither: the default when it fits", {}, {}, 4_096, "default"],
    ["neither: what is left of the window when the default does not fit", {}, { estimatedInputTokens: 6_000 }, 2_000, "default"],
    ["exactly filling the window is allowed", { max_tokens: 7_000 }, {}, 7_000, "max_tokens"],
    ["one token of room is enough for the default", {}, { estimatedInputTokens: 7_999 }, 1, "default"],
  ])("%s", (_label, request, overrides, expected, source) => {
    expect(maxOutputTokens(request, { ...limits, ...overrides })).toEqual({ ok: true, maxOutputTokens: expected, source });
  });

  it.each<[string, OutputLimitRequest, Partial<typeof limits>, string, RegExp]>([
    ["max_tokens one over the room left", { max_tokens: 7_001 }, {}, "max_tokens", /max_tokens is 7,001.*at most 7,000 tokens/],
    ["max_completion_tokens over the room left", { max_completion_tokens: 10_000, max_tokens: 5 }, {}, "max_completion_tokens", /max_completion_tokens is 10,000/],
    ["a prompt that fills the window leaves no room", {}, { estimatedInputTokens: 8_000 }, "messages", /about 8,000 tokens.*no room/],
    ["a prompt longer than the window, even with a small max_tokens", { max_tokens: 1 }, { estimatedInputTokens: 9_000 }, "messages", /no room/],
    ["max_tokens of 0", { max_tokens: 0 }, {}, "max_tokens", /at least 1/],
    ["a negative max_completion_tokens", { max_completion_tokens: -5 }, {}, "max_completion_tokens", /at least 1/],
    ["a fractional max_tokens", { max_tokens: 2.5 }, {}, "max_tokens", /whole number/],
  ])("refuses %s, naming %s", (_label, request, overrides, param, message) => {
    const result = maxOutputTokens(request, { ...limits, ...overrides });
    expect(result).toMatchObject({ ok: false, param });
    expect(result.ok === false && result.message).toMatch(message);
  });
});
