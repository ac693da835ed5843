// `npm start`: creates the secrets file and the database on first run, migrates, seeds an empty
// database (the public demo world; with BLOCKABLE_DEMO_WORLD=off only the platform organisation),
// creates the first admin from BLOCKABLE_ADMIN_EMAIL / BLOCKABLE_ADMIN_PASSWORD when there is none,
// builds when the sources changed since the last build, and serves on PORT (default 3000).
// `npm run dev` does the same with `next dev`; `--no-build` serves the existing build as it is
// (refusing to start without one), for a second instance beside a running one.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { assertDeploymentSwitches } from "../lib/server/config/demo-world";
import { ensureSecretsFile } from "../lib/server/config/secrets";
import { databaseUrlFromEnv } from "../lib/server/db/config";
import { prepareDatabase } from "./db/prepare";
import { serveArgs } from "./serve-command";

const root = path.resolve(import.meta.dirname, "..");
const isDev = process.argv.includes("--dev");
const isBuildAllowed = !process.argv.includes("--no-build");
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
  // Everything this process and the server it starts create — the secrets file, the SQLite
  // database, its -wal and -shm, caches — is the owner's alone. (The database and the secrets
  // file are also made 0600 explicitly, whatever the umask.)
  process.umask(0o077);
  assertDeploymentSwitches();
  const secrets = ensureSecretsFile();
  const databaseUrl = databaseUrlFromEnv();
  step(`Database: ${databaseUrl.startsWith("file:") ? databaseUrl : databaseUrl.replace(/\/\/[^@]*@/, "//***@")}`);
  await prepareDatabase({ databaseUrl, root, log: step });

  // The first admin's password was for the step above only: the server never sees it.
  const { BLOCKABLE_ADMIN_PASSWORD: _adminPassword, ...inherited } = process.env;
  const env = {
    ...inherited,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? secrets.authSecret,
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? secrets.encryptionKey,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");

  if (!isDev && !isBuildAllowed) {
    if (!existsSync(path.join(root, ".next/BUILD_ID"))) throw new Error("--no-build: there is no build to serve; run `npm run build`, or start without --no-build.");
    step("Serving the existing build (--no-build)");
  } else if (!isDev) {
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
  // Production: Next.js behind our own node:http server (scripts/serve.ts), which serves the
  // routing API's metered endpoints ahead of Next's request pipeline. Development: `next dev`,
  // where the Pages API routes of the same paths serve them.
  const command = isDev
    ? [nextBin, "dev", "-p", port, ...(process.env.HOSTNAME ? ["-H", process.env.HOSTNAME] : [])]
    : serveArgs(root);
  const server = spawn(process.execPath, command, { stdio: "inherit", env: isDev ? env : { ...env, NODE_ENV: "production", PORT: port } });
  const stop = (signal: NodeJS.Signals) => server.kill(signal);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
