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

describe("WAL restarts (SQLite)", () => {
  // A PASSIVE checkpoint copies frames but never rewinds the WAL itself: that happens only when a
  // writer finds every frame already copied, which steady traffic never allows (the bench's WAL grew
  // past 300 MB in a minute; how fast depends on the machine, so that is measured there, not here).
  // Here one large commit puts ~1,200 frames in the WAL and no writer runs while the worker looks:
  // what each mode does with a WAL over the threshold is then the same on any machine.
  const THRESHOLD_FRAMES = 400;

  async function oneLargeCommit(restartAfterFrames: number) {
    const dir = mkdtempSync(path.join(tmpdir(), "blockable-wal-"));
    const file = path.join(dir, "wal.db");
    const connection = new Database(file);
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
    connection.pragma("wal_autocheckpoint = 0");
    connection.exec(`CREATE TABLE "Row" ("id" INTEGER PRIMARY KEY, "payload" TEXT NOT NULL)`);
    const insert = connection.prepare(`INSERT INTO "Row" ("payload") VALUES (?)`);
    connection.transaction(() => {
      for (let i = 0; i < 3_000; i++) insert.run("x".repeat(1_500));
    })();
    const checkpointer = startWalCheckpointer(file, { intervalMs: 20, restartAfterFrames });
    const resultAfter = async (since: number) => {
      await expect.poll(() => (checkpointer.last()?.at.getTime() ?? 0) > since, { timeout: 10_000, interval: 10 }).toBe(true);
      return checkpointer.last()!;
    };
    try {
      const afterLargeCommit = await resultAfter(0);
      const restartsAfterLargeCommit = checkpointer.restarts();
      // One small commit, then what the worker sees next: a rewound WAL starts over at frame 1.
      insert.run("y");
      const afterSmallCommit = await resultAfter(Date.now());
      return { afterLargeCommit, restartsAfterLargeCommit, afterSmallCommit, rows: connection.prepare(`SELECT count(*) AS n FROM "Row"`).get() as { n: number } };
    } finally {
      await checkpointer.stop();
      connection.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test("once the WAL holds the threshold the worker rewinds it, and the next commit starts it over", async () => {
    const withRestart = await oneLargeCommit(THRESHOLD_FRAMES);
    expect(withRestart.afterLargeCommit.walFrames).toBeGreaterThan(THRESHOLD_FRAMES);
    expect(withRestart.afterLargeCommit.checkpointedFrames).toBe(withRestart.afterLargeCommit.walFrames);
    // Every pass over the threshold restarts, until a commit actually starts the WAL over.
    expect(withRestart.restartsAfterLargeCommit).toBeGreaterThanOrEqual(1);
    expect(withRestart.afterSmallCommit.walFrames).toBeLessThan(10);
    expect(withRestart.rows.n).toBe(3_001);
  });

  test("below the threshold (here: never) the worker only copies frames and does not rewind", async () => {
    const passiveOnly = await oneLargeCommit(Number.MAX_SAFE_INTEGER);
    expect(passiveOnly.afterLargeCommit.walFrames).toBeGreaterThan(THRESHOLD_FRAMES);
    expect(passiveOnly.afterLargeCommit.checkpointedFrames).toBe(passiveOnly.afterLargeCommit.walFrames);
    expect(passiveOnly.restartsAfterLargeCommit).toBe(0);
  });
});
