import type { NextApiRequest, NextApiResponse } from "next";
import { db } from "@/lib/server/db/client";
import { servePost } from "@/lib/server/http/node-gateway";
import { handleEmbeddings } from "@/lib/server/routing/embeddings";

// A Pages API route like chat completions (lib/server/http/node-gateway.ts says why).
export const config = { api: { bodyParser: false, responseLimit: false, externalResolver: true } };

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  return servePost(req, res, (request) => handleEmbeddings(db, request));
}
