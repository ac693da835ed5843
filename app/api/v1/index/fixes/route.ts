import { POST_ALLOW, otherMethods, withCors } from "@/lib/server/routing/cors";
import { createIndexIngestRoute } from "@/lib/server/valuation/ingest-route";

// Bearer-token authenticated (BLOCKABLE_INDEX_INGEST_TOKEN, or the generated indexIngestToken in
// .blockable/secrets.json): a price feed posts GPU index fixes; every open loan is recomputed.
export const dynamic = "force-dynamic";

const ingest = createIndexIngestRoute();

export async function POST(request: Request) {
  return withCors(await ingest(request));
}

// A preflight like every /api/v1 endpoint; OpenAI's JSON 405 for any other method.
const { preflight, notAllowed } = otherMethods(POST_ALLOW);
export { preflight as OPTIONS, notAllowed as GET, notAllowed as HEAD, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
