import "@/lib/server/server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { methodNotAllowedError, POST_ALLOW, preflightHeaders, ROUTING_API_HEADERS } from "@/lib/server/routing/cors";
import { MAX_BODY_BYTES, requestTooLarge, type GatewayOptions } from "@/lib/server/routing/gateway";
import { OpenAiError, openAiErrorBody } from "@/lib/server/routing/openai-errors";
import { newRequestId, type GatewayReply, type GatewayRequest, type StreamSink } from "@/lib/server/routing/reply";

/**
 * The routing API's metered endpoints on Node's own request and response (the production server,
 * app-server.ts; the Pages API routes under `next dev`; the integration tests' server). Next's App Router wraps every request and response in Web
 * streams; measured on this machine that costs the gateway ~2 ms per JSON request and about a
 * third of its throughput (docs/benchmarks.md), so the hot path reads and writes Node's objects.
 */

export type GatewayHandler = (request: GatewayRequest, options: GatewayOptions) => Promise<GatewayReply>;

/**
 * Deferred work (a JSON reply's settlement) starts once the response is out; `track` sees each
 * run. `isDisabled` makes the handler settle before it replies (some integration tests).
 */
export type AfterResponse = { track?: (running: Promise<unknown>) => void; isDisabled?: boolean };

export function gatewayRequestFromNode(req: IncomingMessage, res: ServerResponse): GatewayRequest {
  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  return {
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
    },
    signal: abort.signal,
    text() {
      // Events rather than `for await`: the async iterator costs more than the body it reads.
      return new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        req.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          // Past the limit the rest is read and dropped (not kept in memory), so the 413 can still be sent.
          if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        req.on("error", reject);
        req.on("end", () => {
          if (bytes > MAX_BODY_BYTES) reject(requestTooLarge());
          else resolve(chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8"));
        });
      });
    },
  };
}

/** Sends a reply of the routing API, with its CORS and security headers (in the one object `writeHead` takes: its fast path). */
export async function sendReply(res: ServerResponse, reply: GatewayReply): Promise<void> {
  if (reply.kind === "json") {
    const body = JSON.stringify(reply.json);
    res.writeHead(reply.status, { ...ROUTING_API_HEADERS, ...reply.headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.writeHead(reply.status, { ...ROUTING_API_HEADERS, ...reply.headers });
  if (reply.kind === "empty") {
    res.end();
    return;
  }
  try {
    await reply.pump(nodeSink(res));
  } catch (error) {
    console.error(error);
    res.destroy();
  }
}

/** Node's response as a stream's sink: one `write` per batch of frames, minding back-pressure. */
export function nodeSink(res: ServerResponse): StreamSink {
  return {
    write: (text) => !res.destroyed && res.write(text),
    room: () =>
      new Promise<void>((resolve) => {
        // A client that leaves while the buffer is full never drains it: stop waiting on close too.
        if (res.destroyed || res.writableNeedDrain === false) return resolve();
        const done = () => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.on("drain", done);
        res.on("close", done);
      }),
    flushHeaders: () => res.flushHeaders(),
    end: () => {
      if (!res.destroyed) res.end();
    },
    get isGone() {
      return res.destroyed && !res.writableFinished;
    },
  };
}

/** Writes a Web stream to Node's response as it arrives, minding back-pressure. */
export async function pipeWebStream(res: ServerResponse, stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader();
  // The client left: cancelling the stream stops the upstream and bills what was sent.
  res.on("close", () => {
    if (!res.writableFinished) reader.cancel().catch(() => undefined);
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // A client that leaves while the buffer is full never drains it: stop waiting on close too.
      if (!res.write(value)) await new Promise((resolve) => (res.once("drain", resolve), res.once("close", resolve)));
    }
    res.end();
  } catch {
    res.destroy();
  }
}

function sendError(res: ServerResponse, error: OpenAiError) {
  const requestId = newRequestId();
  return sendReply(res, { kind: "json", status: error.status, headers: { "x-request-id": requestId, ...error.headers }, json: openAiErrorBody(error) });
}

/** A CORS preflight (or any OPTIONS request) answered with what `allow` permits. */
function sendPreflight(req: IncomingMessage, res: ServerResponse, allow: string) {
  const requested = req.headers["access-control-request-headers"];
  res.writeHead(204, preflightHeaders(allow, Array.isArray(requested) ? requested.join(", ") : requested));
  res.end();
}

/** Serves one POST endpoint of the routing API on Node's request and response. */
export async function servePost(req: IncomingMessage, res: ServerResponse, handle: GatewayHandler, afterResponse: AfterResponse = {}): Promise<void> {
  if (req.method !== "POST") {
    if (req.method === "OPTIONS") sendPreflight(req, res, POST_ALLOW);
    else await sendError(res, methodNotAllowedError(req.method, POST_ALLOW));
    return;
  }
  const tasks: (() => Promise<unknown>)[] = [];
  let isClosed = false;
  const run = (task: () => Promise<unknown>) => {
    const running = task();
    afterResponse.track?.(running);
  };
  res.on("close", () => {
    isClosed = true;
    for (const task of tasks.splice(0)) run(task);
  });
  // A task handed over after the client already left runs at once: nobody waits for the reply.
  const settleAfterResponse = (task: () => Promise<unknown>) => (isClosed ? run(task) : void tasks.push(task));
  try {
    const reply = await handle(gatewayRequestFromNode(req, res), afterResponse.isDisabled ? {} : { settleAfterResponse });
    await sendReply(res, reply);
  } catch (error) {
    // The handlers answer their own errors; this is the last line for a bug.
    console.error(error);
    if (res.headersSent) res.destroy();
    else await sendError(res, new OpenAiError(500, "internal_error", "Something went wrong on our side; you were not charged.", null, "api_error"));
  }
}

/** Every method the App Router and Node route; an unknown path is a 404 whatever the method. */
const ANY_ALLOW = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";
const ROUTING_API_PATHS = "POST /api/v1/chat/completions, POST /api/v1/responses and POST /api/v1/embeddings; GET /api/v1/models lists the models";

/**
 * Any path under /api/v1 that no endpoint serves (pages/api/v1/[[...path]].ts): OpenAI's JSON 404,
 * which clients show as it is, instead of Next's HTML page. A preflight is answered, so a browser
 * lets the script read that 404 rather than a bare CORS failure.
 */
export async function serveUnknownPath(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === "OPTIONS") return sendPreflight(req, res, ANY_ALLOW);
  const path = (req.url ?? "/").split("?")[0];
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  await sendError(res, new OpenAiError(404, "not_found", `Unknown path: ${req.method} ${shown}. The routing API serves ${ROUTING_API_PATHS}.`));
}
