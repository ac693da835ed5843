// `npm run bench:startup`: the startup CTO's dashboard at scale (issue 16, "Tests and figures").
// For SQLite and PostgreSQL in turn it seeds one startup with 1,000,000 usage events
// (seed-startup-usage.ts: the lender desk's world with a single loan, so its borrower carries every
// event), serves the built app on it (`next start` from .next-bench, desk.ts's machinery), signs in
// as the startup's CTO over HTTP, and measures:
// - server render time of the overview (/startup, target p95 ≤ 300 ms) and of the usage explorer:
//   its first page (/startup/usage, target p95 ≤ 150 ms), the next page (keyset cursor `after`)
//   and a model filter (the startup's least-used model): time to the last byte of the HTML,
//   3 warm-up loads then 20 measured, p50/p95/max;
// - the CSV export of every event (GET /api/startup/usage/export, no filter): rows, MiB, seconds,
//   and the server's resident memory (VmRSS, sampled every 20 ms) and live heap after a full GC
//   before, at each quarter of the rows and after (admin.ts's export measure);
// - where a page's time goes: a second server times every SQL statement (desk-query-trace.cjs)
//   while it loads each page again.
// Writes its section of docs/benchmarks.md. Sizes: BENCH_STARTUP_EVENTS (1000000); databases
// BENCH_DESK_PROVIDERS; BENCH_SKIP_BUILD=1 reuses .next-bench as it is; BENCH_STARTUP_EXPORT_RUNS
// (1) timed export runs before the heap-probed one; BENCH_STARTUP_WRITE=0 prints without writing.
import { usageFiltersSchema, usageViewToQuery } from "../../lib/domain/usage/explorer";
import { createDb } from "../../lib/server/db/client";
import { listUsagePage } from "../../lib/server/queries/startup-usage";
import { heapCell, measureExport, startHeapProbedServer, type ExportRun } from "./admin";
import { cpuProbeMs } from "./cpu-probe";
import { LABEL, measurePages, percentile, round1, runBench, signIn, tracePages, type BenchPage, type BenchRun, type PageTiming, type PageTrace } from "./desk";
import { runIfScript } from "./run-script";
import { createBenchDatabase, describeSeed, type Provider } from "./seed-desk";
import { seedStartupUsageDatabase, startupEventsFromEnv, type StartupUsageSeed } from "./seed-startup-usage";

const WARM_UP_LOADS = 3;
const MEASURED_LOADS = 20;
const TRACED_LOADS = 5;
/** Per page and server: a page slower than this reports the loads that fit. */
const PAGE_BUDGET_MS = 60_000;
const EXPORT_PATH = "/api/startup/usage/export";
const REPORT = { start: "<!-- bench:startup:start -->", end: "<!-- bench:startup:end -->" };

const mib = (bytes: number) => bytes / 1_048_576;
const n = (value: number) => value.toLocaleString("en-US");

type StartupPage = BenchPage & { targetMs: number | null };

function exportRunsFromEnv(): number {
  const raw = process.env.BENCH_STARTUP_EXPORT_RUNS;
  const value = raw === undefined || raw === "" ? 1 : Number(raw);
  if (!Number.isSafeInteger(value) || value < 0 || value > 5) throw new Error(`BENCH_STARTUP_EXPORT_RUNS must be a whole number from 0 to 5, got "${raw}"`);
  return value;
}

// ───────────────────────────── The pages ─────────────────────────────

type Pages = { pages: StartupPage[]; model: { slug: string; requests: number; share: number } };

/**
 * The overview, the explorer's first page, its next page (the cursor the first page's "Next page"
 * carries, from the app's own query) and a filter on the startup's least-used model.
 */
async function startupPages(url: string, seed: StartupUsageSeed): Promise<Pages> {
  const { db } = createDb(url);
  try {
    const filters = usageFiltersSchema.parse({});
    const first = await listUsagePage(db, { orgId: seed.startup.orgId, filters });
    if (!first.nextCursor) throw new Error("the explorer's first page has no next page");
    const byModel = await db.usageDaily.groupBy({ by: ["modelSlug"], where: { orgId: seed.startup.orgId }, _sum: { requests: true } });
    const total = byModel.reduce((sum, m) => sum + (m._sum.requests ?? 0), 0);
    const least = byModel.sort((a, b) => (a._sum.requests ?? 0) - (b._sum.requests ?? 0) || a.modelSlug.localeCompare(b.modelSlug))[0];
    const model = { slug: least.modelSlug, requests: least._sum.requests ?? 0, share: (least._sum.requests ?? 0) / total };
    return {
      model,
      pages: [
        { name: "`/startup` (overview)", path: "/startup", expect: "at a glance", targetMs: 300 },
        { name: "`/startup/usage` (first page)", path: "/startup/usage", expect: "Usage</h1>", targetMs: 150 },
        { name: "`/startup/usage?after=…` (next page)", path: `/startup/usage${usageViewToQuery({}, { after: first.nextCursor })}`, expect: "Usage</h1>", targetMs: null },
        { name: `\`/startup/usage?model=${model.slug}\` (least-used model, ${round1(model.share * 100)}% of events)`, path: `/startup/usage${usageViewToQuery({ model: model.slug })}`, expect: "Usage</h1>", targetMs: null },
      ],
    };
  } finally {
    await db.$disconnect();
  }
}

