import { createOpenAI } from "@ai-sdk/openai";
import { generateObject, generateText, stepCountIs, tool } from "ai";
import { Ajv } from "ajv";
import fc from "fast-check";
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { countTokens } from "@/lib/server/routing/tokenizer";
import { UpstreamError, type CallContext, type ChatCompletion, type ChatCompletionChunk, type ChatCompletionRequest, type ChatMessage } from "../types";
import { chunksOf } from "../upstream-http";
import { createSimulatorAdapter, planSimulatedReply, readSimulatorConfig, simulatorAdapter, type SimulatedReply } from "./index";

// The tokenizer counts exactly up to a budget per event-loop turn, then estimates: each test (and
// each fuzzed request) starts in a fresh turn, as each request does in the server.
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
beforeEach(nextTurn);

const instant = { latencyMs: 0, tokensPerSecond: 0 };
/** The adapter as the registry builds it: OpenAI's o200k_base tokenizer. */
const simulator = createSimulatorAdapter(countTokens);

function context(config: Record<string, unknown> = instant, signal = new AbortController().signal): CallContext {
  return { provider: { id: "sim", slug: "simulator", kind: "simulator", baseUrl: null, apiKey: null, config, timeoutMs: 30_000 }, upstreamModel: "sim-small", signal };
}

const ask = (content: string, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({ model: "demo/sim", messages: [{ role: "user", content }], ...extra });

async function complete(request: ChatCompletionRequest, config?: Record<string, unknown>): Promise<ChatCompletion> {
  const result = await simulator.chat({ ...request, stream: false }, context(config));
  if (result.kind !== "json") throw new Error("expected json");
  return result.completion;
}

const contentOf = async (request: ChatCompletionRequest) => (await complete(request)).choices[0].message.content as string;
const plan = (request: ChatCompletionRequest): SimulatedReply => planSimulatedReply(request, countTokens);
const textOfPlan = (reply: SimulatedReply) => (reply.kind === "text" ? reply.pieces.join("") : "");

async function collect(chunks: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const received: ChatCompletionChunk[] = [];
  for await (const chunk of chunks) received.push(chunk);
  return received;
}

function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
}

