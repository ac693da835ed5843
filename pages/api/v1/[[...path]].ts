import type { NextApiRequest, NextApiResponse } from "next";
import { serveUnknownPath } from "@/lib/server/http/node-gateway";

// Any other path under /api/v1, with any method: OpenAI's JSON 404 instead of Next's HTML page.
// Next routes every static path (the endpoints, Pages or App Router) and every more specific
// dynamic one (/api/v1/models/[...id]) before a catch-all, so this shadows none of them and adds
// nothing to their requests. A Pages API route, not a route handler: the App Router answers a
// method it does not know (PROPFIND, …) with an empty 400 before any handler runs.
export const config = { api: { bodyParser: false, externalResolver: true } };

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  return serveUnknownPath(req, res);
}
