// Stored Responses over real HTTP, on real SQLite and PostgreSQL: `store` on by default as at
// OpenAI, so the clients that rely on it work unchanged — the openai SDK's and LangChain's
// previous_response_id, the Vercel AI SDK's item_reference items in multi-turn chats — plus GET,
// DELETE and input_items, organisation isolation, `store: false` and the purge of expired rows.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createOpenAI } from "@ai-sdk/openai";
import { ChatOpenAI } from "@langchain/openai";
import { generateText, streamText, type ModelMessage } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { startFakeUpstream, type FakeUpstream } from "@/test/fake-upstream";
import { createCatalog, createStartupWithKey } from "@/test/routing-world";
import type { Db } from "@/lib/server/db/client";
import { servePost, serveUnknownPath, type AfterResponse } from "@/lib/server/http/node-gateway";
import { invalidateCatalog } from "./catalog";
import { handleResponses } from "./responses";
import { deleteExpiredStoredResponses, handleDeleteResponse, handleGetResponse, handleListInputItems } from "./stored-responses";

const USD = 1_000_000n;
const DAY_MS = 86_400_000;
type ChatMessage = { role: string; content: unknown; tool_calls?: unknown };

/**
 * The Responses routes as the app serves them: POST through the Pages route's Node adapter (a
 * reply's settlement and its storing run after the response is sent, unless `isDeferred` is
 * false), GET/DELETE …/{id} and …/{id}/input_items through the App Router routes' handlers.
 */
