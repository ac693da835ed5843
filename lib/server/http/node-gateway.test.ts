import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { errorReply, readJsonBody } from "@/lib/server/routing/gateway";
import { jsonReply, type GatewayReply, type StreamSink } from "@/lib/server/routing/reply";
import { pipeWebStream, servePost, serveUnknownPath, type AfterResponse, type GatewayHandler } from "./node-gateway";

let server: Server | null = null;

async function serve(handle: GatewayHandler, afterResponse: AfterResponse = {}) {
  server = createServer((req, res) => void servePost(req, res, handle, afterResponse));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

const echoBody: GatewayHandler = async (request) => {
  try {
    return jsonReply({ body: await readJsonBody(request), auth: request.headers.get("Authorization") });
  } catch (error) {
    return errorReply(error, "req_test");
  }
};

describe("the routing API on Node's request and response (Pages API routes)", () => {
  it("answers a POST with the handler's JSON, its length and its headers", async () => {
    const url = await serve(echoBody);
    const response = await fetch(url, { method: "POST", headers: { authorization: "Bearer sk-bl-x" }, body: '{"a":1}' });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const text = await response.text();
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toEqual({ body: { a: 1 }, auth: "Bearer sk-bl-x" });
  });

  it.each(["GET", "PUT", "PATCH", "DELETE"])("refuses %s with 405, Allow: POST, OPTIONS and an OpenAI-shaped error, without calling the handler", async (method) => {
    let calls = 0;
    const url = await serve(async () => (calls++, jsonReply({})));
    const response = await fetch(url, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toEqual({ error: { code: "method_not_allowed", type: "invalid_request_error", param: null, message: `${method} is not supported here; send a POST.` } });
    expect(calls).toBe(0);
  });

  it("answers a browser's preflight with 204 and the CORS headers, echoing the headers the SDK sends", async () => {
    let calls = 0;
    const url = await serve(async () => (calls++, jsonReply({})));
    const requested = "authorization, content-type, x-stainless-os, openai-beta";
    const response = await fetch(url, { method: "OPTIONS", headers: { origin: "https://example.com", "access-control-request-method": "POST", "access-control-request-headers": requested } });
    expect(response.status).toBe(204);
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("access-control-") || name === "allow"))).toEqual({
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "POST, OPTIONS",
      "access-control-allow-headers": requested,
      "access-control-expose-headers": expect.stringContaining("x-request-id"),
      "access-control-max-age": "86400",
      allow: "POST, OPTIONS",
    });
    expect(await response.text()).toBe("");
    expect(calls).toBe(0);
  });

  it("does not echo requested headers that are not a list of header names", async () => {
    const url = new URL(await serve(async () => jsonReply({})));
    // fetch() refuses such a header value itself; a raw request can send it.
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, method: "OPTIONS", headers: { "access-control-request-headers": "authorization; x=<script>" } }, (res) => {
        res.resume();
        resolve(res.headers);
      });
      req.on("error", reject);
      req.end();
    });
    expect(headers["access-control-allow-origin"]).toBe("*");
    expect(headers["access-control-allow-headers"]).toBeUndefined();
  });

  it("lets a browser script read the reply and its request id, rate-limit and timing headers, on JSON and on streams", async () => {
    const url = await serve(async (request) =>
      (await request.text()) === "stream"
        ? { kind: "stream", status: 200, headers: { "content-type": "text/event-stream" }, pump: async (sink) => (sink.write("data: [DONE]\n\n"), sink.end()) }
        : jsonReply({ ok: true }, { headers: { "x-request-id": "req_1" } }),
    );
    for (const body of ["json", "stream"]) {
      const response = await fetch(url, { method: "POST", headers: { origin: "https://example.com" }, body });
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-expose-headers")!.split(", ")).toEqual(expect.arrayContaining(["x-request-id", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests", "retry-after", "server-timing"]));
      await response.text();
    }
  });

  it("answers 413 to a chunked body over 2 MiB that declared no length, and the connection still gets its answer", async () => {
    const url = new URL(await serve(echoBody));
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, method: "POST", headers: { "transfer-encoding": "chunked" } }, (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on("error", reject);
      for (let i = 0; i < 3; i++) req.write("x".repeat(1024 * 1024));
      req.end();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe("request_too_large");
  });

  it("sends the reply without waiting for a deferred settlement, which then runs once", async () => {
    let starts = 0;
    let release!: () => void;
    const settlement = new Promise<void>((resolve) => (release = resolve));
    const tracked: Promise<unknown>[] = [];
    const url = await serve(
      async (_request, options) => {
        options.settleAfterResponse!(() => (starts++, settlement));
        return jsonReply({ ok: true });
      },
      { track: (running) => void tracked.push(running) },
    );
    // The settlement is still blocked, yet the client has the whole reply.
    expect(await (await fetch(url, { method: "POST", body: "{}" })).json()).toEqual({ ok: true });
    await vi.waitFor(() => expect(tracked).toHaveLength(1));
    release();
    await tracked[0];
    expect(starts).toBe(1);
  });

  it("runs a deferred settlement when nothing tracks it (as the Pages API routes serve)", async () => {
    let ran!: () => void;
    const didRun = new Promise<void>((resolve) => (ran = resolve));
    const url = await serve(async (_request, options) => {
      options.settleAfterResponse!(async () => ran());
      return jsonReply({ ok: true });
    });
    await (await fetch(url, { method: "POST", body: "{}" })).json();
    await didRun;
  });

  it("settles without deferring when deferral is turned off", async () => {
    const url = await serve(async (_request, options) => jsonReply({ canDefer: typeof options.settleAfterResponse === "function" }), { isDisabled: true });
    expect(await (await fetch(url, { method: "POST", body: "{}" })).json()).toEqual({ canDefer: false });
  });

  it("aborts the request's signal when the client leaves, and tells a stream it was writing", async () => {
    let aborted!: () => void;
    const wasAborted = new Promise<void>((resolve) => (aborted = resolve));
    let pumpEnded!: (isGone: boolean) => void;
    const pumpResult = new Promise<boolean>((resolve) => (pumpEnded = resolve));
    const megabyte = "x".repeat(1024 * 1024);
    const url = await serve(async (request): Promise<GatewayReply> => {
      request.signal.addEventListener("abort", () => aborted());
      const pump = async (sink: StreamSink) => {
        sink.write("data: first\n\n");
        // Write until the client's buffer is full, then wait for room: its leaving ends the wait.
        while (!sink.isGone) if (!sink.write(megabyte)) await sink.room();
        pumpEnded(sink.isGone);
      };
      return { kind: "stream", status: 200, headers: { "content-type": "text/event-stream" }, pump };
    });
    const client = new AbortController();
    const response = await fetch(url, { method: "POST", body: "{}", signal: client.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value).startsWith("data: first\n\n")).toBe(true);
    client.abort();
    await wasAborted;
    expect(await pumpResult).toBe(true);
  });

  it("sends the headers with a stream's first text, or on their own when asked", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const url = await serve(async (request): Promise<GatewayReply> => {
      const isFlushed = (await request.text()) === "flush";
      return {
        kind: "stream",
        status: 200,
        headers: { "content-type": "text/event-stream" },
        pump: async (sink) => {
          if (isFlushed) {
            sink.flushHeaders();
            await released;
          }
          sink.write("data: [DONE]\n\n");
          sink.end();
        },
      };
    });
    expect(await (await fetch(url, { method: "POST", body: "now" })).text()).toBe("data: [DONE]\n\n");
    // The client has the status line while the stream still waits for its first text.
    const response = await fetch(url, { method: "POST", body: "flush" });
    expect(response.status).toBe(200);
    release();
    expect(await response.text()).toBe("data: [DONE]\n\n");
  });

  it("stops piping a stream when a client that reads nothing leaves with the buffer full", async () => {
    let finished!: () => void;
    const pipeEnded = new Promise<void>((resolve) => (finished = resolve));
    const megabyte = new Uint8Array(1024 * 1024);
    server = createServer((_req, res) => {
      const endless = new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(megabyte) });
      void pipeWebStream(res, endless).then(finished);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const req = httpRequest({ host: "127.0.0.1", port, method: "GET" }, (res) => {
      res.pause(); // read nothing: the server's buffer fills and it waits for a drain
      setTimeout(() => req.destroy(), 200);
    });
    req.on("error", () => undefined);
    req.end();
    await pipeEnded;
  });
});

