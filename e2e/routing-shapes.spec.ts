import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { DEMO_API_KEYS } from "../lib/server/seed/demo-accounts";

// OpenAI's shapes on every path and method under /api/v1 of the built app, and CORS so a browser
// tool on another origin can call it with an API key.
const apiKey = DEMO_API_KEYS[0].plaintext;
const auth = { authorization: `Bearer ${apiKey}` };

async function chatModelId(request: APIRequestContext): Promise<string> {
  const models = (await (await request.get("/api/v1/models", { headers: auth })).json()) as { data: { id: string; x_blockable: { kind: string } }[] };
  return models.data.find((m) => m.x_blockable.kind === "chat")!.id;
}

test("an unknown path under /api/v1 is OpenAI's JSON 404 for every method, not Next's HTML page", async ({ request }) => {
  for (const [method, path] of [
    ["GET", "/api/v1/completions"],
    ["POST", "/api/v1/completions"],
    ["POST", "/api/v1/chat"],
    ["DELETE", "/api/v1/assistants/asst_1"],
    ["GET", "/api/v1"],
  ] as const) {
    const response = await request.fetch(path, { method, headers: auth, data: method === "POST" ? { model: "x" } : undefined });
    expect(response.status(), `${method} ${path}`).toBe(404);
    expect(response.headers()["content-type"]).toContain("application/json");
    expect(response.headers()["access-control-allow-origin"]).toBe("*");
    const { error } = await response.json();
    expect(error).toMatchObject({ type: "invalid_request_error", code: "not_found", param: null });
    expect(error.message).toContain(`Unknown path: ${method} ${path}.`);
    expect(error.message).toContain("GET /api/v1/models lists the models");
  }
});

test("the catch-all shadows no endpoint: models, a model id with a slash, credits and chat still answer", async ({ request }) => {
  const model = await chatModelId(request);
  const one = await request.get(`/api/v1/models/${model}`, { headers: auth });
  expect(one.status()).toBe(200);
  expect((await one.json()).id).toBe(model);
  const missing = await request.get("/api/v1/models/no/such-model", { headers: auth });
  expect(missing.status()).toBe(404);
  expect((await missing.json()).error.code).toBe("model_not_found");
  expect((await request.get("/api/v1/account/credits", { headers: auth })).status()).toBe(200);
  const chat = await request.post("/api/v1/chat/completions", { headers: auth, data: { model, messages: [{ role: "user", content: "hi" }], max_tokens: 4 } });
  expect(chat.status()).toBe(200);
  expect((await chat.json()).object).toBe("chat.completion");
  expect((await request.post("/api/v1/embeddings", { headers: auth, data: { model: "x", input: "hi" } })).headers()["content-type"]).toContain("application/json");
});

test("a wrong method on an endpoint is OpenAI's JSON 405 with Allow", async ({ request }) => {
  for (const [method, path, allow] of [
    ["GET", "/api/v1/chat/completions", "POST, OPTIONS"],
    ["DELETE", "/api/v1/chat/completions", "POST, OPTIONS"],
    ["GET", "/api/v1/embeddings", "POST, OPTIONS"],
    ["POST", "/api/v1/models", "GET, HEAD, OPTIONS"],
    ["DELETE", "/api/v1/models/some/model", "GET, HEAD, OPTIONS"],
    ["PUT", "/api/v1/account/credits", "GET, HEAD, OPTIONS"],
    ["POST", "/api/v1/account/usage", "GET, HEAD, OPTIONS"],
    ["GET", "/api/v1/index/fixes", "POST, OPTIONS"],
  ] as const) {
    const response = await request.fetch(path, { method, headers: auth });
    expect(response.status(), `${method} ${path}`).toBe(405);
    expect(response.headers()["allow"]).toBe(allow);
    expect(response.headers()["content-type"]).toContain("application/json");
    expect(response.headers()["access-control-allow-origin"]).toBe("*");
    expect((await response.json()).error).toMatchObject({ code: "method_not_allowed", type: "invalid_request_error", param: null });
  }
});

test("a preflight from another origin gets 204 and the CORS headers on every endpoint", async ({ request }) => {
  for (const [path, method] of [
    ["/api/v1/chat/completions", "POST"],
    ["/api/v1/embeddings", "POST"],
    ["/api/v1/models", "GET"],
    ["/api/v1/models/a/b", "GET"],
    ["/api/v1/account/usage", "GET"],
    ["/api/v1/not-an-endpoint", "POST"],
  ] as const) {
    const response = await request.fetch(path, {
      method: "OPTIONS",
      headers: { origin: "https://example.com", "access-control-request-method": method, "access-control-request-headers": "authorization,content-type,x-stainless-os" },
    });
    expect(response.status(), path).toBe(204);
    const headers = response.headers();
    expect(headers["access-control-allow-origin"]).toBe("*");
    expect(headers["access-control-allow-methods"]).toContain(method);
    expect(headers["access-control-allow-headers"]).toBe("authorization,content-type,x-stainless-os");
    expect(headers["access-control-expose-headers"]).toContain("x-request-id");
  }
  const models = await request.get("/api/v1/models", { headers: { ...auth, origin: "https://example.com" } });
  expect(models.headers()["access-control-allow-origin"]).toBe("*");
});

test.describe("from a page on another origin", () => {
  let tool: Server;
  let toolOrigin: string;

  // A browser tool's page, served from another port of 127.0.0.1: another origin in the same
  // address space (a public origin calling a loopback one is a separate browser policy).
  test.beforeAll(async () => {
    tool = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>tool</title><p>tool</p>"));
    await new Promise<void>((resolve) => tool.listen(0, "127.0.0.1", resolve));
    toolOrigin = `http://127.0.0.1:${(tool.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    tool.closeAllConnections();
    await new Promise((resolve) => tool.close(resolve));
  });

  test("a script calls chat completions with the demo key and reads the reply, its request id and a 404", async ({ page, request, baseURL }) => {
    const model = await chatModelId(request);
    await page.goto(toolOrigin);
    const result = await page.evaluate(
      async ({ api, key, model }) => {
        const response = await fetch(`${api}/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-stainless-lang": "js" },
          body: JSON.stringify({ model, messages: [{ role: "user", content: "Hello from another origin" }], max_tokens: 8 }),
        });
        const unknown = await fetch(`${api}/nothing-here`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: "{}" });
        // A page of the app has no CORS headers: the browser must refuse to show it to this script.
        const isPageBlocked = await fetch(`${api}/../../login`).then(
          () => false,
          () => true,
        );
        return {
          origin: location.origin,
          isPageBlocked,
          status: response.status,
          requestId: response.headers.get("x-request-id"),
          json: await response.json(),
          unknownStatus: unknown.status,
          unknownError: (await unknown.json()).error,
        };
      },
      { api: `${baseURL}/api/v1`, key: apiKey, model },
    );
    expect(result.origin).not.toBe(new URL(baseURL!).origin);
    expect(result.isPageBlocked).toBe(true);
    expect(result.status).toBe(200);
    expect(result.requestId).toMatch(/^req_/);
    expect(result.json.object).toBe("chat.completion");
    expect(result.json.choices[0].message.content).toBeTruthy();
    expect(result.unknownStatus).toBe(404);
    expect(result.unknownError.code).toBe("not_found");
  });
});
