// Generates one Prisma client per provider. Prisma's CLI tries to download its native schema
// engine for `generate`; it is not needed for generation, so point it at a no-op executable.
// Everything it writes is the project's own: prisma/postgres/schema.prisma and the clients under
// lib/server/db/generated (gitignored). Nothing under node_modules is written or changed.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dummyEngine = join(tmpdir(), "blockable-no-schema-engine.sh");
writeFileSync(dummyEngine, "#!/bin/sh\nexit 0\n");
chmodSync(dummyEngine, 0o755);

execFileSync(process.execPath, [join(root, "scripts/db/derive-postgres-schema.mjs")], { stdio: "inherit" });
for (const schema of ["prisma/schema.prisma", "prisma/postgres/schema.prisma"]) {
  if (!existsSync(join(root, schema))) continue;
  execFileSync(process.execPath, [join(root, "node_modules/prisma/build/index.js"), "generate", "--schema", schema], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: dummyEngine, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
  });
}
