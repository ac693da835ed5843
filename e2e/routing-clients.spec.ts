import { createOpenAI } from "@ai-sdk/openai";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { tool as langchainTool } from "@langchain/core/tools";
import { ChatOpenAI } from "@langchain/openai";
import { expect, test } from "@playwright/test";
import { generateObject, generateText, stepCountIs, streamText, tool } from "ai";
import OpenAI from "openai";
import { zodResponseFormat, zodTextFormat } from "openai/helpers/zod";
import { z } from "zod";
import { demoApiKey, queryE2eDatabase } from "./support";

// The clients people build with, unmodified, against the built app's routing API: the official
// `openai` SDK, the Vercel AI SDK (whose default `openai(model)` speaks the Responses API) and
// LangChain. Acme AI's demo key pays (a healthy loan: a few cents of spend change nothing other specs read).
const apiKey = demoApiKey("Acme AI");
const MODEL = "gpt-4o-mini";
const EMBEDDING_MODEL = "text-embedding-small";

const Weather = z.object({ city: z.string(), temperatureC: z.number(), conditions: z.enum(["sunny", "cloudy", "rain"]) });
type XBlockable = { request_id: string; provider: string; cost_micros: string; spendable_left_micros: string };

function usageEventsFor(requestId: string) {
  return queryE2eDatabase<{ endpoint: string; status: string; costMicros: number }>(`SELECT "endpoint", "status", "costMicros" FROM "UsageEvent" WHERE "requestId" = ?`, requestId);
}

