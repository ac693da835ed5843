import { describe, expect, it } from "vitest";
import {
  createResponsesStreamEncoder,
  findStoredReferences,
  parseResponsesRequest,
  renderResponse,
  ResponsesRequestError,
  sseText,
  storedConversation,
  storedResponseOfItemId,
  type ChatCompletionLike,
  type ConversationItem,
  type ResponseObject,
  type StoredContext,
} from "./responses-api";
import type { ChatChunkLike, SseFrame } from "./stream-encoder";

const XB = { request_id: "req_abc", provider: "sim", cost_micros: "42", spendable_left_micros: "958" };
const IDS = { requestId: "req_abc", modelSlug: "public-model", createdS: 1_700_000_000 };
const USAGE = { inputTokens: 11, outputTokens: 5 };

const base = { model: "public-model" };
const chatOf = (body: Record<string, unknown>) => parseResponsesRequest({ ...base, ...body }).chat;

describe("parseResponsesRequest: a Responses request becomes the chat request routed upstream", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["a string input is one user message", { input: "Hi" }, { model: "public-model", messages: [{ role: "user", content: "Hi" }] }],
    [
      "instructions lead as a system message",
      { instructions: "Be brief.", input: "Hi" },
      { messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }] },
    ],
    [
      "message items keep their roles; input_text parts become text parts, images image_url parts",
      {
        input: [
          { role: "developer", content: "Use metric units." },
          { type: "message", role: "user", content: [{ type: "input_text", text: "What is this?" }, { type: "input_image", image_url: "https://x.test/a.png", detail: "low" }] },
        ],
      },
      {
        messages: [
          { role: "developer", content: "Use metric units." },
          { role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: "https://x.test/a.png", detail: "low" } }] },
        ],
      },
    ],
    [
      "an assistant turn echoed back (id, status, annotations and all) is one string",
      { input: [{ type: "message", id: "msg_1", status: "completed", role: "assistant", content: [{ type: "output_text", text: "Hello ", annotations: [] }, { type: "output_text", text: "there" }] }, { role: "user", content: "Go on" }] },
      { messages: [{ role: "assistant", content: "Hello there" }, { role: "user", content: "Go on" }] },
    ],
    [
      "function_call items are the assistant's tool_calls; function_call_output items tool messages",
      {
        input: [
          { role: "user", content: "Weather in Oslo and Lima?" },
          { type: "function_call", id: "fc_1", call_id: "call_1", name: "get_weather", arguments: '{"city":"Oslo"}', status: "completed" },
          { type: "function_call", call_id: "call_2", name: "get_weather", arguments: '{"city":"Lima"}' },
          { type: "function_call_output", call_id: "call_1", output: '{"c":9}' },
          { type: "function_call_output", call_id: "call_2", output: [{ type: "input_text", text: '{"c":' }, { type: "input_text", text: "21}" }] },
        ],
      },
      {
        messages: [
          { role: "user", content: "Weather in Oslo and Lima?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
              { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Lima"}' } },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: '{"c":9}' },
          { role: "tool", tool_call_id: "call_2", content: '{"c":21}' },
        ],
      },
    ],
    [
      "assistant text right before a function call is the same chat turn",
      { input: [{ role: "assistant", content: "Let me check." }, { type: "function_call", call_id: "c", name: "f", arguments: "{}" }] },
      { messages: [{ role: "assistant", content: "Let me check.", tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }] }] },
    ],
    [
      "reasoning items (a provider's hidden state) are left out",
      { input: [{ type: "reasoning", id: "rs_1", summary: [], encrypted_content: "…" }, { role: "user", content: "Hi" }] },
      { messages: [{ role: "user", content: "Hi" }] },
    ],
    [
      "flat function tools become chat tools; tool_choice by name becomes chat's",
      {
        input: "Weather?",
        tools: [{ type: "function", name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: true }],
        tool_choice: { type: "function", name: "get_weather" },
        parallel_tool_calls: false,
      },
      {
        tools: [{ type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: true } }],
        tool_choice: { type: "function", function: { name: "get_weather" } },
        parallel_tool_calls: false,
      },
    ],
    [
      "allowed_tools narrows the tools the model sees and keeps its mode",
      {
        input: "x",
        tools: [
          { type: "function", name: "a" },
          { type: "function", name: "b" },
        ],
        tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "b" }] },
      },
      { tools: [{ type: "function", function: { name: "b" } }], tool_choice: "required" },
    ],
    [
      "max_output_tokens, temperature, top_p, seed and stream carry over",
      { input: "x", max_output_tokens: 32, temperature: 0.2, top_p: 0.9, seed: 7, stream: true },
      { max_tokens: 32, temperature: 0.2, top_p: 0.9, seed: 7, stream: true },
    ],
    ["text.format json_object is chat's json_object", { input: "x", text: { format: { type: "json_object" } } }, { response_format: { type: "json_object" } }],
    [
      "text.format json_schema is chat's json_schema",
      { input: "x", text: { format: { type: "json_schema", name: "weather", schema: { type: "object" }, strict: true, description: "d" } } },
      { response_format: { type: "json_schema", json_schema: { name: "weather", schema: { type: "object" }, strict: true, description: "d" } } },
    ],
    [
      "store, metadata, truncation, service_tier, include without logprobs and stream_options are accepted",
      { input: "x", store: true, metadata: { run: "1" }, truncation: "auto", service_tier: "auto", include: ["reasoning.encrypted_content"], stream_options: { include_obfuscation: false } },
      { messages: [{ role: "user", content: "x" }] },
    ],
    ["reasoning.effort and text.verbosity pass through", { input: "x", reasoning: { effort: "low", summary: "auto" }, text: { verbosity: "low" } }, { reasoning_effort: "low", verbosity: "low" }],
  ])("%s", (_label, body, expected) => {
    expect(chatOf(body)).toMatchObject(expected);
  });

  it("sends nothing the client did not ask for", () => {
    expect(chatOf({ input: "Hi" })).toEqual({ model: "public-model", messages: [{ role: "user", content: "Hi" }] });
    expect(chatOf({ input: "Hi", text: { format: { type: "text" } }, tool_choice: "auto", tools: [] })).toEqual({ model: "public-model", messages: [{ role: "user", content: "Hi" }] });
  });

  it("echoes the settings a Response repeats, with OpenAI's defaults", () => {
    const { echo, isStream } = parseResponsesRequest({ ...base, input: "x", tools: [{ type: "function", name: "f" }] });
    expect(isStream).toBe(false);
    expect(echo).toMatchObject({
      instructions: null,
      tools: [{ type: "function", name: "f", description: null, parameters: null, strict: null }],
      tool_choice: "auto",
      text: { format: { type: "text" } },
      temperature: null,
      top_p: null,
      max_output_tokens: null,
      parallel_tool_calls: true,
      metadata: {},
      truncation: "disabled",
    });
  });

  const refusal = (body: Record<string, unknown>) => {
    try {
      parseResponsesRequest({ ...base, input: "x", ...body });
    } catch (error) {
      if (error instanceof ResponsesRequestError) return { param: error.param, code: error.code, message: error.message };
      throw error;
    }
    return null;
  };

  it.each<[string, Record<string, unknown>, string | null, string]>([
    ["conversation (the Conversations API)", { conversation: "conv_1" }, "conversation", "unsupported_parameter"],
    ["background: true", { background: true }, "background", "unsupported_parameter"],
    ["a stored prompt", { prompt: { id: "pmpt_1" } }, "prompt", "unsupported_parameter"],
    ["top_logprobs", { top_logprobs: 3 }, "top_logprobs", "unsupported_parameter"],
    ["include of logprobs", { include: ["message.output_text.logprobs"] }, "include", "unsupported_parameter"],
    ["max_tool_calls", { max_tool_calls: 2 }, "max_tool_calls", "unsupported_parameter"],
    ["an unknown parameter", { frobnicate: 1 }, "frobnicate", "unknown_parameter"],
    // Keys every object inherits must read as unknown, not as the inherited function (a 500 once).
    ["a key every object inherits: toString", { toString: 1 }, "toString", "unknown_parameter"],
    ["a key every object inherits: constructor", { constructor: 1 }, "constructor", "unknown_parameter"],
    ["a key every object inherits: hasOwnProperty", { hasOwnProperty: 1 }, "hasOwnProperty", "unknown_parameter"],
    ["the built-in web_search tool", { tools: [{ type: "function", name: "f" }, { type: "web_search" }] }, "tools.1.type", "unsupported_parameter"],
    ["the built-in file_search tool", { tools: [{ type: "file_search", vector_store_ids: ["vs_1"] }] }, "tools.0.type", "unsupported_parameter"],
    ["a function tool without a name", { tools: [{ type: "function" }] }, "tools.0.name", "invalid_request"],
    ["more than 128 tools", { tools: Array.from({ length: 129 }, (_, i) => ({ type: "function", name: `f${i}` })) }, "tools", "invalid_request"],
    ["tool_choice of a built-in tool", { tools: [{ type: "function", name: "f" }], tool_choice: { type: "web_search_preview" } }, "tool_choice.type", "unsupported_parameter"],
    ["tool_choice naming an undeclared function", { tools: [{ type: "function", name: "f" }], tool_choice: { type: "function", name: "g" } }, "tool_choice.name", "invalid_request"],
    ["tool_choice required without tools", { tool_choice: "required" }, "tool_choice", "invalid_request"],
    ["an item_reference without an id", { input: [{ role: "user", content: "hi" }, { type: "item_reference" }] }, "input.1.id", "invalid_request"],
    ["an input_file part", { input: [{ role: "user", content: [{ type: "input_text", text: "read" }, { type: "input_file", file_id: "file_1" }] }] }, "input.0.content.1.type", "unsupported_parameter"],
    ["an image by file id", { input: [{ role: "user", content: [{ type: "input_image", file_id: "file_1" }] }] }, "input.0.content.0.file_id", "unsupported_parameter"],
    ["an image in a system message", { input: [{ role: "system", content: [{ type: "input_image", image_url: "https://x.test/a.png" }] }] }, "input.0.content.0.type", "invalid_request"],
    ["a content part of an unknown type", { input: [{ role: "user", content: "a" }, { role: "user", content: "b" }, { role: "user", content: [{ type: "input_video" }] }] }, "input.2.content.0.type", "invalid_request"],
    ["a text part without text", { input: [{ role: "user", content: [{ type: "input_text" }] }] }, "input.0.content.0.text", "invalid_request"],
    ["content that is a number", { input: [{ role: "user", content: 5 }] }, "input.0.content", "invalid_request"],
    ["an unknown role", { input: [{ role: "robot", content: "x" }] }, "input.0.role", "invalid_request"],
    ["an item of a built-in tool", { input: [{ type: "computer_call_output", call_id: "c", output: {} }] }, "input.0.type", "unsupported_parameter"],
    ["a function_call without call_id", { input: [{ type: "function_call", name: "f", arguments: "{}" }] }, "input.0.call_id", "invalid_request"],
    ["a function output with an image", { input: [{ type: "function_call_output", call_id: "c", output: [{ type: "input_image", image_url: "https://x.test/a.png" }] }] }, "input.0.output.0.type", "unsupported_parameter"],
    ["an empty input", { input: [] }, "input", "invalid_request"],
    ["a missing input", { input: undefined }, "input", "invalid_request"],
    ["max_output_tokens of 0", { max_output_tokens: 0 }, "max_output_tokens", "invalid_request"],
    ["temperature above 2", { temperature: 3 }, "temperature", "invalid_request"],
    ["text.format of an unknown type", { text: { format: { type: "xml" } } }, "text.format.type", "invalid_request"],
    ["text.format json_schema without a name", { text: { format: { type: "json_schema", schema: { type: "object" } } } }, "text.format.name", "invalid_request"],
    ["text.format json_schema without a schema", { text: { format: { type: "json_schema", name: "w" } } }, "text.format.schema", "invalid_request"],
  ])("refuses %s with a 400 naming the field", (_label, body, param, code) => {
    const refused = refusal(body);
    expect(refused).toMatchObject({ param, code });
    if (param) expect(refused!.message).toContain(param.split(".")[0]);
  });

  it("accepts the unset forms of refused parameters (background: false, previous_response_id: null, top_logprobs: 0)", () => {
    expect(refusal({ background: false, previous_response_id: null, top_logprobs: 0, conversation: null })).toBeNull();
  });

  it("refuses a body that is not an object", () => {
    expect(() => parseResponsesRequest([1])).toThrow(ResponsesRequestError);
    expect(() => parseResponsesRequest("hi")).toThrow(/JSON object/);
  });
});

