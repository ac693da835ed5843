import { createIndexIngestRoute } from "@/lib/server/valuation/ingest-route";

// Bearer-token authenticated (BLOCKABLE_INDEX_INGEST_TOKEN, or the generated indexIngestToken in
// .blockable/secrets.json): a price feed posts GPU index fixes; every open loan is recomputed.
export const dynamic = "force-dynamic";

export const POST = createIndexIngestRoute();
