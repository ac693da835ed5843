// `npm run bench:routing`: the routing API's overhead and throughput on the built app (`next start`)
// against a local fake upstream, same machine, same run. Writes docs/benchmarks.md.
// Not a test: it measures and reports; targets are in issue 3.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createDb } from "../../lib/server/db/client";
import { migrateDatabase } from "../../lib/server/db/migrate";
import { freePort } from "../../test/free-port";
import { createCatalog, createStartupWithKey } from "../../test/routing-world";
import { measureCoverageHook } from "./coverage-hook";
import { cpuProbeMs } from "./cpu-probe";
import { parseMinorGcs, summarizeMinorGcs, type GcWindow } from "./gc-trace";
import { measureLedgerHotPath } from "./ledger-hot-path";

const root = path.resolve(import.meta.dirname, "../..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const UNLOADED_REQUESTS = Number(process.env.BENCH_UNLOADED ?? 1000);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const WARM_UP_REQUESTS = 200;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const median = (values: number[]) => percentile(values, 50);

async function timeRequest(url: string, init: RequestInit, untilFirstChunk: boolean, expectedStatus = 200, onHeaders?: (headers: Headers) => void): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, init);
  onHeaders?.(response.headers);
  const reader = response.body!.getReader();
  if (untilFirstChunk) {
    // First content chunk of a stream (skip a leading role-only chunk as clients do not show it).
    let text = "";
    while (!text.includes('"content"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const elapsed = performance.now() - started;
    // Read to the end as a client does: cancelling here would bill and settle an abort each time.
    while (!(await reader.read()).done);
    return elapsed;
  }
  while (!(await reader.read()).done);
  if (response.status !== expectedStatus) throw new Error(`HTTP ${response.status} from ${url}`);
  return performance.now() - started;
}

/**
 * A process under benchmark, run with V8's `--trace-gc-nvp`: its output is kept for the GC report,
 * and `clockMs` reads our clock as ms since it started (the trace's timestamps).
 */
type TracedProcess = { child: ChildProcess; output: () => string; clockMs: () => number; stop: () => Promise<void> };

function startTraced(nodeArgs: string[], env: NodeJS.ProcessEnv): TracedProcess {
  const startedAtMs = performance.now();
  const child = spawn(process.execPath, ["--trace-gc-nvp", ...nodeArgs], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout!.on("data", (data: Buffer) => (output += data.toString()));
  return {
    child,
    output: () => output,
    clockMs: () => performance.now() - startedAtMs,
    stop: () => {
      // BENCH_GC_TRACE_DIR=<dir> keeps each process's whole trace (one file per process) for a closer look.
      if (process.env.BENCH_GC_TRACE_DIR) writeFileSync(path.join(process.env.BENCH_GC_TRACE_DIR, `gc-trace-${child.pid}.log`), output);
      return new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill("SIGTERM"))));
    },
  };
}

/** The fake upstream in its own process (see fake-upstream-process.ts). */
async function startUpstreamProcess(): Promise<TracedProcess & { url: string }> {
  const traced = startTraced(["--import", "tsx", path.join(root, "scripts/bench/fake-upstream-process.ts")], process.env);
  const url = await new Promise<string>((resolve, reject) => {
    traced.child.stdout!.on("data", () => {
      const match = /URL (\S+)/.exec(traced.output());
      if (match) resolve(match[1]);
    });
    traced.child.once("exit", (code) => reject(new Error(`the fake upstream exited (${code}) before listening`)));
  });
  return { ...traced, url };
}

const NEXT_ALONE = "Next.js alone: POST to an /api path with no route (404, no Blockable code)";
const FLOOR = "floor: 401s from an App Router and a Pages API route; bare GETs upstream";
const UNLOADED_JSON = "unloaded JSON";
const UNLOADED_STREAM = "unloaded streams";
const LOAD = `load, ${CONNECTIONS} connections`;

function gcReportRows(windows: Map<string, { server: GcWindow[]; upstream: GcWindow[] }>, serverGcs: ReturnType<typeof parseMinorGcs>, upstreamGcs: ReturnType<typeof parseMinorGcs>): string[] {
  const rows = ["| stretch | process | requests it served | scavenges per 1,000 requests | mean pause ms | promoted KB per request |", "|---|---|---|---|---|---|"];
  for (const [phase, { server, upstream }] of windows) {
    for (const [label, gcs, processWindows] of [
      ["Blockable (`next start`)", serverGcs, server],
      ["fake upstream (plain node:http)", upstreamGcs, upstream],
    ] as const) {
      const summary = summarizeMinorGcs(gcs, processWindows);
      if (summary.requests === 0) continue;
      rows.push(`| ${phase} | ${label} | ${summary.requests} | ${summary.minorGcsPer1000Requests.toFixed(1)} | ${summary.meanPauseMs.toFixed(2)} | ${(summary.promotedBytesPerRequest / 1000).toFixed(2)} |`);
    }
  }
  return rows;
}

