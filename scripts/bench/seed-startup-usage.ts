// One startup with 1,000,000 usage events (issue 16, "Tests and figures"): the lender desk's
// bench world (desk-world.ts) seeded with a single loan, so its one borrower carries every event —
// months of requests across the catalogue's models, both simulator providers, ok / error / aborted,
// with the UsageDaily rollups and the credit ledger those events imply — plus the startup's CTO,
// who can sign in to /startup and /startup/usage.
//
//   npx tsx --conditions=react-server scripts/bench/seed-startup-usage.ts
//
// Sizes: BENCH_STARTUP_EVENTS (1000000); BENCH_DESK_PROVIDERS=sqlite,postgresql picks the databases;
// BENCH_STARTUP_KEEP=1 keeps them and prints how to open them (else they are dropped). The
// benchmark itself (overview ≤ 300 ms, usage first page ≤ 150 ms p95, the CSV export's peak
// memory) calls seedStartupUsageDatabase() below.
import { createDb } from "../../lib/server/db/client";
import { hashPassword } from "../../lib/server/auth/passwords";
import { DEMO_PASSWORD } from "../../lib/server/seed/demo-accounts";
import { runIfScript } from "./run-script";
import { describeSeed, seedDeskDatabase, seedEachDatabase, type SeedReport } from "./seed-desk";

export const STARTUP_CTO = { email: "cto@startup-bench.example", password: DEMO_PASSWORD, name: "Casey Byte" };

export function startupEventsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BENCH_STARTUP_EVENTS;
  const value = raw === undefined || raw === "" ? 1_000_000 : Number(raw);
  if (!Number.isSafeInteger(value) || value < 1_000 || value > 20_000_000) throw new Error(`BENCH_STARTUP_EVENTS must be a whole number from 1000 to 20000000, got "${raw}"`);
  return value;
}

export type StartupUsageSeed = { report: SeedReport; startup: { orgId: string; name: string; events: number }; cto: typeof STARTUP_CTO };

/** Migrates an empty database, loads a one-loan desk world (every event its borrower's) and adds the borrower's CTO. */
export async function seedStartupUsageDatabase(url: string, events: number, options: { now?: Date; log?: (message: string) => void } = {}): Promise<StartupUsageSeed> {
  const report = await seedDeskDatabase(url, { loans: 1, events, snapshotsPerDay: 24, freezeTargets: 1 }, options);
  const { db } = createDb(url);
  try {
    const startups = await db.organization.findMany({ where: { kind: "STARTUP" }, select: { id: true, name: true } });
    if (startups.length !== 1) throw new Error(`expected one startup in a one-loan desk world, found ${startups.length}`);
    const [startup] = startups;
    await db.user.create({ data: { orgId: startup.id, email: STARTUP_CTO.email, name: STARTUP_CTO.name, passwordHash: await hashPassword(STARTUP_CTO.password), role: "startup" } });
    const count = await db.usageEvent.count({ where: { orgId: startup.id } });
    return { report, startup: { orgId: startup.id, name: startup.name, events: count }, cto: STARTUP_CTO };
  } finally {
    await db.$disconnect();
  }
}

runIfScript(import.meta.filename, async () => {
  const events = startupEventsFromEnv();
  await seedEachDatabase(process.env.BENCH_STARTUP_KEEP === "1", async (provider, url) => {
    console.log(`Seeding ${provider}: one startup, ${events.toLocaleString("en-US")} usage events…`);
    const seed = await seedStartupUsageDatabase(url, events);
    console.log(describeSeed(provider, seed.report));
    console.log(`  startup ${seed.startup.name}: ${seed.startup.events.toLocaleString("en-US")} usage events`);
    return { ok: seed.report.ledger.violations.length === 0 && seed.startup.events === events, signIn: seed.cto };
  });
});
