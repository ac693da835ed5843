import { db } from "@/lib/server/db/client";
import { GET_ALLOW, otherMethods, withCors } from "@/lib/server/routing/cors";
import { handleListInputItems } from "@/lib/server/routing/stored-responses";

export const dynamic = "force-dynamic";

// The items that led to a stored Response, in OpenAI's list shape (`after`, `limit`, `order`).
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  return withCors(await handleListInputItems(db, request, id));
}

// A preflight for browser tools; OpenAI's JSON 405 for any other method (HEAD is Next's GET).
const { preflight, notAllowed } = otherMethods(GET_ALLOW);
export { preflight as OPTIONS, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
