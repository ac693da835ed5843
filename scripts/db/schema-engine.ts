// Prisma's WebAssembly schema engine, driven through the driver adapters. Prisma's native engine
// cannot be downloaded on every machine, so migration SQL is generated and checked with this one.
// Development and test tooling only: the app applies migrations with lib/server/db/migrate.ts.
import { readFileSync, existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineModule from "@prisma/schema-engine-wasm/schema_engine_bg";
import { pgConfigFromUrl } from "../../lib/server/db/config";
import { migrationsDir } from "../../lib/server/db/migrate";
import { derivePostgresSchema } from "./derive-postgres-schema.mjs";

export type Provider = "sqlite" | "postgresql";
const root = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));

let wasmReady: Promise<void> | undefined;
function loadWasm() {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/\.js$/, ".wasm");
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { "./schema_engine_bg.js": engineModule as never });
    engineModule.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  })();
  return wasmReady;
}

export function schemaFor(provider: Provider): string {
  const source = readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");
  return provider === "sqlite" ? source : derivePostgresSchema(source);
}

/** `postgresUrl` is only used to connect to a server on which a shadow database is created and dropped. */
export async function openSchemaEngine(provider: Provider, postgresUrl?: string) {
  await loadWasm();
  const factory =
    provider === "sqlite"
      ? new PrismaBetterSqlite3({ url: ":memory:" })
      : new PrismaPg(pgConfigFromUrl(postgresUrl ?? "postgresql://postgres@127.0.0.1:5432/postgres"));
  const schema = schemaFor(provider);
  const scriptAware = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => readCharAsText(await factory.connect()),
    connectToShadowDb: async () =>
      sendScriptsAsScripts(provider === "sqlite" ? await factory.connectToShadowDb() : await connectPostgresShadow(postgresUrl)),
  };
  const engine = await engineModule.SchemaEngine.new({ datamodels: [["schema.prisma", schema]] }, () => {}, bindMigrationAwareSqlAdapterFactory(scriptAware as never));
  return { engine, schema };
}

// The adapter's own shadow database drops itself while its pool is still connected; this one
// closes the pool first. It always names its database explicitly, never the main one.
async function connectPostgresShadow(postgresUrl = "postgresql://postgres@127.0.0.1:5432/postgres") {
  const config = pgConfigFromUrl(postgresUrl);
  const shadowDatabase = `blockable_shadow_${randomUUID().replace(/-/g, "")}`;
  const admin = new pg.Client(config);
  await admin.connect();
  await admin.query(`CREATE DATABASE "${shadowDatabase}"`);
  await admin.end();
  lastShadowDatabase = shadowDatabase;
  const adapter = readCharAsText(await new PrismaPg({ ...config, database: shadowDatabase }).connect());
  const dispose = adapter.dispose.bind(adapter);
  return Object.assign(adapter, {
    dispose: async () => {
      await dispose();
      const cleaner = new pg.Client(config);
      await cleaner.connect();
      await cleaner.query(`DROP DATABASE IF EXISTS "${shadowDatabase}" WITH (FORCE)`);
      await cleaner.end();
    },
  });
}

/** Exposed so a test can prove the shadow database was never the main one. */
export let lastShadowDatabase: string | undefined;

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

// The engine reads pg_catalog columns of PostgreSQL's internal "char" type, which the pg adapter
// refuses to map; node-postgres already returns them as strings, so label them text.
function readCharAsText<T>(adapter: T): T {
  const io = adapter as unknown as { performIO?: (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }> };
  if (typeof io.performIO !== "function") return adapter;
  const performIO = io.performIO.bind(adapter);
  io.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  return adapter;
}

type ScriptCapableAdapter = {
  executeRaw(query: { sql: string; args: unknown[] }): Promise<number>;
  executeScript(script: string): Promise<void>;
};

// The engine replays migration files through executeRaw; better-sqlite3 refuses several statements
// in one prepared statement, so argument-less multi-statement SQL goes through executeScript.
function sendScriptsAsScripts<T extends ScriptCapableAdapter>(adapter: T): T {
  const executeRaw = adapter.executeRaw.bind(adapter);
  return new Proxy(adapter, {
    get(target, property, receiver) {
      if (property === "executeRaw") {
        return async (query: { sql: string; args: unknown[] }) => {
          const isScript = query.args.length === 0 && query.sql.split(";").filter((part) => part.trim()).length > 1;
          if (!isScript) return executeRaw(query);
          await target.executeScript(query.sql);
          return 0;
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const noFilters = { externalTables: [], externalEnums: [] };

export function migrationList(provider: Provider) {
  const baseDir = migrationsDir(provider, root);
  const names = existsSync(baseDir) ? readdirSync(baseDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: `provider = "${provider}"\n` },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: readFileSync(path.join(baseDir, name, "migration.sql"), "utf8") } },
    })),
  };
}

/** SQL that takes a database built from the committed migrations to the current schema ("" = in sync). */
export async function pendingSchemaChange(provider: Provider, postgresUrl?: string): Promise<string> {
  const { engine, schema } = await openSchemaEngine(provider, postgresUrl);
  try {
    const list = migrationList(provider);
    const from = list.migrationDirectories.length ? { tag: "migrations" as const, ...list } : { tag: "empty" as const };
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    } as never);
    const sql = (result.stdout ?? "").trim();
    return /^-- This is an empty migration\.?$/.test(sql) ? "" : sql;
  } finally {
    engine.free();
  }
}
