import type { NextApiRequest, NextApiResponse } from "next";
import { db } from "@/lib/server/db/client";
import { servePost } from "@/lib/server/http/node-gateway";
import { meteredRoutes } from "@/lib/server/routing/metered-routes";

// The routing API's hot path is a Pages API route, not an App Router route handler: it reads and
// writes Node's request and response directly (lib/server/http/node-gateway.ts says why). API-key
// authenticated inside the handler; a JSON reply's settlement runs once the response is sent, and
// a shutdown waits for it (deferred-settlements.ts).
// In production the server serves this path before Next does (lib/server/http/app-server.ts);
// this route serves it under `next dev`, or a bare `next start`, with the same handler.
export const config = { api: { bodyParser: false, responseLimit: false, externalResolver: true } };

const route = meteredRoutes(db)["/api/v1/chat/completions"];

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  return servePost(req, res, route.handle, route.afterResponse);
}
