import type { JobDto } from "@/lib/server/jobs/queue";
import type { IndexRecomputeResult } from "@/lib/server/valuation/index-fixes";

export type { JobDto, IndexRecomputeResult };

/** One fix as the screen gets it (µUSD as a string, instants as ISO text). */
export type IndexFixDto = { day: string; priceMicros: string; source: string; createdByName: string | null; createdByEmail: string | null; createdAt: string };

export const SOURCE_LABEL: Record<string, string> = { seed: "Demo seed", admin: "Admin", csv: "CSV import", api: "Feed API" };

export function sourceLabel(source: string): string {
  return SOURCE_LABEL[source] ?? source;
}
