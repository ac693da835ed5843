// Serves the routing API's handlers over real HTTP on 127.0.0.1 for integration tests, without a
// Next build: the same handler functions the app/api/v1 route files call, behind node:http.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { Db } from "@/lib/server/db/client";
import { handleCredits, handleGetModel, handleListModels, handleUsage } from "@/lib/server/routing/account";
import { handleEmbeddings } from "@/lib/server/routing/embeddings";
import { handleChatCompletions, type GatewayOptions } from "@/lib/server/routing/gateway";

type Handler = (db: Db, request: Request, path: string, options: GatewayOptions) => Promise<Response>;

const ROUTES: Array<[method: string, pattern: RegExp, handler: Handler]> = [
  ["POST", /^\/api\/v1\/chat\/completions$/, (db, request, _path, options) => handleChatCompletions(db, request, options)],
  ["POST", /^\/api\/v1\/embeddings$/, (db, request) => handleEmbeddings(db, request)],
  ["GET", /^\/api\/v1\/models$/, (db, request) => handleListModels(db, request)],
  ["GET", /^\/api\/v1\/models\/(.+)$/, (db, request, path) => handleGetModel(db, request, decodeURIComponent(path.replace(/^\/api\/v1\/models\//, "")))],
  ["GET", /^\/api\/v1\/account\/credits$/, (db, request) => handleCredits(db, request)],
  ["GET", /^\/api\/v1\/account\/usage$/, (db, request) => handleUsage(db, request)],
];

/** Like Next's `after`: tasks run once the response has been sent; `drain` waits for all of them. */
type AfterResponse = { pending: Set<Promise<unknown>> } | null;

async function serve(db: Db, req: IncomingMessage, res: ServerResponse, afterResponse: AfterResponse) {
  const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
  const route = ROUTES.find(([method, pattern]) => method === req.method && pattern.test(url.pathname));
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(url, {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    signal: abort.signal,
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
  const tasks: (() => Promise<unknown>)[] = [];
  if (afterResponse) {
    res.on("close", () => {
      for (const task of tasks.splice(0)) {
        const running = task().finally(() => afterResponse.pending.delete(running));
        afterResponse.pending.add(running);
      }
    });
  }
  const options: GatewayOptions = afterResponse ? { settleAfterResponse: (task) => void tasks.push(task) } : {};
  const response = await route[2](db, request, url.pathname, options);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.on("close", () => {
    if (!res.writableFinished) reader.cancel().catch(() => undefined);
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve));
    }
    res.end();
  } catch {
    res.destroy();
  }
}

/**
 * `settleAfterResponse: true` serves chat completions as the app's route handler does (JSON replies
 * settle after the response is sent); `drain()` then waits until every such settlement has run.
 */
export async function startGatewayServer(db: Db, options: { settleAfterResponse?: boolean } = {}) {
  const afterResponse: AfterResponse = options.settleAfterResponse ? { pending: new Set() } : null;
  const server = createServer((req, res) => {
    serve(db, req, res, afterResponse).catch((error) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    drain: async () => {
      while (afterResponse && afterResponse.pending.size > 0) await Promise.all([...afterResponse.pending]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
