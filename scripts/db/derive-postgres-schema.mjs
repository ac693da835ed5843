// prisma/schema.prisma (SQLite) is the one source of truth. The PostgreSQL schema is derived from
// it because Prisma requires a literal provider and generates a provider-specific client.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";

const root = new URL("../..", import.meta.url).pathname;
const source = `${root}prisma/schema.prisma`;
const target = `${root}prisma/postgres/schema.prisma`;

export function derivePostgresSchema(sqliteSchema) {
  const header = "// GENERATED from prisma/schema.prisma by scripts/db/derive-postgres-schema.mjs. Do not edit.\n";
  return (
    header +
    sqliteSchema
      .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
      .replace(/output\s*=\s*"\.\.\/lib\/server\/db\/generated\/sqlite"/, 'output   = "../../lib/server/db/generated/postgres"')
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  if (existsSync(source)) {
    mkdirSync(`${root}prisma/postgres`, { recursive: true });
    writeFileSync(target, derivePostgresSchema(readFileSync(source, "utf8")));
  }
}
