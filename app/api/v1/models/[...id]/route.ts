import { db } from "@/lib/server/db/client";
import { GET_ALLOW, otherMethods, withCors } from "@/lib/server/routing/cors";
import { handleGetModel } from "@/lib/server/routing/account";

export const dynamic = "force-dynamic";

// A catch-all: model ids may contain "/" (e.g. "meta/llama-3.1-8b").
export async function GET(request: Request, context: { params: Promise<{ id: string[] }> }) {
  const { id } = await context.params;
  return withCors(await handleGetModel(db, request, id.map(decodeURIComponent).join("/")));
}

// A preflight for browser tools; OpenAI's JSON 405 for any other method (HEAD is Next's GET).
const { preflight, notAllowed } = otherMethods(GET_ALLOW);
export { preflight as OPTIONS, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
