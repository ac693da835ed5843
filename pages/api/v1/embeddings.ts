import type { NextApiRequest, NextApiResponse } from "next";
import { db } from "@/lib/server/db/client";
import { servePost } from "@/lib/server/http/node-gateway";
import { meteredRoutes } from "@/lib/server/routing/metered-routes";

// A Pages API route like chat completions (lib/server/http/node-gateway.ts says why).
// In production the server serves this path before Next does (lib/server/http/app-server.ts);
// this route serves it under `next dev`, or a bare `next start`, with the same handler.
export const config = { api: { bodyParser: false, responseLimit: false, externalResolver: true } };

const route = meteredRoutes(db)["/api/v1/embeddings"];

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  return servePost(req, res, route.handle, route.afterResponse);
}
