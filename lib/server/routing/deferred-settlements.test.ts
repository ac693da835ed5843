import { spawnSync } from "node:child_process";
import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { holdExitForDeferredSettlements, runningDeferredSettlements, trackDeferredSettlement, waitForDeferredSettlements } from "./deferred-settlements";

const root = path.resolve(__dirname, "../../..");

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A stand-in for `process`: signals are emitted by hand and `exit` is recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: (number | string | null | undefined)[] = [];
  const target = Object.assign(emitter, { exit: ((code?: number | string | null) => void exits.push(code)) as NodeJS.Process["exit"] });
  return { target: target as unknown as Pick<NodeJS.Process, "on" | "exit">, emitter, exits };
}

afterEach(async () => {
  // Nothing tracked may leak into the next test (the registry is process-wide).
  expect(await waitForDeferredSettlements(1_000)).toBe(0);
});

describe("deferred settlements", () => {
  it("are counted while they run, failed ones included, and forgotten once settled", async () => {
    const ok = deferred();
    const failing = deferred();
    trackDeferredSettlement(ok.promise);
    trackDeferredSettlement(failing.promise.catch(() => undefined));
    expect(runningDeferredSettlements()).toBe(2);
    ok.resolve();
    failing.reject(new Error("database gone"));
    expect(await waitForDeferredSettlements(1_000)).toBe(0);
    expect(runningDeferredSettlements()).toBe(0);
  });

  it("a wait covers settlements that start while it waits, and gives up at its deadline", async () => {
    const first = deferred();
    const second = deferred();
    trackDeferredSettlement(first.promise);
    const waiting = waitForDeferredSettlements(5_000);
    trackDeferredSettlement(second.promise);
    first.resolve();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runningDeferredSettlements()).toBe(1);
    second.resolve();
    expect(await waiting).toBe(0);

    const stuck = deferred();
    trackDeferredSettlement(stuck.promise);
    expect(await waitForDeferredSettlements(30)).toBe(1);
    stuck.resolve();
  });
});

describe("exit after a termination signal", () => {
  it("waits for the running settlements, then exits with the code it was given", async () => {
    const { target, emitter, exits } = fakeProcess();
    holdExitForDeferredSettlements({ target, timeoutMs: 5_000 });
    const settlement = deferred();
    trackDeferredSettlement(settlement.promise);
    emitter.emit("SIGTERM");
    target.exit(143);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exits).toEqual([]);
    settlement.resolve();
    await vi.waitFor(() => expect(exits).toEqual([143]));
  });

  it("exits at once without a signal, with nothing running, or on a second call", async () => {
    const withoutSignal = fakeProcess();
    holdExitForDeferredSettlements({ target: withoutSignal.target });
    const settlement = deferred();
    trackDeferredSettlement(settlement.promise);
    withoutSignal.target.exit(1); // a crash: nothing to wait for
    expect(withoutSignal.exits).toEqual([1]);

    const secondCall = fakeProcess();
    holdExitForDeferredSettlements({ target: secondCall.target });
    secondCall.emitter.emit("SIGINT");
    secondCall.target.exit(130);
    secondCall.target.exit(130); // a second Ctrl-C
    expect(secondCall.exits).toEqual([130]);
    settlement.resolve();
    await vi.waitFor(() => expect(secondCall.exits).toEqual([130, 130]));

    const idle = fakeProcess();
    holdExitForDeferredSettlements({ target: idle.target });
    idle.emitter.emit("SIGTERM");
    idle.target.exit(143);
    expect(idle.exits).toEqual([143]);
  });

  it("exits at its deadline when a settlement hangs", async () => {
    const { target, emitter, exits } = fakeProcess();
    holdExitForDeferredSettlements({ target, timeoutMs: 50 });
    const hanging = deferred();
    trackDeferredSettlement(hanging.promise);
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    emitter.emit("SIGTERM");
    target.exit(143);
    await vi.waitFor(() => expect(exits).toEqual([143]));
    expect(consoleError).toHaveBeenCalledWith(expect.stringContaining("1 deferred settlement(s) still running after 50 ms"));
    consoleError.mockRestore();
    hanging.resolve();
  });

  it("in a real process shut down as `next start` does, the settlement finishes before the exit", () => {
    const run = (env: Record<string, string>) => {
      const child = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["test/fixtures/exit-after-settlements.ts"], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8", timeout: 30_000 });
      return { lines: child.stdout.trim().split("\n"), status: child.status };
    };
    expect(run({ SETTLE_MS: "300" })).toEqual({ lines: ["serving", "exit called", "settled", "exited 143"], status: 143 });
    // Without the hold, the same shutdown drops the settlement: what the hold is for.
    expect(run({ SETTLE_MS: "300", HOLD_EXIT: "0" })).toEqual({ lines: ["serving", "exit called", "exited 143"], status: 143 });
  });

  it("Next.js still ends `next start` on SIGTERM by closing its server and calling process.exit", () => {
    // The hold relies on that shape of Next's start-server; an upgrade that changes it fails here.
    const startServer = readFileSync(path.join(root, "node_modules/next/dist/server/lib/start-server.js"), "utf8");
    expect(startServer).toContain("process.on('SIGTERM', cleanup)");
    expect(startServer).toMatch(/server\.close\([\s\S]*nextServer\.close\(\)[\s\S]*case 'SIGTERM':\s*process\.exit\(143\)/);
  });
});
