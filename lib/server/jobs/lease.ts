import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";

/**
 * A lease in the database makes a background job run on one app instance at a time: whoever
 * holds an unexpired lease runs it; anyone may take an expired one. One conditional write each.
 */
export async function tryAcquireLease(db: Db, name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const renewed = await db.jobLease.updateMany({
    where: { name, OR: [{ holder }, { expiresAt: { lt: now } }] },
    data: { holder, expiresAt },
  });
  if (renewed.count === 1) return true;
  try {
    await db.jobLease.create({ data: { name, holder, expiresAt } });
    return true;
  } catch {
    return false; // another instance holds it (or created it a moment ago)
  }
}
