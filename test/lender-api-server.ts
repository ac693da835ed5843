// Serves the lender API's route handlers over real HTTP on 127.0.0.1 for integration tests, without
// a Next build: the same handlers the app/api/lender/v1 route files export, on the test's database.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { createLenderRoutes } from "@/lib/server/collateral/lender-api";
import type { Db } from "@/lib/server/db/client";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function routesFor(db: Db): Array<[method: string, pattern: RegExp, handler: Handler]> {
  const routes = createLenderRoutes({ db });
  return [
    ["GET", /^\/api\/lender\/v1\/loans$/, routes.listLoans as Handler],
    ["GET", /^\/api\/lender\/v1\/loans\/(?<loanId>[^/]+)$/, routes.getLoan as unknown as Handler],
    ["POST", /^\/api\/lender\/v1\/loans\/(?<loanId>[^/]+)\/freeze$/, routes.freeze as unknown as Handler],
    ["POST", /^\/api\/lender\/v1\/loans\/(?<loanId>[^/]+)\/unfreeze$/, routes.unfreeze as unknown as Handler],
    ["POST", /^\/api\/lender\/v1\/loans\/(?<loanId>[^/]+)\/liquidate$/, routes.liquidate as unknown as Handler],
    ["GET", /^\/api\/lender\/v1\/alerts$/, routes.listAlerts as Handler],
  ];
}

async function serve(routes: ReturnType<typeof routesFor>, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
  const match = routes.map(([method, pattern, handler]) => ({ method, handler, found: pattern.exec(url.pathname) })).find((route) => route.method === req.method && route.found);
  if (!match) {
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "No such route.", code: "route_not_found" } }));
    return;
  }
  const params = Object.fromEntries(Object.entries(match.found!.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]));
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(url, {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
  const response = await match.handler(request, { params: Promise.resolve(params) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

export async function startLenderApiServer(db: Db) {
  const routes = routesFor(db);
  const server = createServer((req, res) => {
    serve(routes, req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/lender/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