/** The gateway's Server-Timing header as phase → ms. */
function serverTimingPhases(headers: Headers): Map<string, number> {
  const phases = new Map<string, number>();
  for (const part of (headers.get("server-timing") ?? "").split(",")) {
    const match = /\s*([\w-]+);dur=([\d.]+)/.exec(part);
    if (match) phases.set(match[1], Number(match[2]));
  }
  return phases;
}

type TimedRequest = { elapsedMs: number; phases: Map<string, number> };

/**
 * Where the slowest requests lose their time, next to typical ones: each phase's mean over a band
 * of requests ranked by client-seen time, and "outside the handler" (the client's time minus the
 * phases: HTTP, Next's routing, GC pauses and the CPU the other processes took).
 */
function tailRows(requests: TimedRequest[]): string[] {
  const ranked = [...requests].sort((a, b) => a.elapsedMs - b.elapsedMs);
  const band = (fromPercent: number, toPercent: number) => ranked.slice(Math.floor((fromPercent / 100) * ranked.length), Math.ceil((toPercent / 100) * ranked.length));
  const bands = [
    { label: "p45–p55", requests: band(45, 55) },
    { label: "p98–p99", requests: band(98, 99) },
    { label: "slowest 1%", requests: band(99, 100) },
  ];
  const names = [...new Set(requests.flatMap((r) => [...r.phases.keys()]))];
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const rows = [`| band | client ms | ${names.join(" | ")} | outside the handler |`, `|---|---|${names.map(() => "---|").join("")}---|`];
  for (const { label, requests: inBand } of bands) {
    const phaseMeans = names.map((name) => mean(inBand.map((r) => r.phases.get(name) ?? 0)));
    const outside = mean(inBand.map((r) => r.elapsedMs - [...r.phases.values()].reduce((a, b) => a + b, 0)));
    rows.push(`| ${label} | ${mean(inBand.map((r) => r.elapsedMs)).toFixed(2)} | ${phaseMeans.map((v) => v.toFixed(2)).join(" | ")} | ${outside.toFixed(2)} |`);
  }
  return rows;
}

const REPORT_START = "<!-- bench:routing:start -->";
const REPORT_END = "<!-- bench:routing:end -->";

