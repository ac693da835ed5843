// `npm run db:seed [-- --reset]`: migrates DATABASE_URL (default: the SQLite file) and seeds the demo
// world. --reset first deletes the SQLite file (and its -wal/-shm) or recreates PostgreSQL's public schema.
// Refused with BLOCKABLE_DEMO_WORLD=off: that deployment must not hold the public demo accounts.
import { rmSync } from "node:fs";
import pg from "pg";
import { demoWorldEnabled } from "../../lib/server/config/demo-world";
import { databaseProviderOf, databaseUrlFromEnv, pgConfigFromUrl, sqliteFilePath } from "../../lib/server/db/config";
import { createDb } from "../../lib/server/db/client";
import { migrateDatabase } from "../../lib/server/db/migrate";
import { seedDemoWorld, seedScaleFromEnv } from "../../lib/server/seed/demo-world";

async function main() {
  if (!demoWorldEnabled()) {
    console.error("BLOCKABLE_DEMO_WORLD=off: this deployment must not hold the demo world, whose passwords are published in the README. Unset it to seed the demo.");
    process.exitCode = 1;
    return;
  }
  const url = databaseUrlFromEnv();
  const provider = databaseProviderOf(url);
  const isReset = process.argv.includes("--reset");
  if (isReset && provider === "sqlite") {
    const file = sqliteFilePath(url);
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
    console.log(`Deleted ${file}`);
  } else if (isReset) {
    const client = new pg.Client(pgConfigFromUrl(url));
    await client.connect();
    try {
      await client.query("DROP SCHEMA IF EXISTS public CASCADE");
      await client.query("CREATE SCHEMA public");
    } finally {
      await client.end();
    }
    console.log("Recreated the public schema");
  }
  const migration = await migrateDatabase(url);
  if (migration.applied.length) console.log(`Applied migrations: ${migration.applied.join(", ")}`);
  const { db } = createDb(url);
  try {
    if ((await db.organization.count()) > 0) {
      console.error("The database already has organisations; run `npm run db:seed -- --reset` to start over.");
      process.exitCode = 1;
      return;
    }
    const summary = await seedDemoWorld(db, { now: new Date(), provider, scale: seedScaleFromEnv(), onProgress: (message) => console.log(message) });
    console.log(`Seeded in ${summary.seconds}s`);
    for (const [table, count] of Object.entries(summary.counts)) console.log(`  ${table.padEnd(18)} ${count.toLocaleString("en-US")}`);
    for (const loan of summary.loans) console.log(`  ${loan.reference} ${loan.startup.padEnd(16)} ${loan.state.padEnd(12)} coverage ${loan.coverageBps === null ? "∞" : `${(loan.coverageBps / 100).toFixed(1)}%`}`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