test.describe("the official openai SDK", () => {
  const client = (baseURL: string) => new OpenAI({ apiKey, baseURL: `${baseURL}/api/v1`, maxRetries: 0 });

  test("chat, streamed with and without usage: one id, x_blockable on the last chunk", async ({ baseURL }) => {
    const openai = client(baseURL!);
    const completion = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Say hello to the team." }] });
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(completion.choices[0].message.content!.length).toBeGreaterThan(0);

    // The most common client loop: `chunk.choices[0].delta` on every chunk.
    const plain = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Stream a short greeting." }], stream: true });
    const plainChunks: OpenAI.ChatCompletionChunk[] = [];
    let text = "";
    for await (const chunk of plain) {
      plainChunks.push(chunk);
      text += chunk.choices[0].delta.content ?? "";
    }
    expect(text.length).toBeGreaterThan(0);
    expect(new Set(plainChunks.map((chunk) => chunk.id)).size).toBe(1);
    const last = plainChunks.at(-1)! as OpenAI.ChatCompletionChunk & { x_blockable?: XBlockable };
    expect(last.choices[0].finish_reason).toBe("stop");
    expect(BigInt(last.x_blockable!.cost_micros)).toBeGreaterThan(0n);

    const withUsage = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Stream with usage." }], stream: true, stream_options: { include_usage: true } });
    const usageChunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of withUsage) usageChunks.push(chunk);
    const usageChunk = usageChunks.at(-1)! as OpenAI.ChatCompletionChunk & { x_blockable?: XBlockable };
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage!.completion_tokens).toBeGreaterThan(0);
    expect(usageChunk.x_blockable!.request_id).toMatch(/^req_/);
    expect(usageChunks.filter((chunk) => chunk.choices.length === 0)).toHaveLength(1);
    await expect.poll(() => usageEventsFor(usageChunk.x_blockable!.request_id)).toEqual([expect.objectContaining({ endpoint: "chat.completions", status: "ok" })]);
  });

  test("tools round trip: the tool is called, then its result is answered in text", async ({ baseURL }) => {
    const openai = client(baseURL!);
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: "function", function: { name: "get_weather", description: "Current weather in a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false } } },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "What is the weather in Paris right now?" }];
    const first = await openai.chat.completions.create({ model: MODEL, messages, tools });
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    const call = first.choices[0].message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.function.name).toBe("get_weather");
    expect(typeof JSON.parse(call.function.arguments).city).toBe("string");
    messages.push(first.choices[0].message, { role: "tool", tool_call_id: call.id, content: JSON.stringify({ temperatureC: 21, conditions: "sunny" }) });
    const second = await openai.chat.completions.create({ model: MODEL, messages, tools });
    expect(second.choices[0].finish_reason).toBe("stop");
    expect(second.choices[0].message.tool_calls ?? []).toEqual([]);
    expect(second.choices[0].message.content).toContain("21");
  });

  test("parse() with a zod schema and a small max_tokens gets a complete, valid object", async ({ baseURL }) => {
    const openai = client(baseURL!);
    const completion = await openai.chat.completions.parse({
      model: MODEL,
      messages: [{ role: "user", content: "Report the weather in Lisbon as JSON." }],
      response_format: zodResponseFormat(Weather, "weather"),
      max_tokens: 200,
    });
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(Weather.parse(completion.choices[0].message.parsed)).toBeTruthy();
  });

  test("an unsupported parameter that would change the answer is a 400 naming it", async ({ baseURL }) => {
    const openai = client(baseURL!);
    const error = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], logprobs: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("logprobs");
  });

  test("responses.create, JSON and streamed, metered like chat", async ({ baseURL }) => {
    const openai = client(baseURL!);
    const response = await openai.responses.create({ model: MODEL, instructions: "Answer briefly.", input: "What does a compute credit buy?" });
    expect(response.status).toBe("completed");
    expect(response.output_text.length).toBeGreaterThan(0);
    const xBlockable = (response as unknown as { x_blockable: XBlockable }).x_blockable;
    await expect.poll(() => usageEventsFor(xBlockable.request_id)).toEqual([expect.objectContaining({ endpoint: "responses", status: "ok" })]);

    const stream = await openai.responses.create({ model: MODEL, input: [{ role: "user", content: "Stream a sentence about routing." }], stream: true });
    let streamed = "";
    const types: string[] = [];
    let completed: OpenAI.Responses.Response | null = null;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") streamed += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
    expect(streamed.length).toBeGreaterThan(0);
    expect(completed!.output.flatMap((item) => (item.type === "message" ? item.content : [])).map((part) => (part.type === "output_text" ? part.text : "")).join("")).toBe(streamed);
    expect(completed!.usage!.output_tokens).toBeGreaterThan(0);

    const parsed = await openai.responses.parse({ model: MODEL, input: "The weather in Oslo, please.", text: { format: zodTextFormat(Weather, "weather") } });
    expect(Weather.parse(parsed.output_parsed)).toBeTruthy();
  });

  test("stored responses: previous_response_id continues a conversation; retrieve and delete", async ({ baseURL }) => {
    const openai = client(baseURL!);
    const first = await openai.responses.create({ model: MODEL, input: "Remember the word cobalt." });
    expect((first as unknown as { store: boolean }).store).toBe(true);
    // The reply is stored just after it is sent: retrieve it once it is there.
    await expect.poll(() => openai.responses.retrieve(first.id).then((stored) => stored.id, () => null)).toBe(first.id);
    const second = await openai.responses.create({ model: MODEL, previous_response_id: first.id, input: "Which word?" });
    expect(second.status).toBe("completed");
    // Its input items are the whole conversation: the first turn's input and output, then this input.
    await expect.poll(() => openai.responses.inputItems.list(second.id).then((items) => items.data.length, () => 0)).toBeGreaterThanOrEqual(3);
    await openai.responses.delete(first.id);
    const gone = await openai.responses.retrieve(first.id).catch((caught: unknown) => caught);
    expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
  });

  test("embeddings", async ({ baseURL }) => {
    const openai = client(baseURL!);
    const embeddings = await openai.embeddings.create({ model: EMBEDDING_MODEL, input: ["credit", "collateral"] });
    expect(embeddings.data).toHaveLength(2);
    expect(embeddings.data[0].embedding.length).toBeGreaterThan(0);
  });
});