const echoFor = (body: Record<string, unknown> = {}) => parseResponsesRequest({ ...base, input: "x", ...body }).echo;
const completion = (message: Record<string, unknown>, finishReason: string): ChatCompletionLike => ({ choices: [{ message, finish_reason: finishReason }] });
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("renderResponse: a chat completion as a Response object", () => {
  it("renders a text answer as one completed message with usage, ids and x_blockable", () => {
    const response = json(renderResponse(IDS, echoFor({ instructions: "Be brief.", metadata: { a: "b" } }), completion({ role: "assistant", content: "Hello there." }, "stop"), USAGE, XB));
    expect(response).toMatchObject({
      id: "resp_abc",
      object: "response",
      created_at: 1_700_000_000,
      status: "completed",
      model: "public-model",
      error: null,
      incomplete_details: null,
      instructions: "Be brief.",
      output: [{ type: "message", id: "msg_abc_0", status: "completed", role: "assistant", content: [{ type: "output_text", text: "Hello there.", annotations: [] }] }],
      output_text: "Hello there.",
      usage: { input_tokens: 11, output_tokens: 5, total_tokens: 16, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
      store: true,
      previous_response_id: null,
      metadata: { a: "b" },
      x_blockable: XB,
    });
  });

  it.each([
    ["cut at the token limit", "length", "incomplete", { reason: "max_output_tokens" }],
    ["stopped by a content filter", "content_filter", "incomplete", { reason: "content_filter" }],
    ["finished", "stop", "completed", null],
  ])("an answer %s is %s", (_label, finishReason, status, details) => {
    const response = renderResponse(IDS, echoFor(), completion({ content: "Cut" }, finishReason), USAGE, XB);
    expect(response.status).toBe(status);
    expect(response.incomplete_details).toEqual(details);
    expect(response.output[0].status).toBe(status);
  });

  it("renders tool calls as function_call items after any text, with the upstream's call ids", () => {
    const response = renderResponse(
      IDS,
      echoFor(),
      completion(
        {
          content: "Checking.",
          tool_calls: [
            { id: "call_x", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
            { id: "call_y", type: "function", function: { name: "get_time", arguments: "{}" } },
          ],
        },
        "tool_calls",
      ),
      USAGE,
      XB,
    );
    expect(response.status).toBe("completed");
    expect(response.output.map((item) => [item.type, item.id])).toEqual([
      ["message", "msg_abc_0"],
      ["function_call", "fc_abc_1"],
      ["function_call", "fc_abc_2"],
    ]);
    expect(response.output[1]).toEqual({ type: "function_call", id: "fc_abc_1", call_id: "call_x", name: "get_weather", arguments: '{"city":"Oslo"}', status: "completed" });
    expect(response.output_text).toBe("Checking.");
  });

  it("a reply of tool calls only has no message item", () => {
    const response = renderResponse(IDS, echoFor(), completion({ content: null, tool_calls: [{ id: "call_x", type: "function", function: { name: "f", arguments: "{}" } }] }, "tool_calls"), USAGE, XB);
    expect(response.output.map((item) => item.type)).toEqual(["function_call"]);
    expect(response.output_text).toBe("");
  });

  it("a refusal is a refusal content part", () => {
    const response = renderResponse(IDS, echoFor(), completion({ content: null, refusal: "I can't help with that." }, "stop"), USAGE, XB);
    expect(response.output[0]).toMatchObject({ type: "message", content: [{ type: "refusal", refusal: "I can't help with that." }] });
  });
});

// ───────────────────────────── Streaming ─────────────────────────────

const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): ChatChunkLike => ({ id: "chatcmpl-up", object: "chat.completion.chunk", created: 1, model: "upstream", choices: [{ index: 0, delta, finish_reason: finishReason }] });
const usageChunk: ChatChunkLike = { id: "chatcmpl-up", object: "chat.completion.chunk", created: 1, model: "upstream", choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };

type Event = Record<string, unknown> & { type: string; sequence_number: number };

function stream(chunks: ChatChunkLike[], ending: "close" | "fail" = "close", body: Record<string, unknown> = {}) {
  const encoder = createResponsesStreamEncoder({ ...IDS, echo: echoFor(body) });
  const frames: SseFrame[] = [...encoder.open()];
  for (const c of chunks) frames.push(...encoder.chunk(c));
  frames.push(...(ending === "close" ? encoder.close(USAGE, XB) : encoder.fail({ status: 402, code: "credits_frozen", message: "Frozen.", type: "insufficient_quota" }, XB)));
  for (const frame of frames) expect(frame.event).toBe((frame.data as Event).type);
  return frames.map((frame) => json(frame.data as Event));
}

const TEXT = [chunk({ role: "assistant", content: "" }), chunk({ content: "Hel" }), chunk({ content: "lo." }), chunk({}, "stop"), usageChunk];

describe("the Responses stream encoder", () => {
  it("streams a text answer with OpenAI's event sequence, numbered from 0", () => {
    const events = stream(TEXT);
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events[0]).toMatchObject({ response: { id: "resp_abc", status: "in_progress", output: [], usage: null, model: "public-model" } });
    for (const delta of events.filter((e) => e.type === "response.output_text.delta")) expect(delta).toMatchObject({ item_id: "msg_abc_0", output_index: 0, content_index: 0 });
    expect(events.find((e) => e.type === "response.output_text.done")).toMatchObject({ text: "Hello." });
  });

  it("ends with the whole response: the items as streamed, the billed usage and x_blockable", () => {
    const events = stream(TEXT);
    const completed = events.at(-1)!.response as Record<string, unknown>;
    expect(completed).toMatchObject({ status: "completed", output_text: "Hello.", usage: { input_tokens: 11, output_tokens: 5, total_tokens: 16 }, x_blockable: XB });
    const itemDone = events.find((e) => e.type === "response.output_item.done")!.item;
    expect(completed.output).toEqual([itemDone]);
  });

  it("agrees with the JSON reply for the same answer", () => {
    const streamed = stream(TEXT).at(-1)!.response;
    const rendered = json(renderResponse(IDS, echoFor(), completion({ content: "Hello." }, "stop"), USAGE, XB));
    expect(streamed).toEqual(rendered);
  });

  it("streams a tool call as a function_call item with argument deltas", () => {
    const events = stream([
      chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }),
      chunk({}, "tool_calls"),
    ]);
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[2]).toMatchObject({ output_index: 0, item: { type: "function_call", id: "fc_abc_0", call_id: "call_1", name: "get_weather", arguments: "", status: "in_progress" } });
    expect(events[5]).toMatchObject({ item_id: "fc_abc_0", arguments: '{"city":"Oslo"}' });
    expect((events.at(-1)!.response as { output: unknown[] }).output).toEqual([{ type: "function_call", id: "fc_abc_0", call_id: "call_1", name: "get_weather", arguments: '{"city":"Oslo"}', status: "completed" }]);
  });

  it("closes the text message before a tool call starts, and numbers items in order", () => {
    const events = stream([
      chunk({ content: "Checking." }),
      chunk({ tool_calls: [{ index: 0, id: "call_1", function: { name: "a", arguments: "{}" } }] }),
      chunk({ tool_calls: [{ index: 1, id: "call_2", function: { name: "b", arguments: "{}" } }] }),
      chunk({}, "tool_calls"),
    ]);
    const added = events.filter((e) => e.type === "response.output_item.added").map((e) => [e.output_index, (e.item as { id: string }).id]);
    expect(added).toEqual([
      [0, "msg_abc_0"],
      [1, "fc_abc_1"],
      [2, "fc_abc_2"],
    ]);
    const messageDone = events.findIndex((e) => e.type === "response.output_item.done" && e.output_index === 0);
    const firstCall = events.findIndex((e) => e.type === "response.output_item.added" && e.output_index === 1);
    expect(messageDone).toBeLessThan(firstCall);
  });

  it("an answer cut at max_output_tokens ends with response.incomplete", () => {
    const events = stream([chunk({ content: "Cut" }), chunk({}, "length")], "close", { max_output_tokens: 16 });
    expect(events.at(-1)).toMatchObject({ type: "response.incomplete", response: { status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, max_output_tokens: 16 } });
    expect(events.find((e) => e.type === "response.output_item.done")).toMatchObject({ item: { status: "incomplete" } });
  });

  it("an empty answer is one empty message, as in the JSON reply", () => {
    const events = stream([chunk({ role: "assistant", content: "" }), chunk({}, "stop")]);
    expect((events.at(-1)!.response as { output: unknown[] }).output).toEqual([{ type: "message", id: "msg_abc_0", status: "completed", role: "assistant", content: [{ type: "output_text", text: "", annotations: [], logprobs: [] }] }]);
  });

  it("a refusal streams as refusal deltas in a refusal part", () => {
    const events = stream([chunk({ refusal: "No" }), chunk({ refusal: "." }), chunk({}, "stop")]);
    expect(events.filter((e) => e.type.startsWith("response.refusal")).map((e) => e.type)).toEqual(["response.refusal.delta", "response.refusal.delta", "response.refusal.done"]);
    expect(events.find((e) => e.type === "response.refusal.done")).toMatchObject({ refusal: "No." });
  });

  it("a stream stopped early sends an error event, then response.failed with what was sent and x_blockable", () => {
    const events = stream([chunk({ content: "Hel" })], "fail");
    expect(events.slice(-2).map((e) => e.type)).toEqual(["error", "response.failed"]);
    expect(events.at(-2)).toMatchObject({ code: "credits_frozen", message: "Frozen.", param: null, x_blockable: XB });
    expect(events.at(-1)).toMatchObject({
      response: { status: "failed", error: { code: "credits_frozen", message: "Frozen." }, output: [{ type: "message", status: "incomplete", content: [{ text: "Hel" }] }], x_blockable: XB },
    });
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, index) => index));
  });

  it("frames each event with an event: line, as OpenAI does", () => {
    expect(sseText({ event: "response.created", data: { type: "response.created" } })).toBe('event: response.created\ndata: {"type":"response.created"}\n\n');
  });
});

