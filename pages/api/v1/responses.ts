import type { NextApiRequest, NextApiResponse } from "next";
import { db } from "@/lib/server/db/client";
import { servePost } from "@/lib/server/http/node-gateway";
import { trackDeferredSettlement } from "@/lib/server/routing/deferred-settlements";
import { handleResponses } from "@/lib/server/routing/responses";

// OpenAI's Responses API, metered like chat completions. A Pages API route for the same reason as
// chat completions (lib/server/http/node-gateway.ts): the hot path reads and writes Node's objects.
export const config = { api: { bodyParser: false, responseLimit: false, externalResolver: true } };

const afterResponse = { track: trackDeferredSettlement };

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  return servePost(req, res, (request, options) => handleResponses(db, request, options), afterResponse);
}
