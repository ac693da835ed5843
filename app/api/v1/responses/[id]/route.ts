import { db } from "@/lib/server/db/client";
import { otherMethods, withCors } from "@/lib/server/routing/cors";
import { handleDeleteResponse, handleGetResponse } from "@/lib/server/routing/stored-responses";

export const dynamic = "force-dynamic";

// A stored Response (POST /api/v1/responses with `store` on, the default), in OpenAI's shape. More
// specific than pages/api/v1/[[...path]].ts, and another path than pages/api/v1/responses.ts.
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  return withCors(await handleGetResponse(db, request, id));
}

export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  return withCors(await handleDeleteResponse(db, request, id));
}

// A preflight for browser tools; OpenAI's JSON 405 for any other method (HEAD is Next's GET).
const { preflight, notAllowed } = otherMethods("GET, DELETE, HEAD, OPTIONS");
export { preflight as OPTIONS, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH };
