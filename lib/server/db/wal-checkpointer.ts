import "@/lib/server/server-only";
import { Worker } from "node:worker_threads";

/**
 * SQLite's automatic checkpoint runs inside whichever COMMIT crosses 1,000 WAL pages: it copies the
 * pages into the database file and fsyncs it, a few milliseconds during which the app's one
 * thread serves nobody (the routing API's p99). This worker thread checkpoints instead, on its
 * own connection to the same file: PASSIVE, so it never waits for or blocks a writer, and the app's
 * connection turns its automatic checkpoint off.
 */

export type CheckpointResult = { walFrames: number; checkpointedFrames: number; at: Date };
export type WalCheckpointer = { last: () => CheckpointResult | null; stop: () => Promise<void> };

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 250;

// CommonJS, evaluated in the worker: it must not depend on the bundler. better-sqlite3 resolves
// from the app's directory, where `npm install` put it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createRequire } = require("node:module");
const Database = createRequire(workerData.resolveFrom)("better-sqlite3");
const connection = new Database(workerData.file, { timeout: 5000 });
const checkpoint = () => {
  try {
    const [row] = connection.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ walFrames: row.log, checkpointedFrames: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  connection.close();
  parentPort.close();
});
`;

/** `onStopped` runs if the worker dies on its own: the app's connection must checkpoint again. */
export function startWalCheckpointer(file: string, options: { intervalMs?: number; resolveFrom?: string; onStopped?: () => void } = {}): WalCheckpointer {
  let isStopping = false;
  let last: CheckpointResult | null = null;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, intervalMs: options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS, resolveFrom: options.resolveFrom ?? `${process.cwd()}/package.json` },
  });
  worker.on("message", (message: { walFrames?: number; checkpointedFrames?: number; error?: string }) => {
    if (message.error) console.warn(`[sqlite] WAL checkpoint failed: ${message.error}`);
    else last = { walFrames: message.walFrames ?? 0, checkpointedFrames: message.checkpointedFrames ?? 0, at: new Date() };
  });
  worker.on("error", (error) => console.warn("[sqlite] the WAL checkpointer stopped:", error));
  worker.on("exit", () => {
    if (!isStopping) options.onStopped?.();
  });
  // A background helper: it never keeps the process alive on its own.
  worker.unref();
  return {
    last: () => last,
    stop: async () => {
      isStopping = true;
      worker.postMessage("stop");
      await new Promise<void>((resolve) => {
        const timeout = setTimeout(() => void worker.terminate().then(() => resolve()), 2_000);
        worker.once("exit", () => {
          clearTimeout(timeout);
          resolve();
        });
      });
    },
  };
}
