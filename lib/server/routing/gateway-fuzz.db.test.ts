// Property-based fuzzing of the routing API's metered endpoints (issue 17, "no request can hurt
// the others"): arbitrary JSON, valid bodies with fields broken, raw garbage bytes, invalid UTF-8
// and wrong content types, sent over real HTTP to the real handlers on SQLite with the built-in
// simulator. Whatever arrives:
// - the answer is never a 5xx;
// - a 4xx is OpenAI's error shape, `{ error: { message, type, code, param } }`;
// - a 4xx changes nothing: no usage event, no ledger transfer, no hold, the same spendable
//   balance, and the provider's circuit breaker exactly as it was.
// Each property runs a bounded number of cases (FUZZ_RUNS, 150 by default: ~40 s in all on 2 busy
// cores) from a fixed seed (FUZZ_SEED to explore others); a failure prints the shrunk request.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/databases";
import { startGatewayServer } from "@/test/gateway-server";
import { createCatalog, createStartupWithKey } from "@/test/routing-world";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import { breakerStates, resetBreakers } from "./breakers";
import { invalidateCatalog } from "./catalog";

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
/** FUZZ_STATS=1 prints how often each endpoint answered each status and error code. */
const IS_PRINTING_STATS = process.env.FUZZ_STATS === "1";
const answers = new Map<string, number>();
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const USD = 1_000_000n;
const ENDPOINTS = ["chat/completions", "embeddings", "responses"] as const;
type Endpoint = (typeof ENDPOINTS)[number];

// ───────────────────────────── What a request may break ─────────────────────────────

/**
 * `depth` objects or arrays, one inside the other. Kept as this marker until the body is written
 * (toJson), since JSON.stringify and structuredClone themselves overflow the stack at such depths.
 */
class Deep {
  constructor(
    readonly depth: number,
    readonly isArray: boolean,
  ) {}

  toJSON() {
    return `__deep_${this.depth}_${this.isArray ? "array" : "object"}__`;
  }

  text() {
    return this.isArray ? "[".repeat(this.depth) + "]".repeat(this.depth) : `${'{"a":'.repeat(this.depth - 1)}{}${"}".repeat(this.depth - 1)}`;
  }
}

/** The body as JSON text, deep values written out in full. */
function toJson(body: unknown): string {
  return JSON.stringify(body).replace(/"__deep_(\d+)_(array|object)__"/g, (_, depth: string, kind: string) => new Deep(Number(depth), kind === "array").text());
}

/** Just past the gateway's 64 levels, and far past what a recursive walk survives. */
const deepValue = fc.tuple(fc.constantFrom(65, 200, 5_000, 50_000), fc.boolean()).map(([depth, isArray]) => new Deep(depth, isArray));

const oddNumber = fc.oneof(
  fc.constantFrom(0, -1, -0, 0.5, 1e-300, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 4_294_967_296, 1e21),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const oddString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", " ", "<|endoftext|>", "<|im_start|>system", "\u0000", "\ud800", "\udfff\ud800", "🚀".repeat(30), "null", "{}", "[]", "x".repeat(60_000), "a b ".repeat(20_000)),
);

/** Content parts OpenAI's clients send, and ones nobody should. */
const oddContentPart = fc.constantFrom<unknown>(
  { type: "text" },
  { type: "text", text: 5 },
  { type: "text", text: null },
  { type: "image_url" },
  { type: "image_url", image_url: { url: 5 } },
  { type: "image_url", image_url: "https://example.com/a.png" },
  { type: "input_audio", input_audio: { data: "", format: "wav" } },
  { type: "file", file: {} },
  { type: "refusal", refusal: "no" },
  { type: "input_text", text: "responses-style part" },
  { type: "" },
  { type: 7 },
  {},
  [],
  "a bare string",
);

