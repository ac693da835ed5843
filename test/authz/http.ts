// Calling the app's route handlers as the suite's principals: App Router handlers directly (the
// exported GET/POST with a Request and its params), Pages API routes over real HTTP on 127.0.0.1
// (they read Node's request and response), each with the principal's credentials.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { ROOT } from "./enumerate";
import type { RouteRequest } from "./targets";

/** The URL path a route file answers: route groups dropped, [param] and [...param] filled in. */
export function routePath(file: string, params: Record<string, string | string[]> = {}): string {
  const segments = file
    .replace(/^app\//, "")
    .replace(/^pages\//, "")
    .replace(/\/route\.[tj]sx?$/, "")
    .replace(/\.[tj]sx?$/, "")
    .split("/")
    .filter((segment) => !/^\(.*\)$/.test(segment));
  return `/${segments
    .map((segment) => {
      const dynamic = /^\[{1,2}(\.\.\.)?(\w+)\]{1,2}$/.exec(segment);
      if (!dynamic) return segment;
      const value = params[dynamic[2]];
      if (value === undefined) throw new Error(`${file}: no value for [${dynamic[2]}]`);
      return Array.isArray(value) ? value.map(encodeURIComponent).join("/") : encodeURIComponent(value);
    })
    .join("/")}`;
}

export type Answer = { status: number; text: string };

type AppHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

const importFile = (file: string) => import(/* @vite-ignore */ path.join(ROOT, file)) as Promise<Record<string, unknown>>;

/** Calls an App Router handler as Next would: a Request on the file's path, its params as a promise. */
export async function callAppRoute(file: string, method: string, request: RouteRequest, headers: Record<string, string>): Promise<Answer> {
  const module = await importFile(file);
  const handler = module[method] as AppHandler | undefined;
  if (typeof handler !== "function") throw new Error(`${file} exports no ${method}`);
  const url = `http://localhost${routePath(file, request.params)}${request.query ? `?${request.query}` : ""}`;
  const hasBody = request.body !== undefined && method !== "GET" && method !== "HEAD";
  const response = await handler(
    new Request(url, {
      method,
      headers: { ...(hasBody ? { "content-type": "application/json" } : {}), origin: "http://localhost", ...headers },
      body: hasBody ? (typeof request.body === "string" ? request.body : JSON.stringify(request.body)) : undefined,
    }),
    { params: Promise.resolve(request.params ?? {}) },
  );
  return { status: response.status, text: method === "HEAD" ? "" : await response.text() };
}

/** Serves every pages/api file over node:http: the exact path of a file, else the catch-all. */
export async function startPagesApiServer(files: string[]) {
  const handlers = await Promise.all(
    files.map(async (file) => ({ file, path: routePath(file.replace(/\[\[\.\.\.\w+\]\]/, "")), isCatchAll: /\[\[?\.\.\./.test(file), handler: (await importFile(file)).default as (req: IncomingMessage, res: ServerResponse) => unknown })),
  );
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    const route = handlers.find((entry) => !entry.isCatchAll && entry.path === pathname) ?? handlers.find((entry) => entry.isCatchAll && pathname.startsWith(entry.path.replace(/\/$/, "")));
    if (!route) {
      res.writeHead(599).end();
      return;
    }
    Promise.resolve(route.handler(req, res)).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    async call(file: string, request: RouteRequest, headers: Record<string, string>): Promise<Answer> {
      const method = request.method ?? "POST";
      const url = `${baseUrl}${request.path ?? routePath(file)}${request.query ? `?${request.query}` : ""}`;
      const hasBody = request.body !== undefined && method !== "GET" && method !== "HEAD";
      const response = await fetch(url, {
        method,
        headers: { ...(hasBody ? { "content-type": "application/json" } : {}), ...headers },
        body: hasBody ? (typeof request.body === "string" ? request.body : JSON.stringify(request.body)) : undefined,
      });
      return { status: response.status, text: await response.text() };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
