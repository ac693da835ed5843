import "@/lib/server/server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_BODY_BYTES, requestTooLarge, type GatewayOptions } from "@/lib/server/routing/gateway";
import { OpenAiError, openAiErrorBody } from "@/lib/server/routing/openai-errors";
import { newRequestId, type GatewayReply, type GatewayRequest } from "@/lib/server/routing/reply";

/**
 * The routing API's metered endpoints on Node's own request and response (Pages API routes, and
 * the integration tests' server). Next's App Router wraps every request and response in Web
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

export async function sendReply(res: ServerResponse, reply: GatewayReply): Promise<void> {
  if (reply.kind === "json") {
    const body = JSON.stringify(reply.json);
    res.writeHead(reply.status, { ...reply.headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.writeHead(reply.status, reply.headers);
  if (reply.kind === "empty") {
    res.end();
    return;
  }
  res.flushHeaders();
  await pipeWebStream(res, reply.stream);
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

/** Serves one POST endpoint of the routing API on Node's request and response. */
export async function servePost(req: IncomingMessage, res: ServerResponse, handle: GatewayHandler, afterResponse: AfterResponse = {}): Promise<void> {
  if (req.method !== "POST") {
    await sendError(res, new OpenAiError(405, "method_not_allowed", `${req.method} is not supported here; send a POST.`, null, "invalid_request_error", { allow: "POST" }));
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