// ───────────────────────────── One database ─────────────────────────────

type ProviderResult = { provider: Provider; probeMs: number; seed: StartupUsageSeed; model: Pages["model"]; pages: StartupPage[]; timings: PageTiming[]; exports: ExportRun[]; traces: PageTrace[] };

async function measureProvider(provider: Provider, events: number, { now, dir, secrets }: BenchRun, exportRuns: number): Promise<ProviderResult> {
  const database = await createBenchDatabase(provider);
  try {
    console.log(`\n${provider}: seeding one startup with ${n(events)} usage events…`);
    const seed = await seedStartupUsageDatabase(database.url, events, { now });
    console.log(describeSeed(provider, seed.report));
    if (seed.report.ledger.violations.length > 0) throw new Error(`${provider}: the seeded ledger is not healthy; not measuring`);
    const { pages, model } = await startupPages(database.url, seed);
    console.log(`  startup ${seed.startup.name}: ${n(seed.startup.events)} usage events; least-used model ${model.slug} (${n(model.requests)})`);

    const probeMs = cpuProbeMs();
    console.log(`  CPU probe: ${probeMs.toFixed(1)} ms`);
    const server = await startHeapProbedServer({ url: database.url, dir, secrets });
    let timings: PageTiming[] = [];
    const exports: ExportRun[] = [];
    try {
      const session = await signIn(server.base, seed.cto.email, seed.cto.password);
      timings = await measurePages(server.base, session.header, pages, { warmUp: WARM_UP_LOADS, measured: MEASURED_LOADS, budgetMs: PAGE_BUDGET_MS });
      // The route compiled and its query planned on a small filtered export first.
      const today = now.toISOString().slice(0, 10);
      await (await fetch(`${server.base}${EXPORT_PATH}${usageViewToQuery({ from: today, to: today, status: "aborted" })}`, { headers: { cookie: session.header } })).arrayBuffer();
      for (let i = 0; i <= exportRuns; i++) {
        const run = await measureExport(server, session.header, { probeHeap: i === exportRuns, path: EXPORT_PATH, expectedRows: seed.startup.events });
        exports.push(run);
        console.log(`  usage export ${i + 1}: ${n(run.rows)} rows, ${round1(mib(run.bytes))} MiB in ${round1(run.ms / 1000)} s (first byte ${round1(run.firstByteMs)} ms); RSS ${round1(mib(run.rssBeforeBytes))} → peak ${round1(mib(run.rssPeakBytes))} MiB; at 25/50/75/100%: ${run.rssAtQuarters.map((b) => round1(mib(b))).join(" / ")} MiB`);
        if (run.heap) console.log(`    live heap after a full GC: before, 25/50/75/100%, after: ${run.heap.map((h) => round1(mib(h.heapBytes))).join(" / ")} MiB`);
      }
    } finally {
      await server.stop();
    }

    const traces = await tracePages({ provider, url: database.url, dir, secrets, signIn: seed.cto, pages, timings, measured: TRACED_LOADS, budgetMs: PAGE_BUDGET_MS });
    return { provider, probeMs, seed, model, pages, timings, exports, traces };
  } finally {
    await database.drop();
  }
}

// ───────────────────────────── Report ─────────────────────────────

function pageCell(page: StartupPage, timing: PageTiming | undefined): string {
  if (!timing) return "—";
  if (timing.status !== "measured") return `pending (${timing.note})`;
  const p95 = percentile(timing.samples, 95);
  const mark = page.targetMs === null ? "" : p95 <= page.targetMs ? " ✓" : " ✗";
  return `${round1(percentile(timing.samples, 50))} / ${round1(p95)} / ${round1(Math.max(...timing.samples))}${mark} (HTML ${Math.round(timing.htmlBytes / 1024)} KiB${timing.note ? `; ${timing.note}` : ""})`;
}

