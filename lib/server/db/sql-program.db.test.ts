import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { all, big, date, get, run, runProgram, runReadProgram, type SqlProgram } from "./sql-program";

// SQL programs are the routing API's hot path. What callers rely on: a program's writes land
// all together or not at all, even when (on SQLite) several programs share one commit, and a
// program never runs inside somebody else's open Prisma transaction on the shared connection.

function* createOrg(id: string, failAfterWrite: boolean): SqlProgram<string> {
  yield* run(`INSERT INTO "Organization" ("id", "name", "slug", "kind", "createdAt") VALUES (?, ?, ?, 'STARTUP', ?)`, [id, `Org ${id}`, id, new Date("2026-11-25T10:00:00.123Z")]);
  if (failAfterWrite) throw new Error(`refused ${id}`);
  return id;
}

await describeEachProvider("SQL programs", (provider) => {
  let test_: TestDatabase;
  beforeAll(async () => {
    test_ = await createTestDatabase(provider);
  });
  afterAll(() => test_.drop());

  test("programs submitted together: each one that throws leaves nothing, the others all stand", async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `batch-${provider}-${i}`);
    const outcomes = await Promise.allSettled(ids.map((id, i) => runProgram(test_.db, createOrg(id, i % 2 === 1))));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(10);
    expect(outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason.message)).toEqual(ids.filter((_, i) => i % 2 === 1).map((id) => `refused ${id}`));
    const stored = await test_.db.organization.findMany({ where: { slug: { startsWith: `batch-${provider}-` } }, orderBy: { slug: "asc" } });
    expect(stored.map((org) => org.id).sort()).toEqual(ids.filter((_, i) => i % 2 === 0).sort());
  });

  test("a program never joins a Prisma transaction that is open at the time, and that transaction's rollback leaves the program's write", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const prismaTx = test_.db
      .$transaction(async (tx) => {
        await tx.organization.create({ data: { id: `tx-${provider}`, name: "inside", slug: `tx-${provider}`, kind: "STARTUP" } });
        await gate;
        throw new Error("roll back");
      })
      .catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const programDone = runProgram(test_.db, createOrg(`outside-${provider}`, false));
    release();
    expect(await prismaTx).toBe("roll back");
    expect(await programDone).toBe(`outside-${provider}`);
    expect(await test_.db.organization.findUnique({ where: { id: `tx-${provider}` } })).toBeNull();
    expect(await test_.db.organization.findUnique({ where: { id: `outside-${provider}` } })).not.toBeNull();
  });

  test("dates written by a program read back through Prisma as the same instant, and integers as bigint", async () => {
    await runProgram(test_.db, createOrg(`dates-${provider}`, false));
    const viaPrisma = await test_.db.organization.findUniqueOrThrow({ where: { id: `dates-${provider}` } });
    expect(viaPrisma.createdAt.toISOString()).toBe("2026-11-25T10:00:00.123Z");
    const viaProgram = await runReadProgram(
      test_.db,
      (function* () {
        const row = yield* get(`SELECT "createdAt" FROM "Organization" WHERE "id" = ?`, [`dates-${provider}`]);
        const rows = yield* all(`SELECT COUNT(*) AS "count" FROM "Organization" WHERE "createdAt" < ?`, [new Date("2026-11-25T10:00:00.124Z")]);
        return { createdAt: date(row!.createdAt), count: big(rows[0].count) };
      })(),
    );
    expect(viaProgram.createdAt.toISOString()).toBe("2026-11-25T10:00:00.123Z");
    expect(viaProgram.count).toBeGreaterThanOrEqual(1n);
  });

  // SQLite's statement journals otherwise go to temporary files, opened and deleted per statement:
  // a fifth of a routed request's database work (docs/benchmarks.md).
  test.runIf(provider === "sqlite")("SQLite keeps statement journals in memory on the connection programs share with Prisma", async () => {
    const rows = await runReadProgram(test_.db, all(`PRAGMA temp_store`));
    expect(rows.map((row) => Number(row.temp_store))).toEqual([2]); // 2 = MEMORY
  });
});