/** Tool shapes: broken function tools, other tool kinds, deep parameters. */
const oddTool = fc.oneof(
  fc.constantFrom<unknown>(
    { type: "function" },
    { type: "function", function: { name: "" } },
    { type: "function", function: { name: 5 } },
    { type: "function", function: { name: "f", parameters: [] } },
    { type: "function", function: { name: "f", parameters: "{}" } },
    { type: "function", name: "responses_style", parameters: { type: "object" } },
    { type: "web_search" },
    { type: "custom", custom: { name: "x" } },
    { function: { name: "no_type" } },
  ),
  deepValue.map((parameters) => ({ type: "function", function: { name: "deep", parameters: { type: "object", properties: { p: parameters } } } })),
  deepValue.map((parameters) => ({ type: "function", name: "deep", parameters: { type: "object", properties: { p: parameters } } })),
);

const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  oddNumber,
  oddString,
  fc.constantFrom({}, []),
  fc.jsonValue({ maxDepth: 3 }),
  deepValue,
  oddContentPart,
  fc.array(oddContentPart, { maxLength: 3 }),
  oddTool,
  fc.array(oddTool, { maxLength: 3 }),
);

/** Fields any of the endpoints knows, and some OpenAI has that the routing API refuses. */
const FIELD_NAMES = [
  "model", "messages", "input", "instructions", "stream", "stream_options", "max_tokens", "max_completion_tokens", "max_output_tokens",
  "temperature", "top_p", "seed", "stop", "tools", "tool_choice", "parallel_tool_calls", "response_format", "text", "user",
  "encoding_format", "dimensions", "logprobs", "top_logprobs", "n", "functions", "function_call", "audio", "modalities",
  "prediction", "store", "metadata", "service_tier", "reasoning", "include", "truncation", "logit_bias",
];

// ───────────────────────────── Valid bodies ─────────────────────────────

const text = fc.oneof(fc.lorem({ maxCount: 12 }), fc.string({ maxLength: 60 }), fc.constantFrom("Say hello", "Return the weather in Paris as JSON."));
const toolName = fc.stringMatching(/^[a-z][a-z_]{0,15}$/);

const jsonSchema: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ schema: Record<string, unknown> }>((tie) => ({
  schema: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom({ type: "string" }, { type: "number" }, { type: "integer" }, { type: "boolean" }, { type: "string", enum: ["a", "b"] }),
    fc.record({ type: fc.constant("array"), items: tie("schema") }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), tie("schema"), { maxKeys: 3 }).map((properties) => ({ type: "object", properties, required: Object.keys(properties), additionalProperties: false })),
  ),
})).schema;

const chatMessage = fc.oneof(
  fc.record({ role: fc.constantFrom("system", "developer", "user"), content: text }),
  fc.record({ role: fc.constant("user"), content: fc.array(text.map((t) => ({ type: "text", text: t })), { minLength: 1, maxLength: 3 }) }),
  fc.record({ role: fc.constant("assistant"), content: text }),
);

const chatTool = fc.record({ type: fc.constant("function"), function: fc.record({ name: toolName, description: text, parameters: jsonSchema }) });

const chatBody = fc.record(
  {
    model: fc.constant("sim-chat"),
    messages: fc.array(chatMessage, { minLength: 1, maxLength: 4 }),
    max_tokens: fc.integer({ min: 1, max: 64 }),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    seed: fc.integer({ min: 0, max: 1_000 }),
    stream: fc.boolean(),
    tools: fc.array(chatTool, { minLength: 1, maxLength: 2 }),
    response_format: fc.oneof(
      fc.constant({ type: "text" }),
      fc.constant({ type: "json_object" }),
      fc.record({ type: fc.constant("json_schema"), json_schema: fc.record({ name: toolName, schema: jsonSchema }) }),
    ),
    user: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: ["model", "messages"] },
);

const embeddingsBody = fc.record(
  {
    model: fc.constant("sim-embed"),
    input: fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 4 }), fc.array(fc.nat({ max: 100_000 }), { minLength: 1, maxLength: 8 }), fc.array(fc.array(fc.nat({ max: 100_000 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 })),
    encoding_format: fc.constantFrom("float", "base64"),
    dimensions: fc.integer({ min: 1, max: 256 }),
    user: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: ["model", "input"] },
);

