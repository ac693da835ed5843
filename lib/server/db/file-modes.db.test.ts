// The files that hold the platform's secrets are the owner's alone (0600), whatever the process's
// umask: the SQLite database, its -wal and -shm, and the generated secrets file.
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSecretsFile } from "@/lib/server/config/secrets";
import { createDb } from "./client";
import { migrateDatabase } from "./migrate";

const root = path.resolve(import.meta.dirname, "../../..");
const modeOf = (file: string) => statSync(file).mode & 0o777;

let dir: string;
let previousUmask: number;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "blockable-modes-"));
  // The common default, under which SQLite alone would make the database world-readable (0644).
  previousUmask = process.umask(0o022);
});

afterAll(() => {
  process.umask(previousUmask);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === "win32")("file modes", () => {
  it("creates the database, its -wal and its -shm 0600", async () => {
    const file = path.join(dir, "data", "blockable.db");
    await migrateDatabase(`file:${file}`, root);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(path.dirname(file))).toBe(0o700);
    // The app's own connection: a write while it is open leaves the WAL and the shared-memory file in place.
    const { db } = createDb(`file:${file}`);
    try {
      await db.organization.create({ data: { name: "Blockable", slug: "blockable", kind: "PLATFORM" } });
      expect(modeOf(`${file}-wal`)).toBe(0o600);
      expect(modeOf(`${file}-shm`)).toBe(0o600);
    } finally {
      await db.$disconnect();
    }
  });

  it("tightens a database an older version left world-readable, on the next start's migration", async () => {
    const file = path.join(dir, "old.db");
    await migrateDatabase(`file:${file}`, root);
    chmodSync(file, 0o644);
    await migrateDatabase(`file:${file}`, root);
    expect(modeOf(file)).toBe(0o600);
  });

  it("creates the secrets file 0600 and tightens an existing readable one", () => {
    const previous = process.env.BLOCKABLE_SECRETS_FILE;
    try {
      const fresh = path.join(dir, "fresh", "secrets.json");
      process.env.BLOCKABLE_SECRETS_FILE = fresh;
      const secrets = ensureSecretsFile();
      expect(secrets.authSecret.length).toBeGreaterThan(30);
      expect(modeOf(fresh)).toBe(0o600);
      expect(modeOf(path.dirname(fresh))).toBe(0o700);

      const loose = path.join(dir, "loose-secrets.json");
      writeFileSync(loose, JSON.stringify({ authSecret: "a", encryptionKey: "b" }), { mode: 0o644 });
      process.env.BLOCKABLE_SECRETS_FILE = loose;
      expect(ensureSecretsFile()).toEqual({ authSecret: "a", encryptionKey: "b" });
      expect(modeOf(loose)).toBe(0o600);
    } finally {
      if (previous === undefined) delete process.env.BLOCKABLE_SECRETS_FILE;
      else process.env.BLOCKABLE_SECRETS_FILE = previous;
    }
  });
});