/** The simulator behind a `fetch`, so real clients (openai, the AI SDK) talk to it as to an upstream. */
function simulatorFetch(): typeof fetch {
  return async (_url, init) => {
    const result = await simulator.chat(JSON.parse(String(init?.body)), context());
    if (result.kind === "json") return Response.json(result.completion);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for await (const chunk of chunksOf(result.batches)) controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`));
        controller.enqueue(encoder.encode("data: [DONE]\n\n"));
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  };
}

const ajv = new Ajv({ strict: false, allErrors: true });
function schemaErrors(schema: object, value: unknown): string {
  const validate = ajv.compile(schema);
  return validate(value) ? "" : ajv.errorsText(validate.errors);
}

type ToolCall = { id: string; type: string; function: { name: string; arguments: string } };
const weatherTool = { type: "function", function: { name: "get_weather", description: "Current weather in a city", parameters: { type: "object", properties: { location: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } }, required: ["location"] } } };
const timeTool = { type: "function", function: { name: "get_time", description: "The local time in a timezone", parameters: { type: "object", properties: {} } } };
const searchTool = { type: "function", function: { name: "search_docs", description: "Full-text search over the product documentation", parameters: { type: "object", properties: { query: { type: "string" }, limit: { type: "integer", minimum: 1, maximum: 10 } }, required: ["query", "limit"], additionalProperties: false }, strict: true } };
const Weather = z.object({ city: z.string(), temperatureC: z.number(), conditions: z.enum(["sunny", "cloudy", "rain"]) });

describe("simulator: deterministic answers", () => {
  it("gives the same answer (with a fresh id) for the same messages and seed", async () => {
    const first = await complete(ask("Tell me about credit", { seed: 7 }));
    const second = await complete(ask("Tell me about credit", { seed: 7 }));
    expect(second.choices[0].message.content).toBe(first.choices[0].message.content);
    expect(second.id).not.toBe(first.id);
  });

  it("is deterministic on the prompt alone when no seed is given", async () => {
    expect(await contentOf(ask("Tell me about credit"))).toBe(await contentOf(ask("Tell me about credit")));
  });

  it.each([
    ["another seed", ask("Tell me about credit", { seed: 8 })],
    ["another question", ask("Tell me about compute", { seed: 7 })],
  ])("gives a different answer for %s", async (_label, request) => {
    expect(await contentOf(request)).not.toBe(await contentOf(ask("Tell me about credit", { seed: 7 })));
  });

  it("different seeds give different answers, not one or two", async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, seed) => contentOf(ask("Hello", { seed }))));
    expect(new Set(answers).size).toBe(10);
  });

  it("writes capitalised sentences ending with a full stop", async () => {
    expect(await contentOf(ask("Hello"))).toMatch(/^[A-Z][a-z]*( [a-z]+| [A-Z][a-z]*|\.)*\.$/);
  });

  it("repeats tool-call ids and arguments for the same request and seed, and varies them with the seed", () => {
    const call = (seed: number) => plan(ask("What's the weather in Paris?", { tools: [weatherTool], seed }));
    expect(call(1)).toEqual(call(1));
    const ids = new Set(Array.from({ length: 5 }, (_, seed) => (call(seed) as Extract<SimulatedReply, { kind: "tool_call" }>).toolCall.id));
    expect(ids.size).toBe(5);
  });
});

describe("simulator: length, stop and usage", () => {
  const natural = (request: ChatCompletionRequest) => textOfPlan(plan({ ...request, max_tokens: undefined, max_completion_tokens: undefined }));

  it("a reply has a natural length of 24–80 tokens that varies with the prompt, and stops on its own", () => {
    const replies = Array.from({ length: 30 }, (_, index) => plan(ask(`Question number ${index}`)));
    for (const reply of replies) {
      expect(reply).toMatchObject({ kind: "text", finishReason: "stop" });
      expect(reply.usage.outputTokens).toBeGreaterThanOrEqual(24);
      expect(reply.usage.outputTokens).toBeLessThanOrEqual(80);
    }
    expect(new Set(replies.map((reply) => reply.usage.outputTokens)).size).toBeGreaterThan(10);
  });

  it.each<[string, Partial<ChatCompletionRequest>]>([
    ["max_tokens 256", { max_tokens: 256 }],
    ["max_tokens 100", { max_tokens: 100 }],
    ["max_completion_tokens 81", { max_completion_tokens: 81 }],
  ])("%s above the natural length → the whole reply, finish_reason stop", async (_label, extra) => {
    const completion = await complete(ask("Hello", extra));
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(completion.choices[0].message.content).toBe(natural(ask("Hello")));
  });

  it("max_tokens exactly the natural length → stop, not length", () => {
    const whole = plan(ask("Hello"));
    expect(plan(ask("Hello", { max_tokens: whole.usage.outputTokens }))).toEqual(whole);
  });

  it.each<[string, Partial<ChatCompletionRequest>, number]>([
    ["max_tokens 10", { max_tokens: 10 }, 10],
    ["max_tokens 1", { max_tokens: 1 }, 1],
    ["max_completion_tokens 7 wins over max_tokens 10", { max_tokens: 10, max_completion_tokens: 7 }, 7],
    ["max_tokens 20", { max_tokens: 20 }, 20],
  ])("%s below the natural length → cut at exactly that many tokens, finish_reason length", async (_label, extra, tokens) => {
    const completion = await complete(ask("Hello", extra));
    const content = completion.choices[0].message.content as string;
    expect(completion.choices[0].finish_reason).toBe("length");
    expect(completion.usage!.completion_tokens).toBe(tokens);
    expect(countTokens(content)).toBe(tokens);
    expect(natural(ask("Hello")).startsWith(content)).toBe(true);
  });

  it("max_tokens 0 → nothing, finish_reason length", async () => {
    const completion = await complete(ask("Hello", { max_tokens: 0 }));
    expect(completion.choices[0]).toMatchObject({ message: { content: "" }, finish_reason: "length" });
    expect(completion.usage!.completion_tokens).toBe(0);
  });

  it("reports the tokenizer's count of what it produced", async () => {
    const byCharacters = createSimulatorAdapter((text) => text.length);
    const result = await byCharacters.chat(ask("anything at all", { max_tokens: 30 }), context());
    if (result.kind !== "json") throw new Error("expected json");
    const content = result.completion.choices[0].message.content as string;
    expect(result.usage!.outputTokens).toBe(content.length);
    expect(content.length).toBeLessThanOrEqual(30);
    expect(result.completion.usage!.completion_tokens).toBe(content.length);
  });

  it("cuts at the first stop sequence, counts only what was kept and finishes with stop", async () => {
    const full = natural(ask("Hello"));
    const stop = ` ${full.split(" ")[5]}`;
    const kept = full.slice(0, full.indexOf(stop));
    const completion = await complete(ask("Hello", { stop: ["never-there", stop] }));
    expect(completion.choices[0].message.content).toBe(kept);
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(completion.usage!.completion_tokens).toBe(countTokens(kept));
  });

  it("a stop sequence inside a word keeps the word's beginning", async () => {
    const full = natural(ask("Hello"));
    const third = full.split(" ")[2];
    const cutAt = full.indexOf(` ${third}`) + 2;
    expect(await contentOf(ask("Hello", { stop: third.slice(1) }))).toBe(full.slice(0, cutAt));
  });

  it("max_tokens reached before the stop sequence → length; the stop sequence first → stop", async () => {
    const full = natural(ask("Hello"));
    const late = full.split(" ").at(-2)!;
    expect((await complete(ask("Hello", { stop: ` ${late}`, max_tokens: 3 }))).choices[0].finish_reason).toBe("length");
    const early = full.split(" ")[1];
    expect((await complete(ask("Hello", { stop: ` ${early}`, max_tokens: 20 }))).choices[0].finish_reason).toBe("stop");
  });

  it("counts input tokens with the tokenizer it was given, with chat framing", () => {
    const reply = planSimulatedReply({ model: "m", messages: [{ role: "system", content: "abc" }, { role: "user", content: "hello" }] }, (text) => text.length);
    // 3 for the reply + per message: 3 + role + content
    expect(reply.usage.inputTokens).toBe(3 + (3 + 6 + 3) + (3 + 4 + 5));
  });
});

describe("simulator: structured output", () => {
  it("openai's parse() with a zod schema and max_tokens 200 gets a complete, valid object", async () => {
    const openai = new OpenAI({ apiKey: "sk-test", baseURL: "http://simulator.invalid/v1", fetch: simulatorFetch(), maxRetries: 0 });
    for (const city of ["Lisbon", "Nairobi", "Osaka"]) {
      const completion = await openai.chat.completions.parse({ model: "m", messages: [{ role: "user", content: `Report the weather in ${city} as JSON.` }], response_format: zodResponseFormat(Weather, "weather"), max_tokens: 200 });
      expect(completion.choices[0].finish_reason).toBe("stop");
      expect(Weather.parse(completion.choices[0].message.parsed)).toMatchObject({ city });
    }
  });

  it("the AI SDK's generateObject over chat completions gets a valid object", async () => {
    const provider = createOpenAI({ apiKey: "sk-test", baseURL: "http://simulator.invalid/v1", fetch: simulatorFetch() });
    const { object } = await generateObject({ model: provider.chat("m"), schema: Weather, prompt: "The weather in Osaka.", maxRetries: 0 });
    expect(Weather.parse(object).city).toBe("Osaka");
  });

  const jsonSchema = (schema: object, strict = false, extra: Partial<ChatCompletionRequest> = {}) => ask("Describe an order", { response_format: { type: "json_schema", json_schema: { name: "x", schema, strict } }, ...extra });

  it.each<[string, object, boolean]>([
    ["scalars", { type: "object", properties: { city: { type: "string" }, score: { type: "integer" }, ok: { type: "boolean" } }, required: ["city", "score", "ok"] }, false],
    [
      "nested objects, arrays, enums, nullable and formats (strict)",
      {
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          placedAt: { type: "string", format: "date-time" },
          customer: { type: "object", properties: { name: { type: "string" }, email: { type: "string", format: "email" } }, required: ["name", "email"], additionalProperties: false },
          lines: { type: "array", minItems: 1, maxItems: 3, items: { type: "object", properties: { sku: { type: "string", pattern: "^[A-Z]{3}-\\d{3}$" }, quantity: { type: "integer", minimum: 1 }, price: { type: "number", exclusiveMinimum: 0 } }, required: ["sku", "quantity", "price"], additionalProperties: false } },
          status: { enum: ["open", "paid", "shipped"] },
          note: { type: ["string", "null"] },
        },
        required: ["id", "placedAt", "customer", "lines", "status", "note"],
        additionalProperties: false,
      },
      true,
    ],
    ["anyOf and $ref to definitions", { definitions: { money: { type: "object", properties: { amount: { type: "number" }, currency: { const: "USD" } }, required: ["amount", "currency"] } }, type: "object", properties: { total: { $ref: "#/definitions/money" }, discount: { anyOf: [{ $ref: "#/definitions/money" }, { type: "null" }] } }, required: ["total", "discount"] }, false],
  ])("json_schema (%s) → JSON valid against the schema", async (_label, schema, strict) => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const completion = await complete(jsonSchema(schema, strict, { seed }));
      expect(completion.choices[0].finish_reason).toBe("stop");
      const value = JSON.parse(completion.choices[0].message.content as string);
      expect(schemaErrors(schema, value)).toBe("");
      if (strict) expect(Object.keys(value)).toEqual(Object.keys((schema as { properties: object }).properties));
    }
  });

  it("a JSON reply longer than max_tokens is cut there, with length, as OpenAI does", async () => {
    const schema = { type: "object", properties: Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`field${index}`, { type: "string" }])), required: Array.from({ length: 20 }, (_, index) => `field${index}`) };
    const completion = await complete(jsonSchema(schema, false, { max_tokens: 30 }));
    expect(completion.choices[0].finish_reason).toBe("length");
    expect(completion.usage!.completion_tokens).toBe(30);
    expect(() => JSON.parse(completion.choices[0].message.content as string)).toThrow();
  });

  it.each<[string, ChatMessage[], (value: Record<string, unknown>) => void]>([
    ["keys named in the prompt", [{ role: "user", content: "Return a JSON object with keys name, age and city." }], (value) => expect(Object.keys(value)).toEqual(["name", "age", "city"])],
    ["quoted keys in the system prompt", [{ role: "system", content: 'Answer as JSON with "title" and "year".' }, { role: "user", content: "A film about routing." }], (value) => expect(value).toEqual({ title: expect.any(String), year: expect.any(Number) })],
    ["a counted list", [{ role: "user", content: "List 4 fruits in JSON." }], (value) => expect(value).toEqual({ fruits: ["fruit 1", "fruit 2", "fruit 3", "fruit 4"] })],
    ["a list of places", [{ role: "user", content: "Give me a list of cities to visit, as JSON." }], (value) => expect((value.cities as string[]).length).toBe(3)],
    ["a plain question: its topic and place", [{ role: "user", content: "What is the weather like in Lisbon? Reply in JSON." }], (value) => expect(value).toMatchObject({ topic: expect.stringContaining("weather"), location: "Lisbon", answer: expect.any(String) })],
  ])("json_object with %s → a JSON object that reflects it", async (_label, messages, check) => {
    const completion = await complete({ model: "m", messages, response_format: { type: "json_object" }, max_tokens: 200 });
    expect(completion.choices[0].finish_reason).toBe("stop");
    check(JSON.parse(completion.choices[0].message.content as string));
  });

  it.each<[string, unknown]>([
    ["a schema nested 5,000 levels deep", (() => {
      let schema: Record<string, unknown> = { type: "string" };
      for (let i = 0; i < 5_000; i++) schema = { type: "object", properties: { next: schema }, required: ["next"] };
      return schema;
    })()],
    ["cyclic refs", { $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" }],
    ["garbage", { type: 7, properties: "x", required: {}, items: [null], anyOf: 3 }],
  ])("json_schema with %s is answered, never thrown (no breaker trip), quickly", async (_label, schema) => {
    const startedAtMs = performance.now();
    const completion = await complete(ask("Go", { response_format: { type: "json_schema", json_schema: { name: "x", schema } } }));
    expect(performance.now() - startedAtMs).toBeLessThan(1_000);
    expect(() => JSON.parse(completion.choices[0].message.content as string)).not.toThrow();
  });
});

describe("simulator: tools", () => {
  it.each<[string, Partial<ChatCompletionRequest>, string, string | null]>([
    ["the tool the prompt asks for", { tools: [timeTool, weatherTool] }, "What's the weather in Paris?", "get_weather"],
    ["another tool by its name", { tools: [weatherTool, timeTool] }, "What time is it in Oslo?", "get_time"],
    ["a tool by its description", { tools: [weatherTool, searchTool] }, "Look up the documentation about billing", "search_docs"],
    ["a forced function, whatever was asked", { tools: [weatherTool, timeTool], tool_choice: { type: "function", function: { name: "get_time" } } }, "What's the weather in Paris?", "get_time"],
    ['tool_choice "required" → the best match', { tools: [timeTool, weatherTool], tool_choice: "required" }, "What's the weather in Paris?", "get_weather"],
    ['tool_choice "required", nothing matches → the first tool', { tools: [timeTool, weatherTool], tool_choice: "required" }, "Hello there", "get_time"],
    ['tool_choice "none" → text', { tools: [weatherTool], tool_choice: "none" }, "What's the weather in Paris?", null],
    ["a prompt no tool is about → text", { tools: [weatherTool, timeTool] }, "Say hello to the team.", null],
    ["no tools → text", {}, "What's the weather in Paris?", null],
  ])("%s", async (_label, extra, prompt, expectedTool) => {
    const choice = (await complete(ask(prompt, extra))).choices[0];
    if (expectedTool === null) {
      expect(choice.finish_reason).toBe("stop");
      expect(typeof choice.message.content).toBe("string");
      return;
    }
    const [call] = choice.message.tool_calls as ToolCall[];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    expect(call).toMatchObject({ type: "function", function: { name: expectedTool } });
    expect(call.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
  });

  it.each([
    ["weather", weatherTool, "What's the weather in Paris?"],
    ["search (strict)", searchTool, "Search the docs for refunds"],
  ])("%s: arguments valid against the tool's parameters, filled from the prompt", async (_label, toolSpec, prompt) => {
    for (const seed of [1, 2, 3]) {
      const [call] = (await complete(ask(prompt, { tools: [toolSpec], seed }))).choices[0].message.tool_calls as ToolCall[];
      const args = JSON.parse(call.function.arguments);
      expect(schemaErrors(toolSpec.function.parameters, args)).toBe("");
      if (toolSpec === weatherTool) expect(args.location).toBe("Paris");
      else expect(args.query).toBe(prompt);
    }
  });

  const weatherRound = (content: ChatMessage["content"]): ChatMessage[] => [
    { role: "user", content: "What is the weather in Paris right now?" },
    { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } }] },
    { role: "tool", tool_call_id: "call_1", content },
  ];

  it.each<[string, ChatMessage[], string[]]>([
    ["a JSON result", weatherRound(JSON.stringify({ temperatureC: 21, conditions: "sunny" })), ["get_weather", "21", "sunny"]],
    ["a result as content parts", weatherRound([{ type: "text", text: '{"temperatureC":9,"conditions":"rain"}' }]), ["9", "rain"]],
    ["a nested result", weatherRound(JSON.stringify({ city: "Paris", current: { tempC: 17, wind: "NW" } })), ["Paris", "17", "NW"]],
    ["a plain-text result", weatherRound("Mild, 18 degrees, light breeze."), ['"Mild, 18 degrees, light breeze."']],
    ["a list result", weatherRound(JSON.stringify(["Paris 21", "Lyon 19"])), ["2 results", "Paris 21", "Lyon 19"]],
    [
      "two parallel results",
      [
        { role: "user", content: "Weather in Paris and the time in Oslo?" },
        { role: "assistant", content: null, tool_calls: [{ id: "a", type: "function", function: { name: "get_weather", arguments: "{}" } }, { id: "b", type: "function", function: { name: "get_time", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "a", content: '{"temperatureC":23}' },
        { role: "tool", tool_call_id: "b", content: '{"time":"14:05"}' },
      ],
      ["get_weather", "23", "get_time", "14:05"],
    ],
  ])("after %s → a text answer that uses it, finish_reason stop", async (_label, messages, quoted) => {
    const choice = (await complete({ model: "m", messages, tools: [weatherTool, timeTool] })).choices[0];
    expect(choice.finish_reason).toBe("stop");
    expect(choice.message.tool_calls).toBeUndefined();
    for (const text of quoted) expect(choice.message.content).toContain(text);
  });

  it("a structured reply after a tool result takes its values from the result", async () => {
    const messages = weatherRound(JSON.stringify({ temperatureC: 21, conditions: "rain" }));
    const content = await contentOf({ model: "m", messages, response_format: zodResponseFormat(Weather, "weather") });
    expect(Weather.parse(JSON.parse(content))).toEqual({ city: "Paris", temperatureC: 21, conditions: "rain" });
  });

  it("a new question after a tool round may call the tool again; tool_choice required always does", async () => {
    const messages: ChatMessage[] = [...weatherRound('{"temperatureC":21}'), { role: "assistant", content: "It is 21." }, { role: "user", content: "And the weather in Oslo?" }];
    expect((await complete({ model: "m", messages, tools: [weatherTool] })).choices[0].finish_reason).toBe("tool_calls");
    expect((await complete({ model: "m", messages: weatherRound('{"temperatureC":21}'), tools: [weatherTool], tool_choice: "required" })).choices[0].finish_reason).toBe("tool_calls");
  });

  it("openai SDK tools round trip: one call, then the answer", async () => {
    const openai = new OpenAI({ apiKey: "sk-test", baseURL: "http://simulator.invalid/v1", fetch: simulatorFetch(), maxRetries: 0 });
    const tools: OpenAI.ChatCompletionTool[] = [{ type: "function", function: { name: "get_weather", description: "Current weather in a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false } } }];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "What is the weather in Paris right now?" }];
    const first = await openai.chat.completions.create({ model: "m", messages, tools });
    const call = first.choices[0].message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(JSON.parse(call.function.arguments)).toEqual({ city: "Paris" });
    messages.push(first.choices[0].message, { role: "tool", tool_call_id: call.id, content: JSON.stringify({ temperatureC: 21, conditions: "sunny" }) });
    const second = await openai.chat.completions.create({ model: "m", messages, tools });
    expect(second.choices[0].finish_reason).toBe("stop");
    expect(second.choices[0].message.content).toContain("21");
  });

  it("the AI SDK's multi-step loop (streamed and not) ends after one tool round with a text answer", async () => {
    const provider = createOpenAI({ apiKey: "sk-test", baseURL: "http://simulator.invalid/v1", fetch: simulatorFetch() });
    const result = await generateText({
      model: provider.chat("m"),
      tools: { get_weather: tool({ description: "Current weather in a city", inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, temperatureC: 17, conditions: "cloudy" }) }) },
      stopWhen: stepCountIs(5),
      prompt: "What is the weather in Toronto?",
      maxRetries: 0,
    });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0].toolCalls[0]).toMatchObject({ toolName: "get_weather", input: { city: "Toronto" } });
    expect(result.finishReason).toBe("stop");
    expect(result.text).toContain("17");
  });
});

describe("simulator: never throws, stays within its limits", () => {
  const json = fc.jsonValue({ maxDepth: 6 });
  const message = fc.record({
    role: fc.constantFrom("system", "user", "assistant", "tool", "developer"),
    content: fc.oneof(fc.string(), fc.constant(null), fc.array(fc.record({ type: fc.constant("text"), text: fc.string() }))),
    tool_call_id: fc.option(fc.string(), { nil: undefined }),
    tool_calls: fc.option(fc.array(fc.record({ id: fc.string(), type: fc.constant("function"), function: fc.record({ name: fc.string(), arguments: fc.string() }) })), { nil: undefined }),
  }) as fc.Arbitrary<ChatMessage>;
  const request = fc.record({
    model: fc.constant("m"),
    messages: fc.array(message, { minLength: 1, maxLength: 6 }),
    max_tokens: fc.option(fc.nat({ max: 300 }), { nil: undefined }),
    seed: fc.option(fc.integer(), { nil: undefined }),
    stop: fc.option(fc.oneof(fc.string(), fc.array(fc.string())), { nil: undefined }),
    tools: fc.option(fc.array(fc.record({ type: fc.constant("function"), function: fc.record({ name: fc.string(), description: fc.string(), parameters: json }) })), { nil: undefined }),
    tool_choice: fc.option(fc.oneof(fc.constantFrom("auto", "none", "required"), json), { nil: undefined }),
    response_format: fc.option(fc.oneof(fc.record({ type: fc.constantFrom("json_object", "text") }), fc.record({ type: fc.constant("json_schema"), json_schema: fc.record({ name: fc.string(), schema: json, strict: fc.boolean() }) })), { nil: undefined }),
  }) as fc.Arbitrary<ChatCompletionRequest>;

  it("any request: a reply within max_tokens whose stream pieces are its content and whose usage is its token count", async () => {
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        await nextTurn();
        const reply = plan(input);
        if (input.max_tokens !== undefined) expect(reply.usage.outputTokens).toBeLessThanOrEqual(input.max_tokens);
        if (reply.kind === "text") expect(reply.usage.outputTokens).toBe(countTokens(reply.pieces.join("")));
        if (reply.kind === "tool_call" && reply.finishReason === "tool_calls") expect(typeof JSON.parse(reply.toolCall.arguments)).toBe("object");
      }),
      { numRuns: 300 },
    );
  });

  it("plans an ordinary reply in microseconds", () => {
    const startedAtMs = performance.now();
    for (let i = 0; i < 2_000; i++) plan(ask(`Benchmark me, briefly. ${i}`, { max_tokens: 16 }));
    // ~20 µs each on a quiet machine; the bound is for a busy CI one.
    expect(performance.now() - startedAtMs).toBeLessThan(2_000);
  });

  it("a 100 KB one-word message is planned at once", () => {
    const startedAtMs = performance.now();
    plan(ask("x".repeat(100_000), { response_format: { type: "json_object" } }));
    expect(performance.now() - startedAtMs).toBeLessThan(500);
  });
});

describe("simulator: failures", () => {
  it("fails every request at failureRate 1 with a retryable 503", async () => {
    const error = await simulatorAdapter.chat(ask("Hello"), context({ ...instant, failureRate: 1 })).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 503, isRetryable: true, code: "server_error" });
  });

  it("decides failures deterministically from the request when a seed is given", async () => {
    const outcomes = async () =>
      Promise.all(
        Array.from({ length: 20 }, (_, seed) =>
          simulatorAdapter.chat(ask("Hello", { seed }), context({ ...instant, failureRate: 0.5 })).then(
            () => "ok",
            () => "failed",
          ),
        ),
      );
    const first = await outcomes();
    expect(await outcomes()).toEqual(first);
    expect(first).toContain("ok");
    expect(first).toContain("failed");
  });

  it.each([
    ["defaults", {}, { latencyMs: 20, tokensPerSecond: 200, failureRate: 0 }],
    ["values out of range are clamped", { latencyMs: -5, tokensPerSecond: -1, failureRate: 3 }, { latencyMs: 0, tokensPerSecond: 0, failureRate: 1 }],
    ["non-numbers fall back to defaults", { latencyMs: "fast", failureRate: null }, { latencyMs: 20, tokensPerSecond: 200, failureRate: 0 }],
  ])("config: %s", (_label, config, expected) => {
    expect(readSimulatorConfig(config)).toEqual(expected);
  });
});

describe("simulator: streaming", () => {
  it("streams one chunk per token, then finish_reason, then usage, matching the JSON answer", async () => {
    const request = ask("Hello", { max_tokens: 12, seed: 1 });
    const json = await complete(request);
    const result = await simulator.chat({ ...request, stream: true }, context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    expect(result.usage()).toBeNull();
    const chunks = await collect(chunksOf(result.batches));
    expect(chunks).toHaveLength(12 + 2);
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    expect(chunks.slice(1, 12).every((chunk) => chunk.choices[0].delta.role === undefined)).toBe(true);
    expect(chunks.slice(0, 12).every((chunk) => countTokens(chunk.choices[0].delta.content as string) === 1)).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(json.choices[0].message.content);
    expect(chunks[12].choices[0]).toMatchObject({ delta: {}, finish_reason: "length" });
    expect(chunks[13]).toMatchObject({ choices: [], usage: json.usage });
    expect(result.usage()).toEqual({ inputTokens: json.usage!.prompt_tokens, outputTokens: 12 });
  });

  it("streams a JSON reply whole, finishing with stop", async () => {
    const request = ask("Weather in Lima", { response_format: zodResponseFormat(Weather, "weather"), max_tokens: 200, stream: true });
    const result = await simulator.chat(request, context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    const chunks = await collect(chunksOf(result.batches));
    expect(Weather.parse(JSON.parse(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join(""))).city).toBe("Lima");
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe("stop");
  });

  it("streams a tool call as a name chunk then an arguments chunk", async () => {
    const result = await simulator.chat(ask("weather in Oslo?", { stream: true, tools: [weatherTool] }), context());
    if (result.kind !== "stream") throw new Error("expected a stream");
    const chunks = await collect(chunksOf(result.batches));
    expect(chunks[0].choices[0].delta).toMatchObject({ role: "assistant", tool_calls: [{ index: 0, type: "function", function: { name: "get_weather", arguments: "" } }] });
    expect(JSON.parse((chunks[1].choices[0].delta.tool_calls as Array<{ function: { arguments: string } }>)[0].function.arguments)).toMatchObject({ location: "Oslo" });
    expect(chunks[2].choices[0].finish_reason).toBe("tool_calls");
    expect(chunks[3].choices).toEqual([]);
  });

  it("waits latencyMs for the first token and paces the rest at tokensPerSecond", async () => {
    const startedAtMs = performance.now();
    const result = await simulator.chat(ask("Hello", { stream: true, max_tokens: 11 }), context({ latencyMs: 40, tokensPerSecond: 100 }));
    if (result.kind !== "stream") throw new Error("expected a stream");
    const arrivalsMs: number[] = [];
    for await (const chunk of chunksOf(result.batches)) if (chunk.choices[0]?.delta.content) arrivalsMs.push(performance.now() - startedAtMs);
    expect(arrivalsMs).toHaveLength(11);
    expect(arrivalsMs[0]).toBeGreaterThanOrEqual(38);
    // 10 gaps of 10 ms after the first token; generous ceiling for a busy CI machine.
    expect(arrivalsMs[10] - arrivalsMs[0]).toBeGreaterThanOrEqual(95);
    expect(arrivalsMs[10] - arrivalsMs[0]).toBeLessThan(400);
  });

  it("makes a JSON answer wait for its last token", async () => {
    const startedAtMs = performance.now();
    await complete(ask("Hello", { max_tokens: 6 }), { latencyMs: 10, tokensPerSecond: 100 });
    expect(performance.now() - startedAtMs).toBeGreaterThanOrEqual(58);
  });

  it("stops promptly and leaves no timer behind when the caller aborts mid-stream", async () => {
    const timersBefore = activeTimeouts();
    const controller = new AbortController();
    const result = await simulatorAdapter.chat(ask("Hello", { stream: true }), context({ latencyMs: 0, tokensPerSecond: 2 }, controller.signal));
    if (result.kind !== "stream") throw new Error("expected a stream");
    const iterator = chunksOf(result.batches)[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    const abortedAtMs = performance.now();
    controller.abort(new Error("client went away"));
    await expect(pending).rejects.toThrow("client went away");
    expect(performance.now() - abortedAtMs).toBeLessThan(50);
    expect(activeTimeouts()).toBe(timersBefore);
    expect(result.usage()).toBeNull();
  });

  it("return() while waiting for the next token ends at once without a leftover timer", async () => {
    const timersBefore = activeTimeouts();
    const result = await simulatorAdapter.chat(ask("Hello", { stream: true }), context({ latencyMs: 0, tokensPerSecond: 1 }));
    if (result.kind !== "stream") throw new Error("expected a stream");
    const iterator = chunksOf(result.batches)[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next().catch(() => "cancelled");
    const returnedAtMs = performance.now();
    await iterator.return!();
    expect(await pending).toBe("cancelled");
    expect(performance.now() - returnedAtMs).toBeLessThan(50);
    expect(activeTimeouts()).toBe(timersBefore);
  });

  it("aborting during latencyMs rejects chat() itself", async () => {
    const controller = new AbortController();
    const pending = simulatorAdapter.chat(ask("Hello", { stream: true }), context({ latencyMs: 5_000 }, controller.signal));
    controller.abort(new Error("gone"));
    await expect(pending).rejects.toThrow("gone");
  });
});

describe("simulator: embeddings", () => {
  function norm(vector: number[]) {
    return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  }

  it.each<[string, Parameters<typeof simulatorAdapter.embeddings>[0], number, number]>([
    ["one string, default 256 dimensions", { model: "e", input: "hello" }, 1, 256],
    ["several strings with dimensions", { model: "e", input: ["a", "b", "c"], dimensions: 64 }, 3, 64],
    ["one token array", { model: "e", input: [1, 2, 3] }, 1, 256],
    ["several token arrays", { model: "e", input: [[1, 2], [3]], dimensions: 8 }, 2, 8],
  ])("%s → unit vectors of the right shape", async (_label, request, count, dimensions) => {
    const { body } = await simulatorAdapter.embeddings(request, context());
    expect(body.object).toBe("list");
    expect(body.model).toBe("sim-small");
    expect(body.data.map((item) => item.index)).toEqual(Array.from({ length: count }, (_, index) => index));
    for (const item of body.data) {
      expect(item.object).toBe("embedding");
      expect(item.embedding).toHaveLength(dimensions);
      expect(norm(item.embedding as number[])).toBeCloseTo(1, 5);
    }
  });

  it("is deterministic per input and differs between inputs", async () => {
    const { body } = await simulatorAdapter.embeddings({ model: "e", input: ["same", "same", "other"], dimensions: 16 }, context());
    expect(body.data[0].embedding).toEqual(body.data[1].embedding);
    expect(body.data[0].embedding).not.toEqual(body.data[2].embedding);
  });

  it("encodes base64 as little-endian float32, like OpenAI", async () => {
    const floats = await simulatorAdapter.embeddings({ model: "e", input: "hello", dimensions: 32 }, context());
    const encoded = await simulatorAdapter.embeddings({ model: "e", input: "hello", dimensions: 32, encoding_format: "base64" }, context());
    const bytes = Buffer.from(encoded.body.data[0].embedding as string, "base64");
    const decoded = Array.from({ length: bytes.length / 4 }, (_, index) => bytes.readFloatLE(index * 4));
    expect(decoded).toEqual(floats.body.data[0].embedding);
  });

  it("reports input tokens from the tokenizer (strings) or the array length (token arrays)", async () => {
    const adapter = createSimulatorAdapter((text) => text.length);
    expect((await adapter.embeddings({ model: "e", input: ["abc", "de"] }, context())).usage).toEqual({ inputTokens: 5, outputTokens: 0 });
    expect((await adapter.embeddings({ model: "e", input: [[1, 2, 3], [4]] }, context())).body.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  });
});
