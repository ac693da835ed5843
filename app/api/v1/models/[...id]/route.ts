import { db } from "@/lib/server/db/client";
import { handleGetModel } from "@/lib/server/routing/account";

export const dynamic = "force-dynamic";

// A catch-all: model ids may contain "/" (e.g. "meta/llama-3.1-8b").
export async function GET(request: Request, context: { params: Promise<{ id: string[] }> }) {
  const { id } = await context.params;
  return handleGetModel(db, request, id.map(decodeURIComponent).join("/"));
}