function buildReport(results: ProviderResult[], meta: { probes: number[]; build: string; date: string }): string {
  const columns = results.map((r) => LABEL[r.provider]);
  const row = (label: string, cells: string[]) => `| ${label} | ${cells.join(" | ")} |`;
  const first = results[0];
  const counts = first.seed.report.manifest.counts;
  const count = (table: string) => n(counts[table] ?? 0);
  const timed = (r: ProviderResult) => r.exports.filter((e) => !e.heap);
  const allRuns = (r: ProviderResult) => r.exports;
  const lines = [
    `## Startup dashboard — ${meta.date}`,
    "",
    `\`npm run bench:startup\`: the built app (\`next start\`, background jobs off) on one startup with ${n(first.seed.startup.events)} usage events (\`scripts/bench/seed-startup-usage.ts\`: the lender desk's world with one loan, ${Object.entries(first.seed.report.manifest.loansByState).map(([state, k]) => `${k} ${state}`).join(", ")}; ${count("UsageDaily")} daily rollups, ${count("LedgerTransfer")} ledger transfers), signed in as its CTO. Render = a signed-in GET timed to the last byte of the HTML, ${WARM_UP_LOADS} warm-up loads then ${MEASURED_LOADS} measured one after another, p50 / p95 / max by nearest rank, ms; targets p95 ≤ 300 ms for the overview and ≤ 150 ms for the explorer's first page (✓ met, ✗ missed).`,
    "",
    `| measure | ${columns.join(" | ")} |`,
    `|---|${columns.map(() => "---").join("|")}|`,
    row("machine: CPU probe ms (lower is faster), before the measures", results.map((r) => r.probeMs.toFixed(1))),
    row("seed: seconds (generate + bulk load)", results.map((r) => `${r.seed.report.seconds.total} (${r.seed.report.seconds.load})`)),
    ...first.pages.map((page, i) => row(`${page.name} p50 / p95 / max`, results.map((r) => pageCell(r.pages[i], r.timings[i])))),
    row(`usage CSV export (every event, no filter): rows, MiB, seconds (first byte ms) — ${first.exports.length === 1 ? "one run" : `runs 1–${first.exports.length}, the last heap-probed`}`, results.map((r) => allRuns(r).map((e) => `${n(e.rows)}, ${round1(mib(e.bytes))}, ${round1(e.ms / 1000)} (${Math.round(e.firstByteMs)})`).join("; "))),
    row("… rows per second", results.map((r) => allRuns(r).map((e) => n(Math.round(e.rows / (e.ms / 1000)))).join("; "))),
    row("… server RSS before → peak (growth), MiB", results.map((r) => allRuns(r).map((e) => `${Math.round(mib(e.rssBeforeBytes))} → ${Math.round(mib(e.rssPeakBytes))} (+${round1(mib(e.rssPeakBytes - e.rssBeforeBytes))})`).join("; "))),
    row("… server RSS at 25 / 50 / 75 / 100% of the rows, MiB", results.map((r) => allRuns(r).map((e) => e.rssAtQuarters.map((b) => Math.round(mib(b))).join(" / ")).join("; "))),
    row("… live heap after a full GC: before / 25 / 50 / 75 / 100% of the rows / 2 s after, MiB", results.map((r) => heapCell(r.exports.find((e) => e.heap)))),
  ];
  const traced = results.filter((r) => r.traces.length > 0);
  if (traced.length > 0) {
    lines.push(
      "",
      `Where a render's time goes: the same pages on a second server that times every SQL statement (\`scripts/bench/desk-query-trace.cjs\`), 2 warm-up then ${TRACED_LOADS} loads each, mean per load. "Statement ms" sums the statements (they overlap on PostgreSQL); "busy ms" is the wall time with at least one running; the rest of the render is outside the database (session, Prisma, React, HTML).`,
      "",
      "| page | database | render ms | statements | statement ms | busy ms | costliest statement (ms per load) |",
      "|---|---|---|---|---|---|---|",
      ...traced.flatMap((r) =>
        r.traces.map((t) => {
          const top = t.top[0];
          const sql = top ? `\`${top.sql.slice(0, 110).replace(/\|/g, "\\|")}${top.sql.length > 110 ? "…" : ""}\` (${round1(top.msPerLoad)})` : "—";
          return `| ${t.name} | ${LABEL[r.provider]} | ${round1(t.renderMs)} | ${round1(t.statements)} | ${round1(t.statementMs)} | ${round1(t.busyMs)} | ${sql} |`;
        }),
      ),
    );
  }
  const timedCount = timed(first).length;
  lines.push(
    "",
    `The next page is the first page's "Next page" (its keyset cursor from the app's own \`listUsagePage\`); the model filter is the startup's least-used model (${first.model.slug}, ${n(first.model.requests)} events). The export is read to its end by the bench, ${timedCount > 0 ? `${timedCount} timed run${timedCount === 1 ? "" : "s"} then one more` : "one run"} with the live heap probed: the server runs with \`--expose-gc\` and a preloaded handler that, on SIGUSR2, runs a full collection and prints \`heapUsed\` (before the request, as the stream passes each quarter of the rows, at its end and 2 s later); resident memory is VmRSS of the \`next start\` process tree, sampled every 20 ms (it counts garbage not yet collected). CPU probe at the start and the end of the run: ${meta.probes.map((p) => p.toFixed(1)).join(" and ")} ms. Build: ${meta.build}.`,
  );
  return lines.join("\n");
}

// ───────────────────────────── Main ─────────────────────────────

runIfScript(import.meta.filename, async () => {
  const events = startupEventsFromEnv();
  const exportRuns = exportRunsFromEnv();
  await runBench({
    name: "startup",
    measure: (provider, run) => measureProvider(provider, events, run, exportRuns),
    report: buildReport,
    write: process.env.BENCH_STARTUP_WRITE !== "0",
    markers: REPORT,
  });
});
