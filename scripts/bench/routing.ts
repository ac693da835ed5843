// `npm run bench:routing`: the routing API's overhead and throughput on the built app, served as
// `npm start` serves it (scripts/serve.ts)
// against a local fake upstream, same machine, same run. Writes docs/benchmarks.md.
// Not a test: it measures and reports; targets are in issues 3 and 17. Portkey's open-source gateway
// runs beside it as a row (portkey.ts): the same requests, the same upstream, the same run.
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
import { serveArgs } from "../serve-command";
import { ensurePortkey, PORTKEY_VERSION, portkeyHeaders, portkeyInstalls, processCpuMs, startPortkey } from "./portkey";

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

/** What marks a stream's first content: a chat chunk's `content`, a Responses API text delta. */
const CHAT_CONTENT = '"content"';
const RESPONSES_CONTENT = '"response.output_text.delta"';

async function timeRequest(url: string, init: RequestInit, untilFirstChunk: boolean, expectedStatus = 200, onHeaders?: (headers: Headers) => void, contentMarker = CHAT_CONTENT): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, init);
  onHeaders?.(response.headers);
  const reader = response.body!.getReader();
  if (untilFirstChunk) {
    if (response.status !== expectedStatus) throw new Error(`HTTP ${response.status} from ${url}`);
    // First content chunk of a stream (skip a leading role-only chunk as clients do not show it).
    let text = "";
    while (!text.includes(contentMarker)) {
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
const FLOOR = "floor: 401s from an App Router route and a metered route; bare GETs upstream";
const UNLOADED_JSON = "unloaded JSON";
const UNLOADED_STREAM = "unloaded streams";
const UNLOADED_RESPONSES = "unloaded Responses API";
const LOAD = `load, ${CONNECTIONS} connections`;
const LOAD_STREAMS = `load, streams, ${CONNECTIONS} connections`;
const LOAD_RESPONSES = `load, Responses API, ${CONNECTIONS} connections`;

function gcReportRows(windows: Map<string, { server: GcWindow[]; upstream: GcWindow[] }>, serverGcs: ReturnType<typeof parseMinorGcs>, upstreamGcs: ReturnType<typeof parseMinorGcs>): string[] {
  const rows = ["| stretch | process | requests it served | scavenges per 1,000 requests | mean pause ms | promoted KB per request |", "|---|---|---|---|---|---|"];
  for (const [phase, { server, upstream }] of windows) {
    for (const [label, gcs, processWindows] of [
      ["Blockable (`npm start`'s server)", serverGcs, server],
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

type LoadFigures = { reqPerSec: number; failures: number; p99Ms: number; serverCpuUsPerRequest: number | null };

/** One autocannon stretch against one gateway, with the CPU its process used per request served. */
async function loadRun(target: { url: string; headers: Record<string, string>; body: string }, serverPid: number): Promise<LoadFigures & { total: number }> {
  const cpuBeforeMs = processCpuMs(serverPid);
  const result = await autocannon({ url: target.url, method: "POST", headers: target.headers, body: target.body, connections: CONNECTIONS, duration: LOAD_SECONDS });
  const cpuAfterMs = processCpuMs(serverPid);
  const total = result.requests.total;
  return {
    total,
    reqPerSec: result.requests.average,
    failures: result.non2xx + result.errors + result.timeouts,
    p99Ms: result.latency.p99,
    serverCpuUsPerRequest: cpuBeforeMs === null || cpuAfterMs === null || total === 0 ? null : ((cpuAfterMs - cpuBeforeMs) * 1000) / total,
  };
}

async function main() {
  // Always measure the code as it is now (BENCH_SKIP_BUILD=1 reuses an existing build). With
  // BLOCKABLE_NEXT_DIST_DIR (next.config.ts) the build and the server use that folder instead.
  const distDir = process.env.BLOCKABLE_NEXT_DIST_DIR || ".next";
  if (!process.env.BENCH_SKIP_BUILD || !existsSync(path.join(root, distDir, "BUILD_ID"))) {
    console.log("Building the app…");
    const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { stdio: "inherit", cwd: root });
    if (build.status !== 0) process.exit(1);
  }
  // The Responses API row, once its route is part of the build.
  const hasResponses = existsSync(path.join(root, "pages/api/v1/responses.ts"));
  // Portkey's gateway, installed (or reused) before anything is measured: npm's work is not timed.
  const [portkeyJsonScript, portkeyStreamsScript] = portkeyInstalls().map(ensurePortkey);
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
  const server = startTraced([...profileArgs, ...extraNodeArgs, ...serveArgs(root)], {
    ...process.env,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    BLOCKABLE_SECRETS_FILE: path.join(dir, "secrets.json"),
    BLOCKABLE_BACKGROUND_JOBS: "off",
    // The limits are checked on every request, as in production, set far above what the bench sends.
    BLOCKABLE_DEFAULT_KEY_RPM: "1000000000",
    BLOCKABLE_DEFAULT_ORG_CONCURRENCY: String(CONNECTIONS * 10),
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
  const portkeyJson = await startPortkey(portkeyJsonScript, await freePort());
  const portkeyStreams = await startPortkey(portkeyStreamsScript, await freePort());
  const portkeyFor = (stream: boolean) => `${(stream ? portkeyStreams : portkeyJson).url}/v1/chat/completions`;
  const portkeyPid = (stream: boolean) => (stream ? portkeyStreams : portkeyJson).pid;

  const body = (stream: boolean) => JSON.stringify({ model: "bench-chat", messages: [{ role: "user", content: "Benchmark me, briefly." }], max_tokens: 16, stream });
  const upstreamBody = (stream: boolean) => body(stream).replace('"bench-chat"', '"bench-chat-upstream"');
  const responsesBody = (stream: boolean) => JSON.stringify({ model: "bench-chat", input: "Benchmark me, briefly.", max_output_tokens: 16, stream });
  const headers = { authorization: `Bearer ${plaintext}`, "content-type": "application/json" };
  const viaPortkey = portkeyHeaders(upstream.url);
  const results: Record<string, number[]> = {};
  const record = (key: string, value: number | null) => {
    if (value !== null) (results[key] ??= []).push(value);
  };

  // Measure warm servers, as clients meet them: the first requests load route code and JIT-compile the hot path.
  for (let i = 0; i < WARM_UP_REQUESTS; i++) {
    for (const stream of [false, true]) {
      await timeRequest(`${upstream.url}/chat/completions`, { method: "POST", headers, body: upstreamBody(stream) }, stream);
      await timeRequest(`${gateway}/chat/completions`, { method: "POST", headers, body: body(stream) }, stream);
      await timeRequest(portkeyFor(stream), { method: "POST", headers: viaPortkey, body: body(stream) }, stream);
      if (hasResponses) await timeRequest(`${gateway}/responses`, { method: "POST", headers, body: responsesBody(stream) }, stream, 200, undefined, RESPONSES_CONTENT);
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
  const recordLoad = (prefix: string, figures: LoadFigures) => {
    record(`${prefix} req/s`, figures.reqPerSec);
    record(`${prefix} non-2xx + errors`, figures.failures);
    record(`${prefix} p99 ms`, figures.p99Ms);
    record(`${prefix} server CPU µs/request`, figures.serverCpuUsPerRequest);
  };
  for (let run = 1; run <= RUNS; run++) {
    record("machine: CPU probe ms (lower is faster)", cpuProbeMs());
    // The floor each kind of route pays here, against a bare node:http GET on the same machine:
    // the same work (an unknown key looked up, a 401 in OpenAI's shape) through an App Router
    // route handler (GET /models, through Next's pipeline) and through a metered endpoint (POST
    // /chat/completions, which the server serves ahead of Next).
    const bare: number[] = [];
    const appRoute: number[] = [];
    const meteredRoute: number[] = [];
    const unknownKey = { authorization: "Bearer sk-bl-unknown0000000000000000000000", "content-type": "application/json" };
    await measured(NEXT_ALONE, { server: UNLOADED_REQUESTS, upstream: 0 }, async () => {
      for (let i = 0; i < UNLOADED_REQUESTS; i++) await timeRequest(`http://127.0.0.1:${port}/api/bench-no-such-route`, { method: "POST", headers: unknownKey, body: body(false) }, false, 404);
    });
    await measured(FLOOR, { server: 2 * UNLOADED_REQUESTS, upstream: UNLOADED_REQUESTS }, async () => {
      for (let i = 0; i < UNLOADED_REQUESTS; i++) {
        bare.push(await timeRequest(`${upstream.url}/health`, { headers }, false, 200));
        appRoute.push(await timeRequest(`${gateway}/models`, { headers: unknownKey }, false, 401));
        meteredRoute.push(await timeRequest(`${gateway}/chat/completions`, { method: "POST", headers: unknownKey, body: body(false) }, false, 401));
      }
    });
    record("floor: bare node GET p50", percentile(bare, 50));
    record("floor: App Router route, 401 added p50", percentile(appRoute, 50) - percentile(bare, 50));
    record("floor: metered route (served ahead of Next), 401 added p50", percentile(meteredRoute, 50) - percentile(bare, 50));
    for (const stream of [false, true]) {
      const direct: number[] = [];
      const routed: number[] = [];
      const portkey: number[] = [];
      // Interleaved so all three see the same machine state.
      await measured(stream ? UNLOADED_STREAM : UNLOADED_JSON, { server: UNLOADED_REQUESTS, upstream: 3 * UNLOADED_REQUESTS }, async () => {
        for (let i = 0; i < UNLOADED_REQUESTS; i++) {
          direct.push(await timeRequest(`${upstream.url}/chat/completions`, { method: "POST", headers, body: upstreamBody(stream) }, stream));
          let phases = new Map<string, number>();
          const elapsed = await timeRequest(`${gateway}/chat/completions`, { method: "POST", headers, body: body(stream) }, stream, 200, (h) => (phases = serverTimingPhases(h)));
          routed.push(elapsed);
          if (!stream) routedJson.push({ elapsedMs: elapsed, phases });
          portkey.push(await timeRequest(portkeyFor(stream), { method: "POST", headers: viaPortkey, body: body(stream) }, stream));
        }
      });
      const kind = stream ? "stream first chunk" : "JSON";
      record(`${kind} direct p50`, percentile(direct, 50));
      record(`${kind} direct p99`, percentile(direct, 99));
      record(`${kind} via Blockable p50`, percentile(routed, 50));
      record(`${kind} via Blockable p99`, percentile(routed, 99));
      record(`${kind} added p50`, percentile(routed, 50) - percentile(direct, 50));
      record(`${kind} added p99`, percentile(routed, 99) - percentile(direct, 99));
      record(`${kind} via Portkey p50`, percentile(portkey, 50));
      record(`${kind} via Portkey p99`, percentile(portkey, 99));
      record(`${kind} Portkey added p50`, percentile(portkey, 50) - percentile(direct, 50));
      record(`${kind} Portkey added p99`, percentile(portkey, 99) - percentile(direct, 99));
    }
    if (hasResponses) {
      for (const stream of [false, true]) {
        const direct: number[] = [];
        const routed: number[] = [];
        await measured(UNLOADED_RESPONSES, { server: UNLOADED_REQUESTS, upstream: 2 * UNLOADED_REQUESTS }, async () => {
          for (let i = 0; i < UNLOADED_REQUESTS; i++) {
            direct.push(await timeRequest(`${upstream.url}/chat/completions`, { method: "POST", headers, body: upstreamBody(stream) }, stream));
            routed.push(await timeRequest(`${gateway}/responses`, { method: "POST", headers, body: responsesBody(stream) }, stream, 200, undefined, RESPONSES_CONTENT));
          }
        });
        const kind = stream ? "Responses API stream first delta" : "Responses API JSON";
        record(`${kind} via Blockable p50`, percentile(routed, 50));
        record(`${kind} via Blockable p99`, percentile(routed, 99));
        record(`${kind} added p50`, percentile(routed, 50) - percentile(direct, 50));
        record(`${kind} added p99`, percentile(routed, 99) - percentile(direct, 99));
      }
    }
    // Load: each gateway in turn for the same stretch, the order swapped every run so neither
    // always meets the machine's drift first.
    for (const stream of [false, true]) {
      const blockableTarget = { url: `${gateway}/chat/completions`, headers, body: body(stream) };
      const portkeyTarget = { url: portkeyFor(stream), headers: viaPortkey, body: body(stream) };
      const runBlockable = () => measured(stream ? LOAD_STREAMS : LOAD, (figures) => ({ server: figures.total, upstream: figures.total }), () => loadRun(blockableTarget, server.child.pid!));
      const runPortkey = () => loadRun(portkeyTarget, portkeyPid(stream));
      let blockable: LoadFigures;
      let portkey: LoadFigures;
      if (run % 2 === 1) {
        blockable = await runBlockable();
        portkey = await runPortkey();
      } else {
        portkey = await runPortkey();
        blockable = await runBlockable();
      }
      const prefix = stream ? "load, streams:" : "load:";
      recordLoad(`${prefix} Blockable`, blockable);
      recordLoad(`${prefix} Portkey`, portkey);
      record(`${prefix} Blockable ÷ Portkey req/s`, blockable.reqPerSec / portkey.reqPerSec);
      console.log(`run ${run}/${RUNS}, ${stream ? "streams" : "JSON"}: Blockable ${blockable.reqPerSec.toFixed(0)} req/s (p99 ${blockable.p99Ms} ms, ${blockable.failures} failed), Portkey ${portkey.reqPerSec.toFixed(0)} req/s (p99 ${portkey.p99Ms} ms, ${portkey.failures} failed)`);
    }
    if (hasResponses) {
      const responses = await measured(LOAD_RESPONSES, (figures) => ({ server: figures.total, upstream: figures.total }), () =>
        loadRun({ url: `${gateway}/responses`, headers, body: responsesBody(false) }, server.child.pid!),
      );
      recordLoad("load, Responses API: Blockable", responses);
      console.log(`run ${run}/${RUNS}, Responses API: ${responses.reqPerSec.toFixed(0)} req/s (p99 ${responses.p99Ms} ms, ${responses.failures} failed)`);
    }
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
  await portkeyJson.stop();
  await portkeyStreams.stop();
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

  const decimals = (name: string) => (name.includes("÷") ? 2 : name.includes("req/s") || name.includes("errors") || name.includes("µs") ? 0 : 2);
  const rows = Object.entries(results).map(([name, values]) => `| ${name} | ${median(values).toFixed(decimals(name))} | ${values.map((v) => v.toFixed(name.includes("÷") ? 2 : 1)).join(", ")} |`);
  const medianOf = (name: string) => (results[name] ? median(results[name]) : null);
  const cell = (value: number | null, digits: number) => (value === null ? "—" : value.toFixed(digits));
  const ratio = (a: number | null, b: number | null) => (a === null || b === null ? "—" : `${(a / b).toFixed(2)}×`);
  const comparison = (label: string, blockable: string, portkey: string, digits: number, showRatio: boolean) =>
    `| ${label} | ${cell(medianOf(blockable), digits)} | ${cell(medianOf(portkey), digits)} | ${showRatio ? ratio(medianOf(blockable), medianOf(portkey)) : "—"} |`;
  const targetVerdict = (blockable: string, portkey: string) => {
    const [a, b] = [medianOf(blockable), medianOf(portkey)];
    return a === null || b === null ? "not measured" : `${(a / b).toFixed(2)}× (${a >= b ? "met" : "missed"})`;
  };
  const report = [
    `## Routing API — ${new Date().toISOString().slice(0, 10)}`,
    "",
    `\`npm run bench:routing\`: built app (served as \`npm start\` serves it: scripts/serve.ts, SQLite), fake OpenAI-compatible upstream on 127.0.0.1 in a process of its own, ${RUNS} runs, ${WARM_UP_REQUESTS} warm-up requests of each kind, then ${UNLOADED_REQUESTS} sequential requests per unloaded measure (interleaved direct/routed; streams read to the end, timed to their first content chunk), ${CONNECTIONS} connections × ${LOAD_SECONDS} s for load. Times in ms; the value is the median over runs.`,
    "",
    `Against Portkey's open-source gateway (npm \`@portkey-ai/gateway\` ${PORTKEY_VERSION}, its own Node server on the same Node, \`x-portkey-provider: openai\` with the fake upstream as custom host; it meters nothing), in the same run, on the same upstream, with the same requests and connections: medians over runs. Blockable authenticates the key, checks the rate limits, reserves the worst case, settles the cost with its usage event and rollup, all in SQLite, on every request. Server CPU is the gateway process's (all threads) per request served under load.`,
    "",
    "| measure | Blockable (metered) | Portkey (meters nothing) | Blockable ÷ Portkey |",
    "|---|---|---|---|",
    comparison(`JSON req/s, ${CONNECTIONS} connections`, "load: Blockable req/s", "load: Portkey req/s", 0, true),
    comparison("JSON p99 ms under load", "load: Blockable p99 ms", "load: Portkey p99 ms", 1, false),
    comparison("JSON server CPU µs/request under load", "load: Blockable server CPU µs/request", "load: Portkey server CPU µs/request", 0, true),
    comparison("JSON added p50 ms, unloaded", "JSON added p50", "JSON Portkey added p50", 2, false),
    comparison("JSON added p99 ms, unloaded", "JSON added p99", "JSON Portkey added p99", 2, false),
    comparison(`stream req/s, ${CONNECTIONS} connections`, "load, streams: Blockable req/s", "load, streams: Portkey req/s", 0, true),
    comparison("stream p99 ms under load", "load, streams: Blockable p99 ms", "load, streams: Portkey p99 ms", 1, false),
    comparison("stream server CPU µs/request under load", "load, streams: Blockable server CPU µs/request", "load, streams: Portkey server CPU µs/request", 0, true),
    comparison("stream first chunk added p50 ms, unloaded", "stream first chunk added p50", "stream first chunk Portkey added p50", 2, false),
    comparison("stream first chunk added p99 ms, unloaded", "stream first chunk added p99", "stream first chunk Portkey added p99", 2, false),
    "",
    `Issue 17's target, at least Portkey's requests per second while metering: JSON ${targetVerdict("load: Blockable req/s", "load: Portkey req/s")}, streams ${targetVerdict("load, streams: Blockable req/s", "load, streams: Portkey req/s")}.`,
    "",
    `How Portkey runs here: its JSON row is the install exactly as npm resolves it today; its stream row is a second install of the same version with \`@hono/node-server\` held at 1.14.1 (inside its declared range), because with the node-server npm resolves every Portkey stream fails ("TypeError: immutable": the server hands the upstream response's own headers to the gateway, which appends its \`x-portkey-*\` headers to them). No file of either install is changed. Portkey's stream code waits a fixed 25 ms before it forwards a stream's first chunk (a \`setTimeout(…, 25)\` in its SSE pass-through), hence its stream first-chunk figures; at ${CONNECTIONS} connections that wait alone caps it at ${(CONNECTIONS / 0.025).toLocaleString("en-US")} streams/s. Its package asks for Node ≥ 22; it runs here on the bench's Node, the one Blockable runs on.`,
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
