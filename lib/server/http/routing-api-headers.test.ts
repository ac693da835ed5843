import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { GET_ALLOW, otherMethods, withCors } from "@/lib/server/routing/cors";
import { jsonReply } from "@/lib/server/routing/reply";
import { servePost, serveUnknownPath } from "./node-gateway";

// The routing API never passes through proxy.ts (the hot path), so its own replies carry the
// security headers every other API reply gets there.
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

function expectSecurityHeaders(headers: Headers, label: string) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(headers.get(name), `${label}: ${name}`).toBe(value);
  expect(headers.get("access-control-allow-origin"), label).toBe("*");
}

let server: Server | null = null;

afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server!.close(resolve));
  server = null;
});

async function listen(handler: Parameters<typeof createServer>[1]) {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("security headers on the routing API's Pages routes (Node's response)", () => {
  it("on a JSON reply, a stream, a 405 and a preflight", async () => {
    const url = await listen((req, res) =>
      void servePost(req, res, async (request) =>
        (await request.text()) === "stream" ? { kind: "stream", status: 200, headers: { "content-type": "text/event-stream" }, pump: async (sink) => (sink.write("data: [DONE]\n\n"), sink.end()) } : jsonReply({ ok: true }),
      ),
    );
    for (const [label, init] of [
      ["json", { method: "POST", body: "json" }],
      ["stream", { method: "POST", body: "stream" }],
      ["405", { method: "GET" }],
      ["preflight", { method: "OPTIONS", headers: { origin: "https://example.com", "access-control-request-method": "POST" } }],
    ] as const) {
      const response = await fetch(url, init);
      expectSecurityHeaders(response.headers, label);
      await response.text();
    }
  });

  it("on the 404 of an unknown path", async () => {
    const url = await listen((req, res) => void serveUnknownPath(req, res));
    const response = await fetch(`${url}/api/v1/nope`);
    expect(response.status).toBe(404);
    expectSecurityHeaders(response.headers, "404");
  });
});

describe("security headers on the routing API's App Router routes (models, account, responses)", () => {
  it("on a route's own reply, which keeps its headers", () => {
    const response = withCors(Response.json({ object: "list" }, { headers: { "x-request-id": "req_1" } }));
    expectSecurityHeaders(response.headers, "withCors");
    expect(response.headers.get("x-request-id")).toBe("req_1");
  });

  it("on a 405 and a preflight", () => {
    const { notAllowed, preflight } = otherMethods(GET_ALLOW);
    expectSecurityHeaders(notAllowed(new Request("http://x/api/v1/models", { method: "POST" })).headers, "405");
    expectSecurityHeaders(preflight(new Request("http://x/api/v1/models", { method: "OPTIONS" })).headers, "preflight");
  });
});
