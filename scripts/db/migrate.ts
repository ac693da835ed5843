// `npm run db:migrate`: applies pending migrations to DATABASE_URL (default: the SQLite file).
import { databaseUrlFromEnv } from "../../lib/server/db/config";
import { migrateDatabase } from "../../lib/server/db/migrate";

migrateDatabase(databaseUrlFromEnv())
  .then((result) => {
    console.log(result.applied.length ? `Applied: ${result.applied.join(", ")}` : `Up to date (${result.alreadyApplied} migrations applied before).`);
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
