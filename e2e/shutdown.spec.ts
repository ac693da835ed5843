import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createTestDatabase } from "../test/databases";
import { startFakeUpstream } from "../test/fake-upstream";
import { freePort } from "../test/free-port";
import { serveArgs } from "../scripts/serve-command";
import { createCatalog, createStartupWithKey } from "../test/routing-world";

// A deploy sends the built app SIGTERM while it is serving. A JSON reply is settled after it is
// sent; the server's SIGTERM handler closes it and calls process.exit, which used to cut
// off the settlements still running (one-off, PostgreSQL, 200 requests: 38 and 90 left unsettled).
// Every request that got an answer must be charged before the process ends.

// Playwright runs from the project root (where its config is); `__dirname` is not reliable here.
const root = process.cwd();
const REQUESTS = 200;

test("SIGTERM right after a burst of answered requests: every one is charged before the process exits (PostgreSQL)", async () => {
  test.setTimeout(180_000);
  const database = await createTestDatabase("postgresql");
  const { db, url: databaseUrl } = database;
  const dataDir = mkdtempSync(path.join(tmpdir(), "blockable-shutdown-"));
  const upstream = await startFakeUpstream();
  try {
    await createCatalog(db, [{ slug: "fake", kind: "openai_compatible", baseUrl: upstream.url, timeoutMs: 10_000 }], [{ slug: "shutdown-chat", routes: [{ provider: "fake", inputPrice: 150_000n, outputPrice: 600_000n }] }]);
    const { plaintext } = await createStartupWithKey(db, { creditsMicros: 1_000_000_000_000n });

    const port = await freePort();
    // The production server, as `npm start` runs it (scripts/serve.ts).
    const server = spawn(process.execPath, serveArgs(root), {
      cwd: root,
      // The burst is 200 requests at once: above the default per-organisation concurrency (64),
      // which this test is not about.
      env: { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1", DATABASE_URL: databaseUrl, BLOCKABLE_SECRETS_FILE: path.join(dataDir, "secrets.json"), BLOCKABLE_BACKGROUND_JOBS: "off", NODE_ENV: "production", BLOCKABLE_DEFAULT_ORG_CONCURRENCY: String(REQUESTS) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    const gateway = `http://127.0.0.1:${port}/api/v1`;
    const headers = { authorization: `Bearer ${plaintext}`, "content-type": "application/json" };
    await expect
      .poll(async () => (await fetch(`${gateway}/models`, { headers }).catch(() => null))?.status ?? 0, { timeout: 60_000, intervals: [200] })
      .toBe(200);

    const body = JSON.stringify({ model: "shutdown-chat", messages: [{ role: "user", content: "Charge me before you go." }], max_tokens: 16 });
    const statuses = await Promise.all(Array.from({ length: REQUESTS }, async () => (await fetch(`${gateway}/chat/completions`, { method: "POST", headers, body })).status));
    expect(statuses.filter((status) => status === 200)).toHaveLength(REQUESTS);
    server.kill("SIGTERM");
    expect(await exited, output).toBe(143);

    const holds = await db.hold.groupBy({ by: ["status"], _count: true });
    expect(holds.map((row) => ({ status: row.status, count: row._count }))).toEqual([{ status: "SETTLED", count: REQUESTS }]);
    expect(await db.usageEvent.count()).toBe(REQUESTS);
  } finally {
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  }
});
