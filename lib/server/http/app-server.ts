import "@/lib/server/server-only";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import next from "next";
import { db } from "@/lib/server/db/client";
import { meteredRoutes } from "@/lib/server/routing/metered-routes";
import { servePost } from "./node-gateway";

export type AppServerOptions = {
  /** The project folder (where next.config.ts and the build are). */
  dir: string;
  port: number;
  /** The address to listen on; every interface when absent (as `next start` without -H). */
  hostname?: string;
};

export type AppServer = {
  server: Server;
  /** Stops accepting connections, lets the requests in flight finish (streams included), then closes Next. */
  close(): Promise<void>;
};

/** The path of a request target, without its query. */
function pathOf(url: string | undefined): string {
  if (url === undefined) return "/";
  const queryAt = url.indexOf("?");
  return queryAt === -1 ? url : url.slice(0, queryAt);
}

/**
 * The production server (`npm start`, scripts/serve.ts): Next.js serves the app, except the
 * routing API's metered endpoints (POST /api/v1/chat/completions, /responses and /embeddings,
 * with their preflights), which are handed to their handlers before Next's request pipeline.
 * Measured on this machine (docs/benchmarks.md), that pipeline — routing and rewrites, the Pages
 * API runtime, and the async hooks its AsyncLocalStorage puts on every promise — cost ~300 µs of
 * CPU per metered JSON request and ~400 µs per stream, more than authenticating, limiting,
 * holding and settling it. The handlers are the ones the Pages API routes of the same paths call
 * (lib/server/routing/metered-routes.ts), which still serve under `next dev`.
 */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const app = next({ dev: false, dir: options.dir, hostname: options.hostname ?? "localhost", port: options.port });
  const handleNext = app.getRequestHandler();
  await app.prepare();
  const routes = meteredRoutes(db);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const route = routes[pathOf(req.url)];
    const served = route ? servePost(req, res, route.handle, route.afterResponse) : handleNext(req, res);
    served.catch((error: unknown) => {
      // Both answer their own errors; this is the last line for a bug.
      console.error(error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });

  return {
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
