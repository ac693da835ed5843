import "@/lib/server/server-only";
import { z } from "zod";
import { db as defaultDb, type Db } from "@/lib/server/db/client";
import { ApiError, errorResponse } from "@/lib/server/http/errors";
import { readBodyText } from "@/lib/server/http/json-body";
import { ingestIndexFixes } from "./index-fixes";
import { MAX_FIXES_PER_BATCH } from "./index-csv";
import { getIndexIngestToken, isIndexIngestTokenValid } from "./ingest-token";

// POST /api/v1/index/fixes — a price feed posts GPU index fixes:
//   Authorization: Bearer <BLOCKABLE_INDEX_INGEST_TOKEN or the generated indexIngestToken>
//   { "fixes": [ { "day": "2026-03-01", "priceMicrosPerGpuHour": "2150000" } ] }
// The whole batch is validated (422 names each bad fixes[i]) and written in one transaction, then
// every open loan's coverage is recomputed. 200 → { inserted, updated, unchanged, fromDay, toDay,
// recomputedLoans }. Re-posting the same fixes is harmless (unchanged).

const MAX_BODY_BYTES = 2_000_000;

const price = z.union([
  z.string().regex(/^\d{1,19}$/, "priceMicrosPerGpuHour must be a whole number of µUSD per GPU-hour, as a string of digits (e.g. \"2150000\" for $2.15)."),
  z.number().int("priceMicrosPerGpuHour must be a whole number of µUSD.").nonnegative().max(Number.MAX_SAFE_INTEGER),
]);
const body = z
  .object({
    fixes: z
      .array(z.object({ day: z.string().max(20), priceMicrosPerGpuHour: price }).strict())
      .min(1, "fixes must hold at least one fix.")
      .max(MAX_FIXES_PER_BATCH, `at most ${MAX_FIXES_PER_BATCH} fixes per request.`),
  })
  .strict();

function bearerOf(request: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match ? match[1] : null;
}

export function createIndexIngestRoute(options: { db?: Db; token?: () => string; now?: () => Date } = {}) {
  const database = options.db ?? defaultDb;
  const expectedToken = options.token ?? getIndexIngestToken;
  return async function POST(request: Request): Promise<Response> {
    try {
      if (!isIndexIngestTokenValid(bearerOf(request), expectedToken())) {
        return errorResponse(new ApiError(401, "invalid_token", "Send the index ingestion token as Authorization: Bearer <token>."), { "www-authenticate": "Bearer" });
      }
      // Read up to the limit only: a feed that sends too much gets its 413 without the server holding it all.
      const text = await readBodyText(request, MAX_BODY_BYTES);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ApiError(400, "invalid_json", "The request body must be JSON: { \"fixes\": [ { \"day\": \"YYYY-MM-DD\", \"priceMicrosPerGpuHour\": \"…\" } ] }.");
      }
      const parsed = body.parse(json);
      const result = await ingestIndexFixes(database, {
        fixes: parsed.fixes.map((fix) => ({ day: fix.day, priceMicrosPerGpuHour: BigInt(fix.priceMicrosPerGpuHour) })),
        now: options.now?.() ?? new Date(),
      });
      return Response.json(
        { inserted: result.inserted, updated: result.updated, unchanged: result.unchanged, fromDay: result.fromDay, toDay: result.toDay, recomputedLoans: result.recompute?.recorded ?? 0 },
        { headers: { "cache-control": "no-store" } },
      );
    } catch (error) {
      return errorResponse(error);
    }
  };
}