/** Replaces the generated part of docs/benchmarks.md (between the markers); the written notes around it stay. */
function writeReport(report: string) {
  const file = path.join(root, "docs/benchmarks.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  const start = current.indexOf(REPORT_START);
  const end = current.indexOf(REPORT_END);
  const generated = `${REPORT_START}\n${report}\n${REPORT_END}`;
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + generated + current.slice(end + REPORT_END.length)
      : `# Benchmarks\n\nMeasured on the development machine (2 cores). Reproduce with the command named in each section.\n\n${generated}\n`;
  writeFileSync(file, next);
}

async function main() {
  // Always measure the code as it is now (BENCH_SKIP_BUILD=1 reuses an existing build).
  if (!process.env.BENCH_SKIP_BUILD || !existsSync(path.join(root, ".next/BUILD_ID"))) {
    console.log("Building the app…");
    const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { stdio: "inherit", cwd: root });
    if (build.status !== 0) process.exit(1);
  }
  // BENCH_QUICK=1: only the HTTP measures, printed and not written (for profiling sessions).
  const isQuick = process.env.BENCH_QUICK === "1";
  const dir = mkdtempSync(path.join(tmpdir(), "blockable-bench-"));
  const databaseUrl = `file:${path.join(dir, "bench.db")}`;
  await migrateDatabase(databaseUrl, root);
  const { db } = createDb(databaseUrl);
  const upstream = await startUpstreamProcess();
  await createCatalog(db, [{ slug: "fake", kind: "openai_compatible", baseUrl: upstream.url, timeoutMs: 10_000 }], [{ slug: "bench-chat", routes: [{ provider: "fake", inputPrice: 150_000n, outputPrice: 600_000n }] }]);
  const { plaintext } = await createStartupWithKey(db, { creditsMicros: 10_000_000_000_000n });
  await db.$disconnect();

  const port = await freePort();
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of the server (open it in Chrome DevTools).
  const profileArgs = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  // BENCH_NODE_ARGS="--flag …": extra Node/V8 flags for the server (experiments with its GC).
  const extraNodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const server = startTraced([...profileArgs, ...extraNodeArgs, path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    ...process.env,
    DATABASE_URL: databaseUrl,
    BLOCKABLE_SECRETS_FILE: path.join(dir, "secrets.json"),
    BLOCKABLE_BACKGROUND_JOBS: "off",
    NODE_ENV: "production",
  });
  const gateway = `http://127.0.0.1:${port}/api/v1`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${gateway}/models`, { headers: { authorization: `Bearer ${plaintext}` } })).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const body = (stream: boolean) => JSON.stringify({ model: "bench-chat", messages: [{ role: "user", content: "Benchmark me, briefly." }], max_tokens: 16, stream });
  const upstreamBody = (stream: boolean) => body(stream).replace('"bench-chat"', '"bench-chat-upstream"');
  const headers = { authorization: `Bearer ${plaintext}`, "content-type": "application/json" };
  const results: Record<string, number[]> = {};
  const record = (key: string, value: number) => (results[key] ??= []).push(value);

  // Measure a warm server, as clients meet it: the first requests load route code and JIT-compile the hot path.
  for (let i = 0; i < WARM_UP_REQUESTS; i++) {
    for (const stream of [false, true]) {
      await timeRequest(`${upstream.url}/chat/completions`, { method: "POST", headers, body: upstreamBody(stream) }, stream);
      await timeRequest(`${gateway}/chat/completions`, { method: "POST", headers, body: body(stream) }, stream);
    }
  }
  const routedJson: TimedRequest[] = [];
  // Each measured stretch, on both processes' clocks, with the requests each served: the GC report.
  const gcWindows = new Map<string, { server: GcWindow[]; upstream: GcWindow[] }>();
  const measured = async <T>(phase: string, requests: { server: number; upstream: number } | ((result: T) => { server: number; upstream: number }), work: () => Promise<T>) => {
    const from = { server: server.clockMs(), upstream: upstream.clockMs() };
    const result = await work();
    const served = typeof requests === "function" ? requests(result) : requests;
    const windows = gcWindows.get(phase) ?? { server: [], upstream: [] };
    windows.server.push({ fromMs: from.server, toMs: server.clockMs(), requests: served.server });
    windows.upstream.push({ fromMs: from.upstream, toMs: upstream.clockMs(), requests: served.upstream });
    gcWindows.set(phase, windows);
    return result;
  };
  for (let run = 1; run <= RUNS; run++) {
    record("machine: CPU probe ms (lower is faster)", cpuProbeMs());
    // The floor each kind of Next.js route pays here, against a bare node:http GET on the same
    // machine: the same work (an unknown key looked up, a 401 in OpenAI's shape) through an App
    // Router route handler (GET /models) and through a Pages API route (POST /chat/completions,
    // the kind the metered endpoints are).
    const bare: number[] = [];
    const appRoute: number[] = [];
    const pagesRoute: number[] = [];
    const unknownKey = { authorization: "Bearer sk-bl-unknown0000000000000000000000", "content-type": "application/json" };
    await measured(NEXT_ALONE, { server: UNLOADED_REQUESTS, upstream: 0 }, async () => {
      for (let i = 0; i < UNLOADED_REQUESTS; i++) await timeRequest(`http://127.0.0.1:${port}/api/bench-no-such-route`, { method: "POST", headers: unknownKey, body: body(false) }, false, 404);
    });
    await measured(FLOOR, { server: 2 * UNLOADED_REQUESTS, upstream: UNLOADED_REQUESTS }, async () => {
      for (let i = 0; i < UNLOADED_REQUESTS; i++) {
        bare.push(await timeRequest(`${upstream.url}/health`, { headers }, false, 200));
        appRoute.push(await timeRequest(`${gateway}/models`, { headers: unknownKey }, false, 401));
        pagesRoute.push(await timeRequest(`${gateway}/chat/completions`, { method: "POST", headers: unknownKey, body: body(false) }, false, 401));
      }
    });
    record("floor: bare node GET p50", percentile(bare, 50));
    record("floor: App Router route, 401 added p50", percentile(appRoute, 50) - percentile(bare, 50));
    record("floor: Pages API route, 401 added p50", percentile(pagesRoute, 50) - percentile(bare, 50));
    for (const stream of [false, true]) {
      const direct: number[] = [];
      const routed: number[] = [];
      // Interleaved so both see the same machine state.
      await measured(stream ? UNLOADED_STREAM : UNLOADED_JSON, { server: UNLOADED_REQUESTS, upstream: 2 * UNLOADED_REQUESTS }, async () => {
        for (let i = 0; i < UNLOADED_REQUESTS; i++) {
          direct.push(await timeRequest(`${upstream.url}/chat/completions`, { method: "POST", headers, body: upstreamBody(stream) }, stream));
          let phases = new Map<string, number>();
          const elapsed = await timeRequest(`${gateway}/chat/completions`, { method: "POST", headers, body: body(stream) }, stream, 200, (h) => (phases = serverTimingPhases(h)));
          routed.push(elapsed);
          if (!stream) routedJson.push({ elapsedMs: elapsed, phases });
        }
      });
      const kind = stream ? "stream first chunk" : "JSON";
      record(`${kind} direct p50`, percentile(direct, 50));
      record(`${kind} direct p99`, percentile(direct, 99));
      record(`${kind} via Blockable p50`, percentile(routed, 50));
      record(`${kind} via Blockable p99`, percentile(routed, 99));
      record(`${kind} added p50`, percentile(routed, 50) - percentile(direct, 50));
      record(`${kind} added p99`, percentile(routed, 99) - percentile(direct, 99));
    }
    const load = await measured(LOAD, (result) => ({ server: result.requests.total, upstream: result.requests.total }), () =>
      autocannon({ url: `${gateway}/chat/completions`, method: "POST", headers, body: body(false), connections: CONNECTIONS, duration: LOAD_SECONDS }),
    );
    record("load req/s", load.requests.average);
    record("load non-2xx + errors", load.non2xx + load.errors + load.timeouts);
    record("load p99 ms", load.latency.p99);
    console.log(`run ${run}/${RUNS}: ${load.requests.average.toFixed(0)} req/s, p99 ${load.latency.p99} ms, ${load.non2xx + load.errors} errors`);
  }
  // Where the time goes inside the gateway: its Server-Timing phases, averaged.
  const phaseTotals = new Map<string, number>();
  const SAMPLES = 200;
  for (let i = 0; i < SAMPLES; i++) {
    const response = await fetch(`${gateway}/chat/completions`, { method: "POST", headers, body: body(false) });
    await response.arrayBuffer();
    for (const [name, ms] of serverTimingPhases(response.headers)) phaseTotals.set(name, (phaseTotals.get(name) ?? 0) + ms);
  }
  const phases = [...phaseTotals].map(([name, total]) => `| ${name} | ${(total / SAMPLES).toFixed(3)} |`);
  await server.stop();
  await upstream.stop();
  const gcRows = gcReportRows(gcWindows, parseMinorGcs(server.output()), parseMinorGcs(upstream.output()));
  // The database and its WAL reach hundreds of MB over the load runs: leave nothing behind.
  rmSync(dir, { recursive: true, force: true });
  // The in-process database measures run last: run first, they leave this process (the HTTP
  // client) a heap of Prisma clients and rows whose collections would pause it mid-request, and the
  // pause would be counted as the gateway's.
  const hotPathReport = isQuick ? [] : await measureLedgerHotPath();
  const coverageHookReport = isQuick ? [] : await measureCoverageHook();

  const rows = Object.entries(results).map(([name, values]) => `| ${name} | ${median(values).toFixed(name.includes("req/s") || name.includes("errors") ? 0 : 2)} | ${values.map((v) => v.toFixed(1)).join(", ")} |`);
  const report = [
    `## Routing API — ${new Date().toISOString().slice(0, 10)}`,
    "",
    `\`npm run bench:routing\`: built app (\`next start\`, SQLite), fake OpenAI-compatible upstream on 127.0.0.1 in a process of its own, ${RUNS} runs, ${WARM_UP_REQUESTS} warm-up requests of each kind, then ${UNLOADED_REQUESTS} sequential requests per unloaded measure (interleaved direct/routed; streams read to the end, timed to their first content chunk), ${CONNECTIONS} connections × ${LOAD_SECONDS} s for load. Times in ms; the value is the median over runs.`,
    "",
    "| measure | median | per run |",
    "|---|---|---|",
    ...rows,
    "",
    "Where the time goes inside one JSON request (Server-Timing phases, mean of 200 unloaded requests, ms):",
    "",
    "| phase | mean ms |",
    "|---|---|",
    ...phases,
    "",
    `The unloaded routed JSON requests of all runs, ranked by the time the client saw, mean ms per band (phases from Server-Timing):`,
    "",
    ...tailRows(routedJson),
    "",
    "Minor GCs (V8 scavenges) of both processes in each measured stretch, all runs (`--trace-gc-nvp`): a request that meets one waits for its pause; promoted is what lived through two of them.",
    "",
    ...gcRows,
    "",
    ...hotPathReport,
    "",
    ...coverageHookReport,
    "",
  ].join("\n");
  if (!isQuick) writeReport(report);
  console.log(report);
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
