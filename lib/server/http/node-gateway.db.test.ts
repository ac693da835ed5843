// The routing API's shapes and CORS through the real handlers (the same Node adapter the Pages API
// routes use), on real SQLite and PostgreSQL: what a browser tool on another origin gets.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider, createTestDatabase, type TestDatabase } from "@/test/databases";
import { startGatewayServer } from "@/test/gateway-server";
import { createCatalog, createStartupWithKey } from "@/test/routing-world";
import { getCreditBalances } from "@/lib/server/ledger/ledger";

const ORIGIN = "https://tool.example";

await describeEachProvider("routing API shapes and CORS", (provider) => {
  let test: TestDatabase;
  let server: Awaited<ReturnType<typeof startGatewayServer>>;
  let startup: Awaited<ReturnType<typeof createStartupWithKey>>;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await createCatalog(test.db, [{ slug: "sim", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 0 } }], [{ slug: "sim-chat", routes: [{ provider: "sim", inputPrice: 1_000_000n, outputPrice: 2_000_000n }] }]);
    startup = await createStartupWithKey(test.db, { creditsMicros: 10_000_000n });
    server = await startGatewayServer(test.db);
  });

  afterAll(async () => {
    await server?.close();
    await test?.drop();
  });

  const chat = (init: { headers?: Record<string, string>; body?: string; stream?: boolean } = {}) =>
    fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { origin: ORIGIN, authorization: `Bearer ${startup.plaintext}`, "content-type": "application/json", ...init.headers },
      body: init.body ?? JSON.stringify({ model: "sim-chat", messages: [{ role: "user", content: "hi" }], max_tokens: 4, stream: init.stream ?? false }),
    });

  const expectReadableCrossOrigin = (response: Response) => {
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")!.split(", ")).toEqual(expect.arrayContaining(["x-request-id", "retry-after", "x-ratelimit-remaining-requests"]));
  };

  it("a chat completion, JSON or streamed, can be read by a script on another origin", async () => {
    const json = await chat();
    expect(json.status).toBe(200);
    expectReadableCrossOrigin(json);
    expect((await json.json()).object).toBe("chat.completion");
    const stream = await chat({ stream: true });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    expectReadableCrossOrigin(stream);
    expect(await stream.text()).toContain("data: [DONE]");
  });

  it("so can the handlers' own errors: a wrong key, malformed JSON", async () => {
    const wrongKey = await chat({ headers: { authorization: "Bearer sk-bl-wrong" } });
    expect(wrongKey.status).toBe(401);
    expectReadableCrossOrigin(wrongKey);
    expect((await wrongKey.json()).error.code).toBe("invalid_api_key");
    const malformed = await chat({ body: "{" });
    expect(malformed.status).toBe(400);
    expectReadableCrossOrigin(malformed);
    expect((await malformed.json()).error.type).toBe("invalid_request_error");
  });

  it("a preflight and a wrong method reach no handler: nothing is held or charged", async () => {
    const before = await getCreditBalances(test.db, startup.org.id);
    const preflight = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "OPTIONS",
      headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toBe("authorization,content-type");
    const wrongMethod = await fetch(`${server.baseUrl}/embeddings`, { method: "PUT", headers: { authorization: `Bearer ${startup.plaintext}` }, body: "{}" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST, OPTIONS");
    expect(await getCreditBalances(test.db, startup.org.id)).toEqual(before);
  });

  it("an unknown path is OpenAI's JSON 404 whatever the method", async () => {
    for (const method of ["GET", "POST"]) {
      const response = await fetch(`${server.baseUrl}/completions`, { method, headers: { authorization: `Bearer ${startup.plaintext}`, origin: ORIGIN }, body: method === "POST" ? "{}" : undefined });
      expect(response.status).toBe(404);
      expectReadableCrossOrigin(response);
      expect((await response.json()).error).toMatchObject({ code: "not_found", type: "invalid_request_error", param: null });
    }
  });
});
