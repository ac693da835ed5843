// Seeds the demo world into an empty database (first start). Two instances starting together: the
// second sees organisations and skips; if both pass the check at once, the loser's seed fails on the
// unique organisation slugs, which is caught and logged — the winner's world stands.
import { createDb } from "../../lib/server/db/client";
import { seedDemoWorld, seedScaleFromEnv } from "../../lib/server/seed/demo-world";

export async function seedIfEmpty(databaseUrl: string, log: (message: string) => void): Promise<boolean> {
  const { db, provider } = createDb(databaseUrl);
  try {
    if ((await db.organization.count()) > 0) return false;
    log("Seeding the demo world…");
    const startedAt = performance.now();
    try {
      // Checked again right before writing: another instance may have begun meanwhile.
      if ((await db.organization.count()) > 0) {
        log("Another instance is seeding the demo world; skipping.");
        return false;
      }
      const summary = await seedDemoWorld(db, { now: new Date(), provider, scale: seedScaleFromEnv(), onProgress: log });
      log(`Seeded the demo world in ${((performance.now() - startedAt) / 1000).toFixed(1)}s (${summary.counts.usageEvents.toLocaleString("en-US")} usage events).`);
      return true;
    } catch (error) {
      if ((await db.organization.count().catch(() => 0)) > 0 && /unique|constraint/i.test(String((error as Error)?.message ?? error))) {
        log("Another instance seeded the demo world first; keeping its world.");
        return false;
      }
      throw error;
    }
  } finally {
    await db.$disconnect();
  }
}
