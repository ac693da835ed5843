// Usage: npm run db:make-migration -- <name>
// Writes the SQL that takes the committed migrations to prisma/schema.prisma, for SQLite and for
// PostgreSQL, as one new migration folder per provider with the same name.
import { mkdirSync, readdirSync, existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { migrationsDir } from "../../lib/server/db/migrate";
import { pendingSchemaChange, type Provider } from "./schema-engine";

async function main() {
  const name = (process.argv[2] ?? "").trim().toLowerCase().replace(/[^a-z0-9]+/g, "_");
  if (!name) throw new Error("Give the migration a name: npm run db:make-migration -- add_widgets");
  const postgresUrl = process.env.POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  for (const provider of ["sqlite", "postgresql"] as Provider[]) {
    const sql = await pendingSchemaChange(provider, postgresUrl);
    if (!sql) {
      console.log(`${provider}: already in sync, nothing written`);
      continue;
    }
    const dir = migrationsDir(provider);
    const count = existsSync(dir) ? readdirSync(dir).length : 0;
    const folder = path.join(dir, `${String(count + 1).padStart(4, "0")}_${name}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "migration.sql"), sql + "\n");
    console.log(`${provider}: wrote ${path.relative(process.cwd(), folder)}/migration.sql`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
