// What start seeds into an empty database. With the demo world on (the default), the public demo:
// two instances starting together — the second sees organisations and skips; if both pass the
// check at once, the loser's seed fails on the unique organisation slugs, which is caught and
// logged, and the winner's world stands. With BLOCKABLE_DEMO_WORLD=off, only the platform
// organisation (its admins belong to it): no accounts, keys, loans or usage, and an empty model
// catalogue an admin fills in (/admin/providers, /admin/models).
import type { Db } from "../../lib/server/db/client";
import { createDb } from "../../lib/server/db/client";
import { DEMO_ACCOUNTS, DEMO_API_KEYS } from "../../lib/server/seed/demo-accounts";
import { seedDemoWorld, seedScaleFromEnv } from "../../lib/server/seed/demo-world";
import { hashApiKey } from "../../lib/server/services/api-keys";
import { ensurePlatformOrg } from "./admin-account";

export type SeedOptions = { demoWorld: boolean };

export async function seedIfEmpty(databaseUrl: string, log: (message: string) => void, options: SeedOptions): Promise<boolean> {
  const { db, provider } = createDb(databaseUrl);
  try {
    if (!options.demoWorld) {
      await seedPlatformOnly(db, log);
      return false;
    }
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

/** What of the public demo still opens this database: demo logins not disabled, demo-org API keys not revoked. */
export async function findOpenDemoAccess(db: Db): Promise<{ accounts: string[]; apiKeys: number }> {
  const demoEmails = DEMO_ACCOUNTS.map((account) => account.email);
  const accounts = await db.user.findMany({ where: { email: { in: demoEmails }, isDisabled: false }, select: { email: true }, orderBy: { email: "asc" } });
  const apiKeys = await db.apiKey.count({
    where: {
      revokedAt: null,
      // The README's keys, and every other key of an organisation a demo account belongs to (derived from public labels).
      OR: [{ hash: { in: DEMO_API_KEYS.map((key) => hashApiKey(key.plaintext)) } }, { org: { users: { some: { email: { in: demoEmails } } } } }],
    },
  });
  return { accounts: accounts.map((account) => account.email), apiKeys };
}

async function seedPlatformOnly(db: Db, log: (message: string) => void) {
  const open = await findOpenDemoAccess(db);
  if (open.accounts.length || open.apiKeys) {
    const shown = open.accounts.slice(0, 3).join(", ") + (open.accounts.length > 3 ? ", …" : "");
    throw new Error(
      [
        "BLOCKABLE_DEMO_WORLD=off, but this database holds the public demo world, whose passwords and API keys are published in the README:",
        `${open.accounts.length} demo account(s) can sign in${open.accounts.length ? ` (${shown})` : ""} and ${open.apiKeys} demo API key(s) work.`,
        "Start on an empty database (point DATABASE_URL at a new one), or unset BLOCKABLE_DEMO_WORLD to run the demo.",
      ].join("\n"),
    );
  }
  const platform = await ensurePlatformOrg(db);
  if (platform.created) {
    log("Demo world off (BLOCKABLE_DEMO_WORLD=off): created the platform organisation only — no demo accounts, keys or data.");
    log("The model catalogue is empty: an admin adds providers and models in /admin/providers and /admin/models.");
  }
}