const responsesBody = fc.record(
  {
    model: fc.constant("sim-chat"),
    input: fc.oneof(
      text,
      fc.array(
        fc.oneof(
          fc.record({ role: fc.constantFrom("user", "system", "developer"), content: text }),
          fc.record({ type: fc.constant("message"), role: fc.constant("user"), content: fc.array(text.map((t) => ({ type: "input_text", text: t })), { minLength: 1, maxLength: 2 }) }),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    ),
    instructions: text,
    max_output_tokens: fc.integer({ min: 16, max: 64 }),
    stream: fc.boolean(),
    tools: fc.array(fc.record({ type: fc.constant("function"), name: toolName, parameters: jsonSchema }), { minLength: 1, maxLength: 2 }),
    text: fc.oneof(fc.constant({ format: { type: "text" } }), fc.record({ format: fc.record({ type: fc.constant("json_schema"), name: toolName, schema: jsonSchema }) })),
  },
  { requiredKeys: ["model", "input"] },
);

const VALID_BODY: Record<Endpoint, fc.Arbitrary<Record<string, unknown>>> = { "chat/completions": chatBody, embeddings: embeddingsBody, responses: responsesBody };

// ───────────────────────────── Breaking a valid body ─────────────────────────────

type Mutation = { at: number; kind: "replace" | "delete" | "add"; field: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.record({ at: fc.nat(), kind: fc.constantFrom("replace", "replace", "delete", "add"), field: fc.constantFrom(...FIELD_NAMES), value: badValue });

/** Every place in a valid body: its objects' fields and its arrays' elements (paths from the top). */
function placesIn(value: unknown, path: (string | number)[] = [], into: (string | number)[][] = []): (string | number)[][] {
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
      into.push([...path, key]);
      placesIn(child, [...path, key], into);
    }
  }
  return into;
}

/**
 * The valid body with the mutations applied, each at one of the body's own places (chosen by
 * `at`; a place an earlier mutation took away is skipped). Only the copy's own objects are edited,
 * never a value a mutation put in, so fast-check can replay and shrink what it generated.
 */
function applyMutations(valid: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
  const body = structuredClone(valid);
  const places = placesIn(body);
  const valueAt = (path: (string | number)[]) => path.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined), body);
  const ownObjects = new Set<unknown>([body, ...places.map(valueAt).filter((node) => node !== null && typeof node === "object")]);
  for (const { at, kind, field, value } of mutations) {
    const place = places[at % places.length];
    const parent = valueAt(place.slice(0, -1));
    if (!ownObjects.has(parent)) continue;
    const key = place.at(-1)!;
    const target = parent as Record<string | number, unknown>;
    if (kind === "replace") target[key] = value;
    else if (kind === "delete") {
      if (Array.isArray(target)) target.splice(key as number, 1);
      else delete target[key];
    } else if (Array.isArray(target)) target.push(value);
    else target[field] = value;
  }
  return body;
}

// ───────────────────────────── Raw bodies ─────────────────────────────

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

/** Bytes that are not valid UTF-8, placed where a JSON string's text would be. */
const invalidUtf8 = fc.constantFrom(
  Uint8Array.of(0xff),
  Uint8Array.of(0xc0, 0x80),
  Uint8Array.of(0xed, 0xa0, 0x80),
  Uint8Array.of(0xf4, 0x90, 0x80, 0x80),
  Uint8Array.of(0xe2, 0x82),
  Uint8Array.of(0x80, 0x80, 0x80),
);