describe("any other path under /api/v1 (the Pages catch-all)", () => {
  async function serveUnknown() {
    server = createServer((req, res) => void serveUnknownPath(req, res));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it.each(["GET", "POST", "PUT", "DELETE"])("answers %s with OpenAI's JSON 404 that names the path and points at the endpoints", async (method) => {
    const url = await serveUnknown();
    const response = await fetch(`${url}/api/v1/completions?x=1`, { method, body: method === "GET" ? undefined : "{}" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const { error } = await response.json();
    expect(error).toMatchObject({ type: "invalid_request_error", code: "not_found", param: null });
    expect(error.message).toContain(`Unknown path: ${method} /api/v1/completions.`);
    expect(error.message).toContain("GET /api/v1/models lists the models");
  });

  it("cuts a very long path short in the message", async () => {
    const url = await serveUnknown();
    const { error } = await (await fetch(`${url}/api/v1/${"a".repeat(5000)}`)).json();
    expect(error.message.length).toBeLessThan(500);
  });

  it("answers a preflight with 204, so the browser shows the script the 404 that follows", async () => {
    const url = await serveUnknown();
    const response = await fetch(`${url}/api/v1/nope`, { method: "OPTIONS", headers: { origin: "https://example.com", "access-control-request-method": "POST", "access-control-request-headers": "authorization" } });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")).toBe("authorization");
  });
});
