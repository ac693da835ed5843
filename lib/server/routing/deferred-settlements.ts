import "@/lib/server/server-only";
import { processWide } from "@/lib/server/process-wide";

/**
 * A JSON reply's settlement runs after the response is sent (gateway.ts). On SIGTERM, Next.js
 * closes its server and then calls `process.exit`, which would cut off settlements still running:
 * the customer has the answer, the sweeper later voids the hold, and the request is never charged.
 * The metered routes register their deferred settlements here, and exit waits for them (bounded).
 */
const running = processWide("deferredSettlements", () => new Set<Promise<unknown>>());

const EXIT_WAIT_FOR_SETTLEMENTS_MS = 10_000;

export function trackDeferredSettlement(settlement: Promise<unknown>): void {
  running.add(settlement);
  const forget = () => void running.delete(settlement);
  settlement.then(forget, forget);
}

export function runningDeferredSettlements(): number {
  return running.size;
}

/**
 * Resolves once no deferred settlement is running, those started meanwhile included, or at the
 * deadline. Returns how many were still running.
 */
export async function waitForDeferredSettlements(timeoutMs: number): Promise<number> {
  const deadlineMs = Date.now() + timeoutMs;
  while (running.size > 0) {
    const leftMs = deadlineMs - Date.now();
    if (leftMs <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...running]), new Promise((resolve) => (timer = setTimeout(resolve, leftMs)))]);
    clearTimeout(timer);
  }
  return running.size;
}

/**
 * Before a shutdown exits: waits for the running deferred settlements, at most `timeoutMs`, and
 * says how many it gave up on (their holds are voided by the sweeper, uncharged).
 */
export async function finishDeferredSettlements(timeoutMs = EXIT_WAIT_FOR_SETTLEMENTS_MS): Promise<void> {
  const left = await waitForDeferredSettlements(timeoutMs);
  if (left > 0) console.error(`[shutdown] ${left} deferred settlement(s) still running after ${timeoutMs} ms; the hold sweeper will void their holds`);
}

type ExitingProcess = Pick<NodeJS.Process, "on" | "exit">;

/**
 * Once SIGTERM or SIGINT has arrived, `process.exit` (which Next's signal handler calls after its
 * server has closed) waits for the running deferred settlements, at most `timeoutMs`, then exits
 * with the code it was given. Any other exit, or one with nothing running, is immediate.
 */
export function holdExitForDeferredSettlements(options: { timeoutMs?: number; target?: ExitingProcess } = {}): void {
  const target = options.target ?? process;
  const timeoutMs = options.timeoutMs ?? EXIT_WAIT_FOR_SETTLEMENTS_MS;
  let isTerminating = false;
  let isExiting = false;
  const onTermination = () => {
    isTerminating = true;
  };
  target.on("SIGTERM", onTermination);
  target.on("SIGINT", onTermination);
  const exit = target.exit.bind(target);
  const exitAfterSettlements = (code?: number | string | null) => {
    if (!isTerminating || isExiting || running.size === 0) return exit(code);
    isExiting = true;
    void finishDeferredSettlements(timeoutMs).then(() => exit(code));
  };
  target.exit = exitAfterSettlements as ExitingProcess["exit"];
}
