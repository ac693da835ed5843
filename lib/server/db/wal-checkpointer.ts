import "@/lib/server/server-only";
import { Worker } from "node:worker_threads";

/**
 * SQLite's automatic checkpoint runs inside whichever COMMIT crosses 1,000 WAL pages: it copies the
 * pages into the database file and fsyncs it, a few milliseconds during which the app's one
 * thread serves nobody (the routing API's p99). This worker thread checkpoints instead, on its
 * own connection to the same file: PASSIVE, so it never waits for or blocks a writer, and the app's
 * connection turns its automatic checkpoint off.
 *
 * A PASSIVE checkpoint copies frames but cannot rewind the WAL: that happens only when a writer
 * finds every frame already copied, and under steady traffic new frames always arrive before the
 * next pass catches up — the WAL grew past 300 MB in a one-minute benchmark while the database
 * was 35 MB (and every read searches the WAL's index first). So once the WAL holds
 * `restartAfterFrames`, the worker runs a RESTART checkpoint: it takes the write lock for the few
 * frames left to copy and the database file's fsync, and the next commit starts the WAL over.
 * The app's writers wait for it (a few ms, once per that many frames).
 */

export type CheckpointResult = { walFrames: number; checkpointedFrames: number; at: Date };
/** `restarts`: RESTART checkpoints that rewound the WAL since the worker started. */
export type WalCheckpointer = { last: () => CheckpointResult | null; restarts: () => number; stop: () => Promise<void> };

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 250;
/** 16 MiB of 4 KiB pages: the WAL is rewound about this often under steady writes. */
export const DEFAULT_RESTART_AFTER_FRAMES = 4_096;

// CommonJS, evaluated in the worker: it must not depend on the bundler. better-sqlite3 resolves
// from the app's directory, where `npm install` put it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createRequire } = require("node:module");
const Database = createRequire(workerData.resolveFrom)("better-sqlite3");
const connection = new Database(workerData.file, { timeout: 5000 });
// RESTART needs the write lock between two of the app's commits. SQLite's busy handler sleeps 1, 2,
// 5, 10… ms between tries and can miss every gap of a busy writer; polling every 0.25 ms finds one.
const pause = new Int32Array(new SharedArrayBuffer(4));
const restart = () => {
  connection.pragma("busy_timeout = 0");
  try {
    for (const until = Date.now() + 500; Date.now() < until; ) {
      const [row] = connection.pragma("wal_checkpoint(RESTART)");
      if (row.busy === 0) return true;
      Atomics.wait(pause, 0, 0, 0.25);
    }
    return false;
  } finally {
    connection.pragma("busy_timeout = 5000");
  }
};
const checkpoint = () => {
  try {
    const [row] = connection.pragma("wal_checkpoint(PASSIVE)");
    let restarts = 0;
    if (row.log >= workerData.restartAfterFrames) restarts = restart() ? 1 : 0;
    parentPort.postMessage({ walFrames: row.log, checkpointedFrames: row.checkpointed, restarts });
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
export function startWalCheckpointer(file: string, options: { intervalMs?: number; restartAfterFrames?: number; resolveFrom?: string; onStopped?: () => void } = {}): WalCheckpointer {
  let isStopping = false;
  let last: CheckpointResult | null = null;
  let restarts = 0;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      intervalMs: options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
      restartAfterFrames: options.restartAfterFrames ?? DEFAULT_RESTART_AFTER_FRAMES,
      resolveFrom: options.resolveFrom ?? `${process.cwd()}/package.json`,
    },
  });
  worker.on("message", (message: { walFrames?: number; checkpointedFrames?: number; restarts?: number; error?: string }) => {
    if (message.error) return console.warn(`[sqlite] WAL checkpoint failed: ${message.error}`);
    last = { walFrames: message.walFrames ?? 0, checkpointedFrames: message.checkpointedFrames ?? 0, at: new Date() };
    restarts += message.restarts ?? 0;
  });
  worker.on("error", (error) => console.warn("[sqlite] the WAL checkpointer stopped:", error));
  worker.on("exit", () => {
    if (!isStopping) options.onStopped?.();
  });
  // A background helper: it never keeps the process alive on its own.
  worker.unref();
  return {
    last: () => last,
    restarts: () => restarts,
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
