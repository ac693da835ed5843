import type { NextApiRequest, NextApiResponse } from "next";
import { db } from "@/lib/server/db/client";
import { servePost } from "@/lib/server/http/node-gateway";
import { trackDeferredSettlement } from "@/lib/server/routing/deferred-settlements";
import { handleChatCompletions } from "@/lib/server/routing/gateway";

// The routing API's hot path is a Pages API route, not an App Router route handler: it reads and
// writes Node's request and response directly (lib/server/http/node-gateway.ts says why). API-key
// authenticated inside the handler; a JSON reply's settlement runs once the response is sent, and
// a shutdown waits for it (deferred-settlements.ts).
export const config = { api: { bodyParser: false, responseLimit: false, externalResolver: true } };

const afterResponse = { track: trackDeferredSettlement };

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  return servePost(req, res, (request, options) => handleChatCompletions(db, request, options), afterResponse);
}