async function startResponsesServer(db: Db, options: { isDeferred: boolean }) {
  const pending = new Set<Promise<unknown>>();
  const afterResponse: AfterResponse = {
    isDisabled: !options.isDeferred,
    track: (running) => {
      const tracked = running.finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
  };
  const byId: Record<string, (db: Db, request: Request, id: string) => Promise<Response>> = { GET: handleGetResponse, DELETE: handleDeleteResponse };
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    if (url.pathname === "/api/v1/responses") return servePost(req, res, (request, gatewayOptions) => handleResponses(db, request, gatewayOptions), afterResponse);
    const match = /^\/api\/v1\/responses\/([^/]+)(\/input_items)?$/.exec(url.pathname);
    const handler = match && (match[2] ? (req.method === "GET" ? handleListInputItems : undefined) : byId[req.method ?? ""]);
    if (!match || !handler) return serveUnknownPath(req, res);
    const response = await handler(db, new Request(url, { method: req.method, headers: req.headers as Record<string, string> }), decodeURIComponent(match[1]));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
  const server = createServer((req, res) => void serve(req, res));
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
    drain: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

await describeEachProvider("Stored Responses", (provider) => {
  let test: TestDatabase;
  let upstream: FakeUpstream;
  let server: Awaited<ReturnType<typeof startResponsesServer>>;
  let immediate: Awaited<ReturnType<typeof startResponsesServer>>;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    upstream = await startFakeUpstream({ outputTokens: 8 });
    await createCatalog(
      test.db,
      [
        { slug: "sim", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 0 } },
        { slug: "fake", kind: "openai_compatible", baseUrl: upstream.url },
      ],
      [
        { slug: "sim-chat", routes: [{ provider: "sim", inputPrice: 1_000_000n, outputPrice: 2_000_000n }] },
        { slug: "passthrough-chat", routes: [{ provider: "fake", inputPrice: 1_000_000n, outputPrice: 1_000_000n }] },
      ],
    );
    invalidateCatalog(test.db);
    server = await startResponsesServer(test.db, { isDeferred: true });
    immediate = await startResponsesServer(test.db, { isDeferred: false });
  });

  afterAll(async () => {
    // Saves still running after the last reply finish before the database goes.
    await server?.drain();
    await immediate?.drain();
    await server?.close();
    await immediate?.close();
    await upstream?.close();
    await test?.drop();
  });

  const client = (apiKey: string, baseURL = server.baseUrl) => new OpenAI({ apiKey, baseURL, maxRetries: 0 });
  /** The chat messages the provider received for the request that reached it last. */
  const upstreamMessages = () => (upstream.lastRequest!.body as { messages: ChatMessage[] }).messages;
  const storedRow = (id: string) => test.db.storedResponse.findUnique({ where: { id } });

  it("the openai SDK's previous_response_id continues a conversation: earlier turns go upstream, earlier instructions do not", async () => {
    const { org, apiKey, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = client(plaintext);
    const first = await openai.responses.create({ model: "passthrough-chat", instructions: "Answer in French.", input: "My name is Ada." });
    expect(first).toMatchObject({ status: "completed", store: true, previous_response_id: null });

    const second = await openai.responses.create({ model: "passthrough-chat", previous_response_id: first.id, input: "What is my name?" });
    expect(second).toMatchObject({ status: "completed", store: true, previous_response_id: first.id, instructions: null });
    expect(upstreamMessages()).toEqual([
      { role: "user", content: [{ type: "text", text: "My name is Ada." }] },
      { role: "assistant", content: first.output_text },
      { role: "user", content: "What is my name?" },
    ]);

    // A chain: the third turn sees both earlier turns, and only its own instructions.
    await openai.responses.create({ model: "passthrough-chat", instructions: "Be brief.", previous_response_id: second.id, input: "Spell it." });
    expect(upstreamMessages().map((message) => message.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user"]);
    expect(upstreamMessages()[0]).toEqual({ role: "system", content: "Be brief." });

    await server.drain();
    const row = await storedRow(second.id);
    expect(row).toMatchObject({ orgId: org.id, apiKeyId: apiKey.id });
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(30 * DAY_MS);
    // Every request was metered as usual: one settled usage event each.
    expect(await test.db.usageEvent.count({ where: { orgId: org.id, endpoint: "responses", status: "ok" } })).toBe(3);
  });

  it("a streamed response is stored too, as its completed event shows it, and a function call round trip continues from it", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = client(plaintext);
    const tools: OpenAI.Responses.FunctionTool[] = [{ type: "function", name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, strict: false }];
    const stream = await openai.responses.create({ model: "sim-chat", tools, input: "What is the weather in Oslo?", stream: true });
    let completed: OpenAI.Responses.Response | null = null;
    for await (const event of stream) if (event.type === "response.completed") completed = event.response;
    expect(completed).toMatchObject({ store: true });
    const call = completed!.output.find((item): item is OpenAI.Responses.ResponseFunctionToolCall => item.type === "function_call")!;
    expect(call).toBeDefined();

    const answer = await openai.responses.create({
      model: "sim-chat",
      tools,
      previous_response_id: completed!.id,
      input: [{ type: "function_call_output", call_id: call.call_id, output: JSON.stringify({ city: "Oslo", temperatureC: 17 }) }],
    });
    expect(answer.output.map((item) => item.type)).toEqual(["message"]);
    expect(answer.output_text).toContain("17");
    expect(await openai.responses.retrieve(completed!.id)).toEqual(completed);
  });

  it("the Vercel AI SDK's multi-turn chat works with its defaults: it sends item_reference items for earlier answers", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const sentInputs: unknown[][] = [];
    const openai = createOpenAI({
      baseURL: server.baseUrl,
      apiKey: plaintext,
      // Observes what the SDK sends; the request goes out unchanged.
      fetch: async (url, init) => {
        if (typeof init?.body === "string") sentInputs.push((JSON.parse(init.body) as { input: unknown[] }).input);
        return fetch(url, init);
      },
    });

    // A chat as apps keep it: the history grows by each reply's response.messages and the next user turn.
    const history: ModelMessage[] = [{ role: "user", content: "Remember the number 42." }];
    const first = await generateText({ model: openai("passthrough-chat"), messages: history, maxRetries: 0 });
    history.push(...first.response.messages, { role: "user", content: "Which number?" });
    const second = await generateText({ model: openai("passthrough-chat"), messages: history, maxRetries: 0 });
    expect(second.text.length).toBeGreaterThan(0);
    expect(sentInputs[1]).toContainEqual({ type: "item_reference", id: expect.stringMatching(/^msg_/) });
    // The reference became the earlier answer's text upstream.
    expect(upstreamMessages()).toEqual([
      { role: "user", content: [{ type: "text", text: "Remember the number 42." }] },
      { role: "assistant", content: first.text },
      { role: "user", content: [{ type: "text", text: "Which number?" }] },
    ]);

    // A streamed turn, then a fourth turn referring to all three earlier answers.
    history.push(...second.response.messages, { role: "user", content: "And doubled?" });
    const streamed = streamText({ model: openai("passthrough-chat"), messages: history, maxRetries: 0 });
    let text = "";
    for await (const delta of streamed.textStream) text += delta;
    history.push(...(await streamed.response).messages, { role: "user", content: "Thanks." });
    const fourth = await generateText({ model: openai("passthrough-chat"), messages: history, maxRetries: 0 });
    expect(fourth.text.length).toBeGreaterThan(0);
    expect(sentInputs.at(-1)!.filter((item) => (item as { type?: string }).type === "item_reference")).toHaveLength(3);
    expect(upstreamMessages().filter((message) => message.role === "assistant").map((message) => message.content)).toEqual([first.text, second.text, text]);
  });

  it("LangChain's previous_response_id call option continues a conversation", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const chat = new ChatOpenAI({ model: "passthrough-chat", apiKey: plaintext, configuration: { baseURL: server.baseUrl }, maxRetries: 0, useResponsesApi: true });
    const first = await chat.invoke("My name is Grace.");
    const responseId = (first.response_metadata as { id?: string }).id ?? first.id;
    expect(responseId).toMatch(/^resp_/);
    const second = await chat.invoke("What is my name?", { previous_response_id: responseId });
    expect(String(second.content).length).toBeGreaterThan(0);
    expect(upstreamMessages().map((message) => message.role)).toEqual(["user", "assistant", "user"]);
  });

  it("another organisation's response is not found, exactly as a missing one: previous_response_id, item_reference, GET, input_items, DELETE", async () => {
    const owner = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const other = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const mine = await client(owner.plaintext).responses.create({ model: "sim-chat", input: "A secret." });
    await server.drain();
    const openai = client(other.plaintext);

    const errorOf = (promise: Promise<unknown>) => promise.then(() => null, (caught: unknown) => caught as InstanceType<typeof OpenAI.APIError>);
    const foreign = await errorOf(openai.responses.create({ model: "sim-chat", previous_response_id: mine.id, input: "What was it?" }));
    const missing = await errorOf(openai.responses.create({ model: "sim-chat", previous_response_id: "resp_0000000000000000000000000000dead", input: "What was it?" }));
    expect(foreign).toBeInstanceOf(OpenAI.NotFoundError);
    expect(foreign).toMatchObject({ status: 404, param: "previous_response_id", code: "not_found" });
    expect(foreign!.message.replace(mine.id, "ID")).toBe(missing!.message.replace("resp_0000000000000000000000000000dead", "ID"));

    const reference = await errorOf(openai.responses.create({ model: "sim-chat", input: [{ role: "user", content: "hi" }, { type: "item_reference", id: mine.output[0].id! }] }));
    expect(reference).toMatchObject({ status: 404, param: "input.1", code: "not_found" });
    expect(await errorOf(openai.responses.retrieve(mine.id))).toMatchObject({ status: 404, code: "not_found" });
    expect(await errorOf(openai.responses.inputItems.list(mine.id))).toMatchObject({ status: 404, code: "not_found" });
    expect(await errorOf(openai.responses.delete(mine.id))).toMatchObject({ status: 404, code: "not_found" });

    // Refused before any hold: nothing is charged, and the owner's response is untouched.
    expect(await test.db.hold.count({ where: { orgId: other.org.id } })).toBe(0);
    expect(await client(owner.plaintext).responses.retrieve(mine.id)).toEqual(mine);
  });

  it("GET returns the stored Response as created; input_items lists the conversation newest first, paged; DELETE removes it", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = client(plaintext);
    const first = await openai.responses.create({ model: "sim-chat", input: [{ role: "developer", content: "Use metric units." }, { role: "user", content: "Hello" }], metadata: { run: "7" } });
    const second = await openai.responses.create({ model: "sim-chat", previous_response_id: first.id, input: "Go on" });
    await server.drain();

    expect(await openai.responses.retrieve(second.id)).toEqual(second);

    const page = await openai.responses.inputItems.list(second.id);
    // Every item before the response's own output, earlier turns included, newest first, each with an id.
    expect(page.data.map((item) => [item.type, (item as { role?: string }).role])).toEqual([
      ["message", "user"],
      ["message", "assistant"],
      ["message", "user"],
      ["message", "developer"],
    ]);
    expect(page.data[1]).toEqual(first.output[0]);
    expect(page.data[0]).toMatchObject({ id: expect.stringMatching(/^msg_/), content: [{ type: "input_text", text: "Go on" }], status: "completed" });
    expect(new Set(page.data.map((item) => item.id)).size).toBe(4);

    // The SDK's auto-pagination walks pages of one with `after`, and sees every item once, in order.
    const walked: string[] = [];
    for await (const item of openai.responses.inputItems.list(second.id, { limit: 1, order: "asc" })) walked.push(item.id!);
    expect(walked).toEqual(page.data.map((item) => item.id).reverse());
    const badAfter = await fetch(`${server.baseUrl}/responses/${second.id}/input_items?after=msg_nope`, { headers: { authorization: `Bearer ${plaintext}` } });
    expect(badAfter.status).toBe(400);
    expect(await badAfter.json()).toMatchObject({ error: { param: "after" } });
    const badLimit = await fetch(`${server.baseUrl}/responses/${second.id}/input_items?limit=500`, { headers: { authorization: `Bearer ${plaintext}` } });
    expect(await badLimit.json()).toMatchObject({ error: { param: "limit" } });

    const deleted = await fetch(`${server.baseUrl}/responses/${first.id}`, { method: "DELETE", headers: { authorization: `Bearer ${plaintext}` } });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: first.id, object: "response.deleted", deleted: true });
    await expect(openai.responses.retrieve(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(openai.responses.create({ model: "sim-chat", previous_response_id: first.id, input: "Again" })).rejects.toMatchObject({ status: 404, param: "previous_response_id" });
    await expect(openai.responses.delete(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    // The later response kept its own copy of the conversation.
    expect((await openai.responses.inputItems.list(second.id)).data).toHaveLength(4);

    const unauthenticated = await fetch(`${server.baseUrl}/responses/${second.id}`);
    expect(unauthenticated.status).toBe(401);
  });

  it("store: false stores nothing, JSON or streamed, and such a response cannot be continued", async () => {
    const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = client(plaintext, immediate.baseUrl);
    const response = await openai.responses.create({ model: "sim-chat", input: "Forget this.", store: false });
    expect(response).toMatchObject({ store: false });
    const stream = await openai.responses.create({ model: "sim-chat", input: "Forget this too.", store: false, stream: true });
    for await (const event of stream) if (event.type === "response.completed") expect(event.response).toMatchObject({ store: false });
    // A stored one of the same organisation, to know when saves have run.
    const kept = await openai.responses.create({ model: "sim-chat", input: "Keep this." });
    await expect.poll(() => storedRow(kept.id)).not.toBeNull();
    expect(await test.db.storedResponse.count({ where: { orgId: org.id } })).toBe(1);
    await expect(openai.responses.create({ model: "sim-chat", previous_response_id: response.id, input: "What was it?" })).rejects.toMatchObject({ status: 404, param: "previous_response_id" });
    // Continuing a stored response without storing the continuation is allowed.
    const unstored = await openai.responses.create({ model: "sim-chat", previous_response_id: kept.id, input: "Go on.", store: false });
    expect(unstored).toMatchObject({ status: "completed", store: false, previous_response_id: kept.id });
  });

  it("expired responses are not found, and the purge deletes them and only them", async () => {
    const { plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
    const openai = client(plaintext);
    const old = await openai.responses.create({ model: "sim-chat", input: "Old." });
    const fresh = await openai.responses.create({ model: "sim-chat", input: "Fresh." });
    await server.drain();
    const now = new Date();
    await test.db.storedResponse.update({ where: { id: old.id }, data: { expiresAt: new Date(now.getTime() - 1_000) } });

    await expect(openai.responses.retrieve(old.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(openai.responses.create({ model: "sim-chat", previous_response_id: old.id, input: "Go on." })).rejects.toMatchObject({ status: 404, param: "previous_response_id" });

    const purged = await deleteExpiredStoredResponses(test.db, now);
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await storedRow(old.id)).toBeNull();
    expect(await storedRow(fresh.id)).not.toBeNull();
  });
});