// ───────────────────────────── Stored conversations ─────────────────────────────

const STORED_ANSWER: ConversationItem = { id: "msg_prev_0", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: "Oslo is 9 °C.", annotations: [], logprobs: [] }] };
const STORED_CALL: ConversationItem = { id: "fc_prev_1", type: "function_call", call_id: "call_9", name: "get_weather", arguments: '{"city":"Oslo"}', status: "completed" };
const PREVIOUS: ConversationItem[] = [{ id: "msg_prev_in0", type: "message", role: "user", content: [{ type: "input_text", text: "Weather in Oslo?" }], status: "completed" }, STORED_ANSWER];
const storedContext = (context: Partial<StoredContext>): StoredContext => ({ previousConversation: null, items: new Map(), ...context });

describe("continuing a stored conversation: previous_response_id and item references", () => {
  it.each<[string, unknown, ReturnType<typeof findStoredReferences>]>([
    ["nothing in a plain request", { model: "m", input: "hi" }, { previousResponseId: null, itemIds: [] }],
    ["previous_response_id", { model: "m", input: "hi", previous_response_id: "resp_a" }, { previousResponseId: "resp_a", itemIds: [] }],
    [
      "item_reference items and items given by their id alone; never an item given whole",
      {
        input: [
          { type: "item_reference", id: "msg_a_0" },
          { id: "msg_b_0" },
          { id: "fc_c_1", type: "function_call" },
          { id: "msg_d_0", type: "message", role: "assistant", content: "whole" },
          { type: "function_call", id: "fc_e_1", call_id: "c", name: "f", arguments: "{}" },
        ],
      },
      { previousResponseId: null, itemIds: ["msg_a_0", "msg_b_0", "fc_c_1"] },
    ],
    ["nothing in a malformed body (its validation says what is wrong)", { input: [null, 5, { type: "item_reference", id: 7 }], previous_response_id: 1 }, { previousResponseId: null, itemIds: [] }],
    ["nothing in a body that is not an object", [1, 2], { previousResponseId: null, itemIds: [] }],
  ])("finds %s", (_label, body, expected) => {
    expect(findStoredReferences(body)).toEqual(expected);
  });

  it.each<[string, string, ReturnType<typeof storedResponseOfItemId>]>([
    ["an output message", "msg_0123abcd_0", { responseId: "resp_0123abcd", isOutput: true }],
    ["an output function call", "fc_0123abcd_12", { responseId: "resp_0123abcd", isOutput: true }],
    ["an input item named when stored", "fco_0123abcd_in3", { responseId: "resp_0123abcd", isOutput: false }],
    ["an id Blockable did not give", "msg_68f7", null],
    ["a response id", "resp_0123abcd", null],
    ["an id with a path in it", "msg_../x_0", null],
  ])("the item id of %s names its stored response", (_label, itemId, expected) => {
    expect(storedResponseOfItemId(itemId)).toEqual(expected);
  });

  it("prepends the previous response's conversation; only this request's instructions apply", () => {
    const parsed = parseResponsesRequest({ ...base, instructions: "Now in Fahrenheit.", previous_response_id: "resp_prev", input: "And Lima?" }, storedContext({ previousConversation: PREVIOUS }));
    expect(parsed.chat.messages).toEqual([
      { role: "system", content: "Now in Fahrenheit." },
      { role: "user", content: [{ type: "text", text: "Weather in Oslo?" }] },
      { role: "assistant", content: "Oslo is 9 °C." },
      { role: "user", content: "And Lima?" },
    ]);
    expect(parsed.echo).toMatchObject({ previous_response_id: "resp_prev", store: true, instructions: "Now in Fahrenheit." });
    // The stored conversation carries the earlier items as they were, then this input normalised (no instructions).
    expect(parsed.conversationInput).toEqual([...PREVIOUS, { type: "message", id: null, role: "user", content: [{ type: "input_text", text: "And Lima?" }], status: "completed" }]);
  });

  it("resolves item references to the stored items, keeping their ids", () => {
    const items = new Map([
      [STORED_ANSWER.id, STORED_ANSWER],
      [STORED_CALL.id, STORED_CALL],
    ]);
    const parsed = parseResponsesRequest(
      {
        ...base,
        input: [
          { role: "user", content: "Weather in Oslo?" },
          { type: "item_reference", id: "msg_prev_0" },
          { id: "fc_prev_1", type: "function_call" },
          { type: "function_call_output", call_id: "call_9", output: '{"c":9}' },
        ],
      },
      storedContext({ items }),
    );
    expect(parsed.chat.messages).toEqual([
      { role: "user", content: "Weather in Oslo?" },
      { role: "assistant", content: "Oslo is 9 °C.", tool_calls: [{ id: "call_9", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }] },
      { role: "tool", tool_call_id: "call_9", content: '{"c":9}' },
    ]);
    expect(parsed.conversationInput.map((item) => [item.type, item.id])).toEqual([
      ["message", null],
      ["message", "msg_prev_0"],
      ["function_call", "fc_prev_1"],
      ["function_call_output", null],
    ]);
  });

  const refusalWith = (body: Record<string, unknown>, stored: StoredContext) => {
    try {
      parseResponsesRequest({ ...base, ...body }, stored);
    } catch (error) {
      if (error instanceof ResponsesRequestError) return { status: error.status, param: error.param, code: error.code, message: error.message };
      throw error;
    }
    return null;
  };

  it.each<[string, Record<string, unknown>, StoredContext, { status: number; param: string; code: string; message: RegExp }]>([
    [
      "a previous_response_id that was not found (missing, expired, deleted or another organisation's)",
      { input: "hi", previous_response_id: "resp_gone" },
      storedContext({}),
      { status: 404, param: "previous_response_id", code: "not_found", message: /Previous response with id 'resp_gone' not found/ },
    ],
    [
      "an item_reference that was not found",
      { input: [{ role: "user", content: "hi" }, { type: "item_reference", id: "msg_gone_0" }] },
      storedContext({}),
      { status: 404, param: "input.1", code: "not_found", message: /Item with id 'msg_gone_0' not found/ },
    ],
    [
      "an item given twice (an item of the previous response sent again)",
      { input: [STORED_ANSWER, { role: "user", content: "hi" }], previous_response_id: "resp_prev" },
      storedContext({ previousConversation: PREVIOUS }),
      { status: 400, param: "input.0", code: "invalid_request", message: /Duplicate item found with id msg_prev_0/ },
    ],
  ])("refuses %s", (_label, body, stored, expected) => {
    expect(refusalWith(body, stored)).toMatchObject(expected);
  });

  it("store: false is echoed (nothing is kept); store is true by default, as at OpenAI", () => {
    expect(echoFor({ store: false }).store).toBe(false);
    expect(echoFor().store).toBe(true);
    expect(renderResponse(IDS, echoFor({ store: false }), completion({ content: "x" }, "stop"), USAGE, XB).store).toBe(false);
  });

  it("a stored conversation names every input item after the response, then ends with the output", () => {
    const parsed = parseResponsesRequest({ ...base, input: [{ role: "user", content: "a" }, STORED_ANSWER, { type: "function_call_output", call_id: "call_9", output: "b" }] }, storedContext({}));
    const response = renderResponse(IDS, parsed.echo, completion({ content: "Done." }, "stop"), USAGE, XB);
    const conversation = storedConversation(parsed.conversationInput, IDS.requestId, response.output);
    expect(conversation.map((item) => item.id)).toEqual(["msg_abc_in0", "msg_prev_0", "fco_abc_in2", "msg_abc_0"]);
    expect(conversation.at(-1)).toEqual(response.output[0]);
    // Every id Blockable gave leads back to the response that stores the item.
    expect(storedResponseOfItemId(conversation[0].id)).toEqual({ responseId: response.id, isOutput: false });
    expect(storedResponseOfItemId(conversation[3].id)).toEqual({ responseId: response.id, isOutput: true });
  });

  it("the stream encoder hands over the finished response once, and a failed stream's none", () => {
    const finished: ResponseObject[] = [];
    const encoder = createResponsesStreamEncoder({ ...IDS, echo: echoFor(), onFinished: (response) => finished.push(response) });
    encoder.open();
    for (const c of TEXT) encoder.chunk(c);
    const last = encoder.close(USAGE, XB).at(-1)!.data as { response: unknown };
    expect(finished).toEqual([last.response]);

    const failing = createResponsesStreamEncoder({ ...IDS, echo: echoFor(), onFinished: (response) => finished.push(response) });
    failing.open();
    failing.chunk(chunk({ content: "Hel" }));
    failing.fail({ status: 502, code: "upstream_stream_broken", message: "Broken.", type: "api_error" }, XB);
    expect(finished).toHaveLength(1);
  });
});
