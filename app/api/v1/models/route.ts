import { db } from "@/lib/server/db/client";
import { GET_ALLOW, otherMethods, withCors } from "@/lib/server/routing/cors";
import { handleListModels } from "@/lib/server/routing/account";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return withCors(await handleListModels(db, request));
}

// A preflight for browser tools; OpenAI's JSON 405 for any other method (HEAD is Next's GET).
const { preflight, notAllowed } = otherMethods(GET_ALLOW);
export { preflight as OPTIONS, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
