import { mkdtempSync, rmSync, writeFileSync, mkdirSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { createTestDatabase, describeEachProvider } from "@/test/databases";
import { migrateDatabase } from "./migrate";

const root = path.resolve(import.meta.dirname, "../../..");
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

await describeEachProvider("migrations", (provider) => {
  it("apply once; a second run applies nothing", async () => {
    const test = await createTestDatabase(provider);
    cleanups.push(test.drop);
    const again = await migrateDatabase(test.url, root);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThan(0);
    expect(await test.db.organization.count()).toBe(0);
  });

  it("refuse to run when an applied migration was edited", async () => {
    const test = await createTestDatabase(provider);
    cleanups.push(test.drop);
    const fakeRoot = mkdtempSync(path.join(tmpdir(), "blockable-migrations-"));
    cleanups.push(() => rmSync(fakeRoot, { recursive: true, force: true }));
    cpSync(path.join(root, "prisma/migrations"), path.join(fakeRoot, "prisma/migrations"), { recursive: true });
    const dir = path.join(fakeRoot, "prisma/migrations", provider === "sqlite" ? "sqlite" : "postgresql", "0001_init");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), "-- edited\n");
    await expect(migrateDatabase(test.url, fakeRoot)).rejects.toThrow(/0001_init was edited after it was applied/);
  });
});
