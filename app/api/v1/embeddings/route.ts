import { db } from "@/lib/server/db/client";
import { handleEmbeddings } from "@/lib/server/routing/embeddings";

export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return handleEmbeddings(db, request);
}
