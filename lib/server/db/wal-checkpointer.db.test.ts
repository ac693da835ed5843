import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/databases";
import { createDb, type Db } from "./client";
import { run, runProgram, walCheckpointerOf } from "./sql-program";
import { startWalCheckpointer } from "./wal-checkpointer";

// The app's server checkpoints SQLite's WAL on a worker thread, not inside its own commits. What it
// relies on: the app's connection no longer checkpoints, the worker does (every frame the app
// wrote reaches the database file), and the WAL does not grow without bound under writes.

function* insertOrgs(prefix: string, count: number, nameBytes = 400) {
  for (let i = 0; i < count; i++) {
    yield* run(`INSERT INTO "Organization" ("id", "name", "slug", "kind", "createdAt") VALUES (?, ?, ?, 'STARTUP', ?)`, [`${prefix}-${i}`, `${"x".repeat(nameBytes)} ${i}`, `${prefix}-${i}`, new Date()]);
  }
  return count;
}

describe("WAL checkpoints on a worker thread (SQLite)", () => {
  let test_: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    test_ = await createTestDatabase("sqlite");
    db = createDb(test_.url, { checkpointInWorker: true }).db;
    await db.$connect();
  });
  afterAll(async () => {
    await walCheckpointerOf(db)?.stop();
    await db.$disconnect();
    await test_.drop();
  });

  test("the app's connection stops checkpointing; the worker checkpoints every frame it wrote", async () => {
    expect(await db.$queryRawUnsafe(`PRAGMA wal_autocheckpoint`)).toEqual([{ wal_autocheckpoint: 0n }]);
    expect(walCheckpointerOf(test_.db)).toBeNull(); // clients created without it keep SQLite's default
    // ~40 transactions of 100 rows of ~0.5 KB: well past the 1,000 pages SQLite would checkpoint at.
    for (let batch = 0; batch < 40; batch++) await runProgram(db, insertOrgs(`wal-${batch}`, 100));
    await expect
      .poll(() => walCheckpointerOf(db)?.last(), { timeout: 10_000, interval: 50 })
      .toEqual(expect.objectContaining({ walFrames: expect.any(Number), checkpointedFrames: expect.any(Number) }));
    await expect.poll(() => {
      const last = walCheckpointerOf(db)!.last()!;
      return last.walFrames > 0 && last.checkpointedFrames === last.walFrames;
    }, { timeout: 10_000, interval: 50 }).toBe(true);
    expect(await db.organization.count({ where: { slug: { startsWith: "wal-" } } })).toBe(4_000);
  });

  test("under steady writes the WAL restarts after each checkpoint instead of growing", async () => {
    // 200 commits of 20 rows of ~1 KB: about 3,300 WAL frames in all (≈ 330 between pauses).
    let largestWalFrames = 0;
    for (let batch = 0; batch < 200; batch++) {
      await runProgram(db, insertOrgs(`steady-${batch}`, 20, 1_000));
      // Pausing now and then gives the worker's 250 ms timer its turn, as idle moments do in the app.
      if (batch % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 300));
      largestWalFrames = Math.max(largestWalFrames, walCheckpointerOf(db)!.last()?.walFrames ?? 0);
    }
    expect(largestWalFrames).toBeGreaterThan(0);
    // Never reset, the WAL would hold every frame written (≈ 3,300); reset after each checkpoint,
    // it holds what was written since the last one or two (a write racing a checkpoint can delay
    // a reset by one round, and the first round starts from the previous test's WAL).
    expect(largestWalFrames).toBeLessThan(1_600);
  });
});

describe("WAL restarts under steady writes (SQLite)", () => {
  // A PASSIVE checkpoint alone cannot rewind the WAL while commits keep arriving: the file grows for
  // as long as the traffic lasts. Here 1,000 small commits land a millisecond or so apart (the app
  // under load commits about as often; ~3,000 WAL frames in all), and the worker checkpoints every
  // 20 ms. A count, not a duration: a busy machine writes less in a given time, not less in all.
  const THRESHOLD_FRAMES = 400;

  async function steadyWrites(restartAfterFrames: number) {
    const dir = mkdtempSync(path.join(tmpdir(), "blockable-wal-"));
    const file = path.join(dir, "wal.db");
    const connection = new Database(file);
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
    connection.pragma("wal_autocheckpoint = 0");
    connection.exec(`CREATE TABLE "Row" ("id" INTEGER PRIMARY KEY, "payload" TEXT NOT NULL)`);
    const checkpointer = startWalCheckpointer(file, { intervalMs: 20, restartAfterFrames });
    const insert = connection.prepare(`INSERT INTO "Row" ("payload") VALUES (?)`);
    const writeBatch = connection.transaction(() => {
      for (let i = 0; i < 4; i++) insert.run("x".repeat(1_500));
    });
    let largestWalFrames = 0;
    try {
      for (let commit = 0; commit < 1_000; commit++) {
        writeBatch();
        largestWalFrames = Math.max(largestWalFrames, checkpointer.last()?.walFrames ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return { largestWalFrames, restarts: checkpointer.restarts() };
    } finally {
      await checkpointer.stop();
      connection.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test("once the WAL holds the threshold the worker rewinds it; passive checkpoints alone let it grow with the traffic", async () => {
    const withRestart = await steadyWrites(THRESHOLD_FRAMES);
    const passiveOnly = await steadyWrites(Number.MAX_SAFE_INTEGER);
    expect(withRestart.restarts).toBeGreaterThan(0);
    // Near the threshold: at most what arrives during a worker interval or two beyond it.
    expect(withRestart.largestWalFrames).toBeLessThan(4 * THRESHOLD_FRAMES);
    expect(passiveOnly.restarts).toBe(0);
    expect(passiveOnly.largestWalFrames).toBeGreaterThan(4 * THRESHOLD_FRAMES);
  });
});