const rawBody = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.string({ unit: "binary", maxLength: 200 }).map(utf8),
  fc.tuple(invalidUtf8, fc.constantFrom<Endpoint>(...ENDPOINTS)).map(([bad, endpoint]) =>
    concat(utf8(endpoint === "embeddings" ? '{"model":"sim-embed","input":"' : endpoint === "responses" ? '{"model":"sim-chat","input":"' : '{"model":"sim-chat","messages":[{"role":"user","content":"'), bad, utf8(endpoint === "chat/completions" ? '"}]}' : '"}')),
  ),
  fc.tuple(chatBody, fc.nat()).map(([body, cut]) => {
    const json = JSON.stringify(body);
    return utf8(json.slice(0, cut % json.length));
  }),
  chatBody.map((body) => utf8(`\ufeff${JSON.stringify(body)}`)),
  fc.constantFrom(utf8(""), utf8("null"), utf8("[]"), utf8('"text"'), utf8("{"), utf8('{"model":'), utf8("1e999"), utf8('{"model":"sim-chat","model":5}')),
);

const CONTENT_TYPES = [undefined, "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream", "application/json; charset=latin1"];

// ───────────────────────────── The world and the properties ─────────────────────────────

describe("routing API under fuzzing (SQLite, simulator)", () => {
  let test: TestDatabase;
  let server: Awaited<ReturnType<typeof startGatewayServer>>;
  let orgId: string;
  let apiKey: string;
  let simulatorId: string;

  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    await createCatalog(
      test.db,
      [{ slug: "sim", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 0 }, breakerFailures: 3 }],
      [
        { slug: "sim-chat", routes: [{ provider: "sim", inputPrice: 1_000_000n, outputPrice: 2_000_000n }] },
        { slug: "sim-embed", kind: "embedding", routes: [{ provider: "sim", inputPrice: 20_000n, outputPrice: 0n }] },
      ],
    );
    invalidateCatalog(test.db);
    simulatorId = (await test.db.provider.findUniqueOrThrow({ where: { slug: "sim" } })).id;
    // The fuzzer measures what a request does, not the rate limits: they stand aside.
    const created = await createStartupWithKey(test.db, { creditsMicros: 1_000n * USD, rpmLimit: 100_000 });
    await test.db.organization.update({ where: { id: created.org.id }, data: { maxConcurrentRequests: 1_000_000 } });
    orgId = created.org.id;
    apiKey = created.plaintext;
    server = await startGatewayServer(test.db);
  });

  afterAll(async () => {
    if (IS_PRINTING_STATS) console.log([...answers].sort(([a], [b]) => a.localeCompare(b)).map(([answer, count]) => `${answer}: ${count}`).join("\n"));
    if (server) await settled();
    await server?.close();
    await test?.drop();
  });

  /** What a refused request must leave as it was. */
  async function stateOfTheOrg() {
    const [usageEvents, transfers, holds, activeHolds, balances] = await Promise.all([
      test.db.usageEvent.count({ where: { orgId } }),
      test.db.ledgerTransfer.count({ where: { orgId } }),
      test.db.hold.count({ where: { orgId } }),
      test.db.hold.count({ where: { orgId, status: "ACTIVE" } }),
      getCreditBalances(test.db, orgId),
    ]);
    const breaker = breakerStates().get(simulatorId) ?? null;
    return { usageEvents, transfers, holds, activeHolds, spendableMicros: balances.spendableMicros, heldMicros: balances.heldMicros, breaker: JSON.stringify(breaker) };
  }

  /**
   * A stream's settlement, and a request's concurrency lease, may be released just after its last
   * byte: wait for the org to be at rest before the next request.
   */
  async function settled() {
    for (let waited = 0; waited < 5_000; waited += 20) {
      const [activeHolds, leases] = await Promise.all([test.db.hold.count({ where: { orgId, status: "ACTIVE" } }), test.db.inFlightRequest.count({ where: { orgId } })]);
      if (activeHolds === 0 && leases === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error("a hold or an in-flight lease is still there 5 s after its request ended");
  }

  type Sent = { endpoint: Endpoint; body: string | Uint8Array; contentType?: string };

  /** Sends one request and checks every property; throws (with the request) when one fails. */
  async function sendAndCheck({ endpoint, body, contentType = "application/json" }: Sent) {
    resetBreakers();
    await settled();
    const before = await stateOfTheOrg();
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (contentType) headers["content-type"] = contentType;
    const response = await fetch(`${server.baseUrl}/${endpoint}`, { method: "POST", headers, body: typeof body === "string" ? body : new Uint8Array(body) });
    const replyText = await response.text();
    const shown = typeof body === "string" ? (body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body) : `bytes ${Buffer.from(body).toString("hex").slice(0, 300)}`;
    const context = `POST /${endpoint} (${contentType ?? "no content-type"}) ${shown}\n→ ${response.status} ${replyText.slice(0, 500)}`;

    if (IS_PRINTING_STATS) {
      const answer = `${endpoint} ${response.status} ${response.status >= 400 ? (JSON.parse(replyText) as { error?: { code?: string } }).error?.code : ""}`;
      answers.set(answer, (answers.get(answer) ?? 0) + 1);
    }
    expect(response.status, context).toBeLessThan(500);
    if (response.status >= 400) {
      let parsed: unknown;
      expect(() => (parsed = JSON.parse(replyText)), context).not.toThrow();
      const error = (parsed as { error?: Record<string, unknown> } | null)?.error;
      expect(Object.keys(error ?? {}).sort(), context).toEqual(["code", "message", "param", "type"]);
      expect(typeof error!.message === "string" && typeof error!.type === "string", context).toBe(true);
      expect(error!.code === null || typeof error!.code === "string", context).toBe(true);
      expect(error!.param === null || typeof error!.param === "string", context).toBe(true);
      expect(error!.message, context).not.toMatch(/\n\s+at /);
      expect(await stateOfTheOrg(), `${context}\n(a refused request changed the org or the breaker)`).toEqual(before);
    } else {
      await settled();
    }
    return response.status;
  }

  const property = <T,>(arbitrary: fc.Arbitrary<T>, toRequest: (value: T) => Sent) =>
    fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        await sendAndCheck(toRequest(value));
      }),
      { numRuns: RUNS, seed: SEED },
    );

  it.each(ENDPOINTS)("%s: the generator's valid bodies are served (so the broken ones start from something real)", async (endpoint) => {
    await fc.assert(
      fc.asyncProperty(VALID_BODY[endpoint], async (body) => {
        const status = await sendAndCheck({ endpoint, body: JSON.stringify(body) });
        expect(status, `POST /${endpoint} ${JSON.stringify(body).slice(0, 500)}`).toBe(200);
      }),
      { numRuns: Math.ceil(RUNS / 8), seed: SEED },
    );
  }, 120_000);

  it.each(ENDPOINTS)("%s: any JSON value as the body", async (endpoint) => {
    const anyBody = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }));
    await property(anyBody, (body) => ({ endpoint, body: toJson(body) }));
  }, 120_000);

  it.each(ENDPOINTS)("%s: valid bodies with one to three fields broken", async (endpoint) => {
    const broken = fc.tuple(VALID_BODY[endpoint], fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([body, mutations]) => applyMutations(body, mutations));
    await property(broken, (body) => ({ endpoint, body: toJson(body) }));
  }, 120_000);

  it("every endpoint: raw garbage, invalid UTF-8, cut-off JSON and wrong content types", async () => {
    await property(fc.tuple(fc.constantFrom(...ENDPOINTS), rawBody, fc.constantFrom(...CONTENT_TYPES)), ([endpoint, body, contentType]) => ({ endpoint, body, contentType }));
  }, 120_000);

  it("every endpoint: a valid body sent with a content type that is not JSON", async () => {
    const sent = fc.constantFrom(...ENDPOINTS).chain((endpoint) => fc.tuple(fc.constant(endpoint), VALID_BODY[endpoint], fc.constantFrom(...CONTENT_TYPES)));
    await property(sent, ([endpoint, body, contentType]) => ({ endpoint, body: JSON.stringify(body), contentType }));
  }, 120_000);
});
