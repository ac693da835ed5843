// Serves the routing API's handlers over real HTTP on 127.0.0.1 for integration tests, without a
// Next build: the same handler functions the pages/api/v1 and app/api/v1 route files call, behind
// node:http — the metered endpoints through the same Node adapter their Pages API routes use.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@/lib/server/db/client";
import { handleCredits, handleGetModel, handleListModels, handleUsage } from "@/lib/server/routing/account";
import { pipeWebStream, servePost, serveUnknownPath, type AfterResponse } from "@/lib/server/http/node-gateway";
import { meteredRoutes } from "@/lib/server/routing/metered-routes";

type Handler = (db: Db, request: Request, path: string) => Promise<Response>;

const ROUTES: Array<[method: string, pattern: RegExp, handler: Handler]> = [
  ["GET", /^\/api\/v1\/models$/, (db, request) => handleListModels(db, request)],
  ["GET", /^\/api\/v1\/models\/(.+)$/, (db, request, path) => handleGetModel(db, request, decodeURIComponent(path.replace(/^\/api\/v1\/models\//, "")))],
  ["GET", /^\/api\/v1\/account\/credits$/, (db, request) => handleCredits(db, request)],
  ["GET", /^\/api\/v1\/account\/usage$/, (db, request) => handleUsage(db, request)],
];

async function serve(db: Db, metered: ReturnType<typeof meteredRoutes>, req: IncomingMessage, res: ServerResponse, afterResponse: AfterResponse) {
  const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
  const meteredRoute = metered[url.pathname];
  if (meteredRoute) return servePost(req, res, meteredRoute.handle, afterResponse);
  const route = ROUTES.find(([method, pattern]) => method === req.method && pattern.test(url.pathname));
  // Like the app's Pages catch-all (pages/api/v1/[[...path]].ts).
  if (!route) return serveUnknownPath(req, res);
  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  // Only GET routes are left on this path: the metered POSTs went through servePost above.
  const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, signal: abort.signal });
  const response = await route[2](db, request, url.pathname);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    res.end();
    return;
  }
  await pipeWebStream(res, response.body);
}

/**
 * `settleAfterResponse: true` serves chat completions as the app does (a JSON reply settles after
 * the response is sent); `drain()` then waits until every such settlement has run. Without it a
 * JSON reply settles before it is sent, so a test can read the ledger as soon as it has the reply.
 */
export async function startGatewayServer(db: Db, options: { settleAfterResponse?: boolean } = {}) {
  const pending = new Set<Promise<unknown>>();
  const afterResponse: AfterResponse = {
    isDisabled: !options.settleAfterResponse,
    track: (running) => {
      const tracked = running.finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
  };
  const metered = meteredRoutes(db);
  const server = createServer((req, res) => {
    serve(db, metered, req, res, afterResponse).catch((error) => {
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
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