test.describe("the Vercel AI SDK", () => {
  const provider = (baseURL: string) => createOpenAI({ apiKey, baseURL: `${baseURL}/api/v1` });

  test("openai(model) with its defaults (the Responses API) and openai.chat()", async ({ baseURL }) => {
    const openai = provider(baseURL!);
    const viaResponses = await generateText({ model: openai(MODEL), prompt: "Name one benefit of prepaid credits.", maxRetries: 0 });
    expect(viaResponses.text.length).toBeGreaterThan(0);
    expect(viaResponses.finishReason).toBe("stop");
    const viaChat = await generateText({ model: openai.chat(MODEL), prompt: "Name one benefit of prepaid credits.", maxRetries: 0 });
    expect(viaChat.text.length).toBeGreaterThan(0);
  });

  test("a multi-turn chat resending response.messages (item references, the SDK's default)", async ({ baseURL }) => {
    const openai = provider(baseURL!);
    const first = await generateText({ model: openai(MODEL), prompt: "Give me one word for a lender's safety margin.", maxRetries: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await generateText({
      model: openai(MODEL),
      messages: [{ role: "user", content: "Give me one word for a lender's safety margin." }, ...first.response.messages, { role: "user", content: "Now use it in a sentence." }],
      maxRetries: 0,
    });
    expect(second.text.length).toBeGreaterThan(0);
    expect(second.finishReason).toBe("stop");
  });

  test("generateObject and streamText", async ({ baseURL }) => {
    const openai = provider(baseURL!);
    const { object } = await generateObject({ model: openai(MODEL), schema: Weather, prompt: "The weather in Nairobi.", maxRetries: 0 });
    expect(Weather.parse(object)).toBeTruthy();
    const { object: viaChat } = await generateObject({ model: openai.chat(MODEL), schema: Weather, prompt: "The weather in Osaka.", maxRetries: 0 });
    expect(Weather.parse(viaChat)).toBeTruthy();

    const streamed = streamText({ model: openai(MODEL), prompt: "Stream two sentences.", maxRetries: 0 });
    let text = "";
    for await (const delta of streamed.textStream) text += delta;
    expect(text.length).toBeGreaterThan(0);
    expect((await streamed.usage).outputTokens).toBeGreaterThan(0);
  });

  test("multi-step tools end with a text answer that uses the tool's result", async ({ baseURL }) => {
    const openai = provider(baseURL!);
    for (const model of [openai(MODEL), openai.chat(MODEL)]) {
      const result = await generateText({
        model,
        tools: {
          get_weather: tool({
            description: "Current weather in a city",
            inputSchema: z.object({ city: z.string() }),
            execute: async ({ city }) => ({ city, temperatureC: 17, conditions: "cloudy" }),
          }),
        },
        stopWhen: stepCountIs(5),
        prompt: "What is the weather in Toronto?",
        maxRetries: 0,
      });
      expect(result.steps).toHaveLength(2);
      expect(result.steps[0].toolCalls[0].toolName).toBe("get_weather");
      expect(result.finishReason).toBe("stop");
      expect(result.text).toContain("17");
    }
  });
});

test.describe("LangChain's ChatOpenAI", () => {
  const chat = (baseURL: string, options: { useResponsesApi?: boolean } = {}) =>
    new ChatOpenAI({ model: MODEL, apiKey, configuration: { baseURL: `${baseURL}/api/v1` }, maxRetries: 0, ...options });

  test("invoke and stream, over chat completions and the Responses API", async ({ baseURL }) => {
    for (const model of [chat(baseURL!), chat(baseURL!, { useResponsesApi: true })]) {
      const reply = await model.invoke("Say something about collateral.");
      expect(String(reply.content).length).toBeGreaterThan(0);
      let streamed = "";
      for await (const chunk of await model.stream("Stream something about credits.")) streamed += typeof chunk.content === "string" ? chunk.content : chunk.text;
      expect(streamed.length).toBeGreaterThan(0);
    }
  });

  test("withStructuredOutput", async ({ baseURL }) => {
    const weather = await chat(baseURL!).withStructuredOutput(Weather).invoke("The weather in Cairo.");
    expect(Weather.parse(weather)).toBeTruthy();
  });

  test("bindTools round trip", async ({ baseURL }) => {
    const getWeather = langchainTool(async ({ city }: { city: string }) => JSON.stringify({ city, temperatureC: 9, conditions: "rain" }), {
      name: "get_weather",
      description: "Current weather in a city",
      schema: z.object({ city: z.string() }),
    });
    const model = chat(baseURL!).bindTools([getWeather]);
    const messages: (HumanMessage | AIMessage | ToolMessage)[] = [new HumanMessage("What is the weather in Lima?")];
    const first = (await model.invoke(messages)) as AIMessage;
    expect(first.tool_calls).toHaveLength(1);
    messages.push(first);
    const call = first.tool_calls![0];
    messages.push(new ToolMessage({ tool_call_id: call.id!, content: await getWeather.invoke(call.args as { city: string }) }));
    const second = (await model.invoke(messages)) as AIMessage;
    expect(second.tool_calls ?? []).toEqual([]);
    expect(String(second.content)).toContain("9");
  });
});
