// `npm start`: creates the secrets file and the database on first run, migrates, seeds the demo
// world when the database is empty, builds when the sources changed since the last build, and
// serves on PORT (default 3000). `npm run dev` does the same with `next dev`.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureSecretsFile } from "../lib/server/config/secrets";
import { databaseUrlFromEnv } from "../lib/server/db/config";
import { migrateDatabase } from "../lib/server/db/migrate";
import { seedIfEmpty } from "./db/seed-if-empty";

const root = path.resolve(import.meta.dirname, "..");
const isDev = process.argv.includes("--dev");
const port = process.env.PORT ?? "3000";

function sourceFingerprint(): string {
  const hash = createHash("sha256");
  const visit = (entry: string) => {
    const full = path.join(root, entry);
    if (!existsSync(full)) return;
    const stat = statSync(full);
    if (stat.isDirectory()) {
      for (const child of readdirSync(full).sort()) if (child !== "generated" && child !== "node_modules") visit(path.join(entry, child));
    } else if (!/\.test\.tsx?$/.test(entry)) {
      hash.update(entry).update(readFileSync(full));
    }
  };
  for (const entry of ["app", "components", "lib", "pages", "public", "instrumentation.ts", "proxy.ts", "next.config.ts", "package.json", "package-lock.json", "postcss.config.mjs", "tsconfig.json", "prisma/schema.prisma"]) visit(entry);
  return hash.digest("hex");
}

function step(label: string) {
  console.log(`\u001b[36m▸\u001b[0m ${label}`);
}

async function main() {
  process.chdir(root);
  const secrets = ensureSecretsFile();
  const databaseUrl = databaseUrlFromEnv();
  step(`Database: ${databaseUrl.startsWith("file:") ? databaseUrl : databaseUrl.replace(/\/\/[^@]*@/, "//***@")}`);
  const migration = await migrateDatabase(databaseUrl, root);
  step(migration.applied.length ? `Applied migrations: ${migration.applied.join(", ")}` : "Schema is up to date");
  await seedIfEmpty(databaseUrl, (message) => step(message));

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? secrets.authSecret,
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? secrets.encryptionKey,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");

  if (!isDev) {
    const fingerprint = sourceFingerprint();
    const stampFile = path.join(root, ".next/blockable-source-fingerprint");
    const isBuilt = existsSync(path.join(root, ".next/BUILD_ID")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === fingerprint;
    if (isBuilt) {
      step("Build is current");
    } else {
      step("Building the app (first start or changed sources; about a minute)…");
      const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env });
      if (build.status !== 0) process.exit(build.status ?? 1);
      writeFileSync(stampFile, fingerprint);
    }
  }

  step(`Serving on http://localhost:${port}`);
  const server = spawn(process.execPath, [nextBin, isDev ? "dev" : "start", "-p", port, ...(process.env.HOSTNAME ? ["-H", process.env.HOSTNAME] : [])], { stdio: "inherit", env });
  const stop = (signal: NodeJS.Signals) => server.kill(signal);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
