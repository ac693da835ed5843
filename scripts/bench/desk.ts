// `npm run bench:desk`: the lender desk at book scale (issue 14, "Tests and figures"). For SQLite
// and PostgreSQL in turn it seeds a world of 1,000 loans and 1,000,000 usage events
// (seed-desk.ts), serves the built app on it (`next start` from .next-bench, built here when the
// sources changed), signs in as the world's lender over HTTP, and measures:
// - server render time of the portfolio (/lender) and of the worst loan's page: time to the last
//   byte of the HTML, 3 warm-up loads then 20 measured, p50/p95/max;
// - click-to-enforcement: in Chromium, on a loan whose borrower's credits are all collateral,
//   "Freeze" → "Full" → a reason → "Confirm freeze", timed from that click to the first routing-API
//   call with the borrower's key that is refused with 402 credits_frozen (a probe loop calls it
//   all along), beside the server's own FreezeEvent.latencyMs; the same through the lender API;
//   unfrozen between repetitions;
// - where a page's time goes: a second server, with every SQL statement timed
//   (desk-query-trace.cjs), loads each page again; statements are grouped by load.
// Writes its section of docs/benchmarks.md. Everything runs on 127.0.0.1; the databases and temp
// files are removed at the end. BENCH_SKIP_BUILD=1 reuses .next-bench as it is; sizes and
// databases as in seed-desk.ts (BENCH_DESK_*); BENCH_DESK_WRITE=0 prints without writing.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type Locator, type Page } from "@playwright/test";
import { migrateDatabase } from "../../lib/server/db/migrate";
import { freePort } from "../../test/free-port";
import { cpuProbeMs } from "./cpu-probe";
import { runIfScript } from "./run-script";
import { createBenchDatabase, deskSizeFromEnv, describeSeed, insertTotal, providersFromEnv, seedDeskDatabase, type DeskSize, type Provider, type SeedReport } from "./seed-desk";

const root = path.resolve(import.meta.dirname, "../..");
export const DIST_DIR = ".next-bench";
const WARM_UP_LOADS = 3;
const MEASURED_LOADS = 20;
const TRACED_LOADS = 10;
const FREEZE_REPETITIONS = Number(process.env.BENCH_DESK_FREEZES ?? 5);
const TARGET_P95_MS = 300;
/** Per page and server, so a very slow page cannot hold the bench for long: the loads that fit are reported. */
const PAGE_BUDGET_MS = Number(process.env.BENCH_DESK_PAGE_BUDGET_S ?? 600) * 1000;
const REPORT_START = "<!-- bench:desk:start -->";
const REPORT_END = "<!-- bench:desk:end -->";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

// ───────────────────────────── Small helpers ─────────────────────────────

const epochNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const round1 = (value: number) => Math.round(value * 10) / 10;

/** Nearest rank: the smallest value with at least p% of the samples at or below it (p95 of 20 = the 19th). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ───────────────────────────── Build ─────────────────────────────

/** The inputs of a build (the list scripts/start.ts fingerprints), so a current .next-bench is reused. */
function sourceFingerprint(): string {
  const hash = createHash("sha256");
  const visit = (entry: string) => {
    const full = path.join(root, entry);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const child of readdirSync(full).sort()) if (child !== "generated" && child !== "node_modules") visit(path.join(entry, child));
    } else if (!/\.test\.tsx?$/.test(entry)) {
      hash.update(entry).update(readFileSync(full));
    }
  };
  for (const entry of ["app", "components", "lib", "pages", "public", "instrumentation.ts", "proxy.ts", "next.config.ts", "package.json", "package-lock.json", "postcss.config.mjs", "tsconfig.json", "prisma/schema.prisma"]) visit(entry);
  return hash.digest("hex");
}

export function ensureBuild(env: NodeJS.ProcessEnv): string {
  const dist = path.join(root, DIST_DIR);
  const stampFile = path.join(dist, "blockable-source-fingerprint");
  const isBuilt = existsSync(path.join(dist, "BUILD_ID"));
  if (isBuilt && process.env.BENCH_SKIP_BUILD === "1") return "reused as it was (BENCH_SKIP_BUILD=1)";
  const fingerprint = sourceFingerprint();
  if (isBuilt && existsSync(stampFile) && readFileSync(stampFile, "utf8") === fingerprint) return "current";
  console.log(`Building the app into ${DIST_DIR}…`);
  const started = performance.now();
  const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { cwd: root, stdio: "inherit", env });
  if (build.status !== 0) throw new Error(`next build failed (exit ${build.status})`);
  writeFileSync(stampFile, fingerprint);
  // The type stubs Next writes beside a build would be picked up by the repository's tsc and ESLint
  // runs (their excludes name .next only); next start does not need them.
  rmSync(path.join(dist, "types"), { recursive: true, force: true });
  rmSync(path.join(dist, "dev"), { recursive: true, force: true });
  return `built in ${Math.round((performance.now() - started) / 1000)} s`;
}

// ───────────────────────────── Server and session ─────────────────────────────

export type Server = { base: string; child: ChildProcess; output: () => string; stop: () => Promise<void> };
/** The server's NEXTAUTH_SECRET and ENCRYPTION_KEY, made once per run (also in `dir`/secrets.json). */
export type Secrets = { authSecret: string; encryptionKey: string };

export async function startServer(input: { url: string; dir: string; secrets: Secrets; traceFile?: string; nodeArgs?: string[] }): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: input.url,
    NEXTAUTH_SECRET: input.secrets.authSecret,
    ENCRYPTION_KEY: input.secrets.encryptionKey,
    NEXTAUTH_URL: base,
    BLOCKABLE_SECRETS_FILE: path.join(input.dir, "secrets.json"),
    BLOCKABLE_NEXT_DIST_DIR: DIST_DIR,
    // The monitor, sweeper and webhook jobs would revalue 940 loans a minute beside the measured loads.
    BLOCKABLE_BACKGROUND_JOBS: "off",
    NEXT_TELEMETRY_DISABLED: "1",
    BENCH_DESK_TRACE_FILE: input.traceFile ?? "",
  };
  const preload = input.traceFile ? ["--require", path.join(root, "scripts/bench/desk-query-trace.cjs")] : [];
  const child = spawn(process.execPath, [...preload, ...(input.nodeArgs ?? []), path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (data: Buffer) => (output += data.toString()));
  child.stderr!.on("data", (data: Buffer) => (output += data.toString()));
  const stop = () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill("SIGTERM"))));
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output.slice(-2_000)}`);
    try {
      if ((await fetch(`${base}/login`)).status === 200) return { base, child, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`next start did not answer within 30 s:\n${output.slice(-2_000)}`);
}

/** next-auth's credentials sign-in, as the login form does it: the CSRF token, then the callback. Returns the cookies to send. */
export async function signIn(base: string, email: string, password: string): Promise<{ header: string; cookies: { name: string; value: string }[] }> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  };
  const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const csrfResponse = await fetch(`${base}/api/auth/csrf`);
  keep(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const callback = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/lender`, json: "true" }),
  });
  keep(callback);
  await callback.arrayBuffer();
  if (![...jar.keys()].some((name) => name.endsWith("next-auth.session-token"))) throw new Error(`sign-in as ${email} failed: HTTP ${callback.status}, no session cookie`);
  return { header: header(), cookies: [...jar].map(([name, value]) => ({ name, value })) };
}

// ───────────────────────────── Render times ─────────────────────────────

export type PageTiming = { name: string; path: string; status: "measured" | "pending"; note?: string; samples: number[]; windows: { startMs: number; endMs: number }[]; htmlBytes: number };

/** One signed-in GET, timed to the last byte of the body. */
async function load(url: string, cookie: string): Promise<{ ms: number; status: number; html: string; startMs: number; endMs: number }> {
  const startMs = epochNow();
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie, accept: "text/html" }, redirect: "manual" });
  const html = await response.text();
  const ms = performance.now() - started;
  return { ms, status: response.status, html, startMs, endMs: epochNow() };
}

/** A page to time: measured only when its first load is a 200 whose HTML holds `expect`. */
export type BenchPage = { name: string; path: string; expect: string };
export type Loads = { warmUp: number; measured: number; budgetMs?: number };

export async function measurePage(base: string, cookie: string, page: BenchPage, loads: Loads): Promise<PageTiming> {
  const timing: PageTiming = { name: page.name, path: page.path, status: "measured", samples: [], windows: [], htmlBytes: 0 };
  const first = await load(`${base}${page.path}`, cookie);
  timing.htmlBytes = Buffer.byteLength(first.html);
  if (first.status !== 200 || !first.html.includes(page.expect)) {
    return { ...timing, status: "pending", note: first.status !== 200 ? `HTTP ${first.status}` : `HTTP 200 without "${page.expect}"` };
  }
  const budgetMs = loads.budgetMs ?? PAGE_BUDGET_MS;
  const deadline = performance.now() + budgetMs;
  for (let i = 1; i < loads.warmUp; i++) await load(`${base}${page.path}`, cookie);
  for (let i = 0; i < loads.measured; i++) {
    if (performance.now() > deadline) {
      timing.note = `${i} of ${loads.measured} loads within the ${budgetMs / 1000} s budget`;
      break;
    }
    const result = await load(`${base}${page.path}`, cookie);
    if (result.status !== 200) throw new Error(`${page.path}: HTTP ${result.status} on load ${i + 1}`);
    timing.samples.push(result.ms);
    timing.windows.push({ startMs: result.startMs, endMs: result.endMs });
  }
  return timing;
}

/** The line a bench prints for one page: p50 / p95 / max, or why it is pending. */
export function describeTiming(timing: PageTiming): string {
  return timing.status === "measured"
    ? `  ${timing.path}: p50 ${round1(percentile(timing.samples, 50))} ms, p95 ${round1(percentile(timing.samples, 95))} ms, max ${round1(Math.max(...timing.samples))} ms`
    : `  ${timing.path}: pending (${timing.note})`;
}

/** Each page in turn on one server, printed as it is measured. */
export async function measurePages(base: string, cookie: string, pages: readonly BenchPage[], loads: Loads): Promise<PageTiming[]> {
  const timings: PageTiming[] = [];
  for (const page of pages) {
    const timing = await measurePage(base, cookie, page, loads);
    timings.push(timing);
    console.log(describeTiming(timing));
  }
  return timings;
}

// ───────────────────────────── Click-to-enforcement ─────────────────────────────

type Probe = { sentMs: number; receivedMs: number; status: number; code: string | null };

/**
 * Calls the routing API with the borrower's key, one call after another (each asks an instant
 * simulator for one token), until a call is refused with 402 credits_frozen. A 402
 * insufficient_credits on the way is a refusal too (enforcement took effect) but with the wrong
 * reason: it is kept as the first refusal, and the loop goes on to the first credits_frozen.
 */
function probeUntilFrozen(base: string, apiKey: string, model: string, timeoutMs: number) {
  const probes: Probe[] = [];
  let stopped = false;
  let firstRefusal: Probe | null = null;
  const done = (async () => {
    const deadline = performance.now() + timeoutMs;
    while (!stopped && performance.now() < deadline) {
      const sentMs = performance.now();
      const response = await fetch(`${base}/api/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "ping" }], max_tokens: 1 }),
      });
      const body = await response.text();
      const receivedMs = performance.now();
      let code: string | null = null;
      try {
        code = (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? null;
      } catch {
        // not JSON
      }
      const probe = { sentMs, receivedMs, status: response.status, code };
      probes.push(probe);
      if (response.status === 402 && (code === "credits_frozen" || code === "insufficient_credits")) {
        firstRefusal ??= probe;
        if (code === "credits_frozen") return { firstRefusal, firstFrozen: probe };
        continue;
      }
      if (response.status !== 200) throw new Error(`probe: HTTP ${response.status} ${body.slice(0, 200)}`);
    }
    return { firstRefusal, firstFrozen: null };
  })();
  return { probes, done, stop: () => (stopped = true) };
}

async function probeOnce(base: string, apiKey: string, model: string): Promise<number> {
  const response = await fetch(`${base}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "ping" }], max_tokens: 1 }),
  });
  await response.arrayBuffer();
  return response.status;
}

type FreezeRun = {
  /** Click (or API call) → the first call refused with 402, whatever its code. */
  clickToRefusedMs: number;
  /** The first refusal's error code: credits_frozen, or insufficient_credits (the wrong reason). */
  firstRefusalCode: string;
  /** Click → the first call refused with 402 credits_frozen. */
  clickToFrozenMs: number;
  serverLatencyMs: number;
  /** The server's committedAt stamp → the first refusal received (one machine, one clock). */
  commitToRefusedMs: number;
};
type FreezeTiming = { via: string; status: "measured" | "pending" | "failed"; note?: string; runs: FreezeRun[] };

async function lenderApi(base: string, token: string, method: string, pathname: string, body?: unknown) {
  const response = await fetch(`${base}/api/lender/v1${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathname}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

type LatestFreeze = { latencyMs: number; committedAt: string; action: string };

async function latestFreeze(base: string, token: string, loanId: string): Promise<LatestFreeze> {
  const loan = (await lenderApi(base, token, "GET", `/loans/${loanId}`)) as { recentFreezeEvents: LatestFreeze[] };
  const event = loan.recentFreezeEvents.find((e) => e.action === "FREEZE");
  if (!event) throw new Error(`loan ${loanId}: no FREEZE event after the freeze`);
  return event;
}

async function unfreeze(base: string, token: string, loanId: string, apiKey: string, model: string) {
  await lenderApi(base, token, "POST", `/loans/${loanId}/unfreeze`, { mode: "FULL", reason: "Benchmark: unfreeze between repetitions." });
  const status = await probeOnce(base, apiKey, model);
  if (status !== 200) throw new Error(`after the unfreeze the borrower's call got HTTP ${status}, expected 200`);
}

/** One freeze, timed from `trigger()`'s start to the first refused call. */
async function timeFreeze(input: { base: string; token: string; target: { loanId: string; apiKey: string }; model: string; trigger: () => Promise<void> }): Promise<FreezeRun> {
  if ((await probeOnce(input.base, input.target.apiKey, input.model)) !== 200) throw new Error("the borrower's call is refused before the freeze");
  const probe = probeUntilFrozen(input.base, input.target.apiKey, input.model, 15_000);
  await sleep(30); // the loop is running, as a borrower's traffic would be
  const clickedAt = performance.now();
  try {
    await input.trigger();
  } catch (error) {
    probe.stop();
    await probe.done.catch(() => undefined);
    throw error;
  }
  const { firstRefusal, firstFrozen } = await probe.done;
  if (!firstRefusal || !firstFrozen) throw new Error(`no call was refused with 402 credits_frozen within 15 s of the freeze${firstRefusal ? ` (only ${firstRefusal.code})` : ""}`);
  const event = await latestFreeze(input.base, input.token, input.target.loanId);
  return {
    clickToRefusedMs: firstRefusal.receivedMs - clickedAt,
    firstRefusalCode: firstRefusal.code ?? "?",
    clickToFrozenMs: firstFrozen.receivedMs - clickedAt,
    serverLatencyMs: event.latencyMs,
    commitToRefusedMs: performance.timeOrigin + firstRefusal.receivedMs - new Date(event.committedAt).getTime(),
  };
}

async function measureApiFreeze(base: string, token: string, target: { loanId: string; apiKey: string }, model: string): Promise<FreezeTiming> {
  const timing: FreezeTiming = { via: "lender API: POST /api/lender/v1/loans/{id}/freeze {mode: FULL}", status: "measured", runs: [] };
  for (let i = 0; i < FREEZE_REPETITIONS; i++) {
    timing.runs.push(
      await timeFreeze({
        base,
        token,
        target,
        model,
        trigger: async () => void (await lenderApi(base, token, "POST", `/loans/${target.loanId}/freeze`, { mode: "FULL", reason: `Benchmark freeze ${i + 1} through the lender API.` })),
      }),
    );
    await unfreeze(base, token, target.loanId, target.apiKey, model);
  }
  return timing;
}

/** The first of these that is on the page and visible, or null. */
async function firstVisible(candidates: Locator[], timeoutMs: number): Promise<Locator | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const candidate of candidates) if (await candidate.first().isVisible().catch(() => false)) return candidate.first();
    await sleep(100);
  }
  return null;
}

async function measureUiFreeze(browser: Browser, base: string, session: { cookies: { name: string; value: string }[] }, token: string, target: { loanId: string; apiKey: string }, model: string): Promise<FreezeTiming> {
  const timing: FreezeTiming = { via: 'loan page: "Freeze" → "Full" → "Reason" → "Confirm freeze"', status: "measured", runs: [] };
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addCookies(session.cookies.map((cookie) => ({ ...cookie, url: base })));
  const page: Page = await context.newPage();
  try {
    for (let i = 0; i < FREEZE_REPETITIONS; i++) {
      const response = await page.goto(`${base}/lender/loans/${target.loanId}`);
      const freeze = await firstVisible([page.getByRole("button", { name: "Freeze", exact: true })], 15_000);
      if (!freeze) {
        return { ...timing, status: "pending", note: `no "Freeze" button on /lender/loans/{id} (HTTP ${response?.status() ?? "?"}): the freeze UI is not built yet` };
      }
      await freeze.click();
      // The mode named "Full", or (whatever its label says) the radio whose value is the service's FULL.
      const full = await firstVisible([page.getByRole("radio", { name: "Full" }), page.getByRole("button", { name: "Full", exact: true }), page.locator('input[type="radio"][value="FULL"]')], 5_000);
      if (!full) return { ...timing, status: "pending", note: 'the freeze dialog has no "Full" mode to choose' };
      await full.click();
      const reason = await firstVisible([page.getByLabel("Reason")], 5_000);
      if (!reason) return { ...timing, status: "pending", note: 'the freeze dialog has no "Reason" field' };
      await reason.fill(`Benchmark freeze ${i + 1} from the loan page.`);
      const confirm = await firstVisible([page.getByRole("button", { name: "Confirm freeze" })], 5_000);
      if (!confirm) return { ...timing, status: "pending", note: 'the freeze dialog has no "Confirm freeze" button' };
      timing.runs.push(await timeFreeze({ base, token, target, model, trigger: () => confirm.click() }));
      await unfreeze(base, token, target.loanId, target.apiKey, model);
    }
    return timing;
  } catch (error) {
    return { ...timing, status: "failed", note: (error as Error).message.split("\n")[0].slice(0, 300) };
  } finally {
    await context.close();
  }
}

// ───────────────────────────── Query trace ─────────────────────────────

export type TraceLine = { db: string; startMs: number; ms: number; sql: string };
export type PageTrace = { name: string; loads: number; renderMs: number; statements: number; statementMs: number; busyMs: number; top: { sql: string; callsPerLoad: number; msPerLoad: number }[] };

/** Statement text without literals, so repeats of one query group together. */
function normalizeSql(sql: string): string {
  return sql
    .replace(/\s+/g, " ")
    .replace(/'(?:[^']|'')*'/g, "?")
    .replace(/\$\d+/g, "?")
    .replace(/\b\d+\b/g, "?")
    .replace(/(\?\s*,\s*)+\?/g, "?…")
    .replace(/"public"\.|`main`\./g, "")
    .replace(/^SELECT (?!COUNT)(.{40,}?) FROM /, "SELECT … FROM ")
    .trim();
}

export function traceReport(timing: PageTiming, lines: TraceLine[]): PageTrace {
  const perLoad = timing.windows.map((w) => lines.filter((line) => line.startMs >= w.startMs && line.startMs <= w.endMs));
  const all = perLoad.flat();
  const loads = timing.windows.length;
  // Wall time with at least one statement running (statements of one load may overlap on PostgreSQL).
  const busy = perLoad.map((statements) => {
    const spans = statements.map((s) => [s.startMs, s.startMs + s.ms] as const).sort((a, b) => a[0] - b[0]);
    let total = 0;
    let end = -Infinity;
    for (const [from, to] of spans) {
      if (to <= end) continue;
      total += to - Math.max(from, end);
      end = to;
    }
    return total;
  });
  const groups = new Map<string, { calls: number; ms: number }>();
  for (const line of all) {
    const key = normalizeSql(line.sql);
    const group = groups.get(key) ?? { calls: 0, ms: 0 };
    group.calls++;
    group.ms += line.ms;
    groups.set(key, group);
  }
  return {
    name: timing.name,
    loads,
    renderMs: timing.samples.reduce((s, v) => s + v, 0) / loads,
    statements: all.length / loads,
    statementMs: all.reduce((s, l) => s + l.ms, 0) / loads,
    busyMs: busy.reduce((s, v) => s + v, 0) / loads,
    top: [...groups]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 5)
      .map(([sql, g]) => ({ sql, callsPerLoad: g.calls / loads, msPerLoad: g.ms / loads })),
  };
}

/**
 * Where the time goes: the pages measured before (`timings`, in the same order), again on a second
 * server that times every SQL statement (desk-query-trace.cjs), 2 warm-up loads then `measured`.
 * No server when no page was measured.
 */
export async function tracePages(input: { provider: Provider; url: string; dir: string; secrets: Secrets; signIn: { email: string; password: string }; pages: readonly BenchPage[]; timings: readonly PageTiming[]; measured: number; budgetMs?: number }): Promise<PageTrace[]> {
  const traces: PageTrace[] = [];
  const measured = input.pages.filter((_, i) => input.timings[i].status === "measured");
  if (measured.length === 0) return traces;
  const traceFile = path.join(input.dir, `trace-${input.provider}.jsonl`);
  writeFileSync(traceFile, "");
  const traced = await startServer({ url: input.url, dir: input.dir, secrets: input.secrets, traceFile });
  try {
    const session = await signIn(traced.base, input.signIn.email, input.signIn.password);
    for (const page of measured) {
      const timing = await measurePage(traced.base, session.header, page, { warmUp: 2, measured: input.measured, budgetMs: input.budgetMs });
      const lines = readFileSync(traceFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as TraceLine);
      if (timing.status === "measured") traces.push(traceReport(timing, lines));
    }
  } finally {
    await traced.stop();
  }
  return traces;
}

// ───────────────────────────── One database ─────────────────────────────

type ProviderResult = {
  provider: Provider;
  /** The machine's speed just before this database's measures (after its seed). */
  probeMs: number;
  seed: SeedReport;
  pages: PageTiming[];
  traces: PageTrace[];
  freezes: FreezeTiming[];
  worst: SeedReport["manifest"]["worstLoan"];
};

async function measureProvider(provider: Provider, size: DeskSize, { now, dir, secrets }: BenchRun, browser: Browser): Promise<ProviderResult> {
  const database = await createBenchDatabase(provider);
  try {
    console.log(`\n${provider}: seeding…`);
    const seed = await seedDeskDatabase(database.url, size, { now });
    console.log(describeSeed(provider, seed));
    if (seed.ledger.violations.length > 0) throw new Error(`${provider}: the seeded ledger is not healthy; not measuring`);
    const { manifest } = seed;
    const pages = [
      { name: "portfolio", path: "/lender", expect: "Portfolio" },
      { name: `loan page (worst loan, ${manifest.worstLoan.state})`, path: `/lender/loans/${manifest.worstLoan.loanId}`, expect: manifest.worstLoan.reference },
    ];

    const probeMs = cpuProbeMs();
    console.log(`  CPU probe: ${probeMs.toFixed(1)} ms`);
    const server = await startServer({ url: database.url, dir, secrets });
    let timings: PageTiming[] = [];
    const freezes: FreezeTiming[] = [];
    try {
      const session = await signIn(server.base, manifest.lender.email, manifest.lender.password);
      timings = await measurePages(server.base, session.header, pages, { warmUp: WARM_UP_LOADS, measured: MEASURED_LOADS });
      const [uiTarget, apiTarget] = manifest.freezeTargets;
      freezes.push(await measureUiFreeze(browser, server.base, session, manifest.lenderApiToken, uiTarget, manifest.probeModel));
      freezes.push(await measureApiFreeze(server.base, manifest.lenderApiToken, apiTarget, manifest.probeModel).catch((error: Error) => ({ via: "lender API", status: "failed" as const, note: error.message.slice(0, 300), runs: [] })));
      for (const freeze of freezes) {
        console.log(
          freeze.status === "measured"
            ? `  ${freeze.via}: click → first 402 ${freeze.runs.map((r) => `${round1(r.clickToRefusedMs)} (${r.firstRefusalCode})`).join(", ")} ms; → credits_frozen ${freeze.runs.map((r) => round1(r.clickToFrozenMs)).join(", ")} ms; server latencyMs ${freeze.runs.map((r) => r.serverLatencyMs).join(", ")}`
            : `  ${freeze.via}: ${freeze.status} (${freeze.note})`,
        );
      }
    } finally {
      await server.stop();
    }

    const traces = await tracePages({ provider, url: database.url, dir, secrets, signIn: manifest.lender, pages, timings, measured: TRACED_LOADS });
    return { provider, probeMs, seed, pages: timings, traces, freezes, worst: manifest.worstLoan };
  } finally {
    await database.drop();
  }
}

// ───────────────────────────── Report ─────────────────────────────

export const LABEL: Record<Provider, string> = { sqlite: "SQLite", postgresql: "PostgreSQL" };

function pageCell(timing: PageTiming | undefined): string {
  if (!timing) return "—";
  if (timing.status !== "measured") return `pending (${timing.note})`;
  const p95 = percentile(timing.samples, 95);
  return `${round1(percentile(timing.samples, 50))} / ${round1(p95)} / ${round1(Math.max(...timing.samples))} ${p95 <= TARGET_P95_MS ? "✓" : "✗"} (HTML ${Math.round(timing.htmlBytes / 1024)} KiB${timing.note ? `; ${timing.note}` : ""})`;
}

function freezeCell(timing: FreezeTiming | undefined, pick: (run: FreezeRun) => number): string {
  if (!timing) return "—";
  if (timing.status !== "measured") return `${timing.status}${timing.note ? ` (${timing.note})` : ""}`;
  const values = timing.runs.map(pick);
  return `${round1(percentile(values, 50))} (${values.map((v) => round1(v)).join(", ")})`;
}

function codesCell(timing: FreezeTiming | undefined): string {
  if (!timing || timing.status !== "measured") return "—";
  const counts = new Map<string, number>();
  for (const run of timing.runs) counts.set(run.firstRefusalCode, (counts.get(run.firstRefusalCode) ?? 0) + 1);
  return [...counts].map(([code, n]) => `${code} × ${n}`).join(", ");
}

function buildReport(results: ProviderResult[], meta: { probes: number[]; size: DeskSize; build: string; date: string }): string {
  const columns = results.map((r) => LABEL[r.provider]);
  const row = (label: string, cells: string[]) => `| ${label} | ${cells.join(" | ")} |`;
  const first = results[0];
  const states = Object.entries(first.seed.manifest.loansByState).map(([state, n]) => `${n} ${state}`).join(", ");
  const counts = first.seed.manifest.counts;
  const n = (table: string) => (counts[table] ?? 0).toLocaleString("en-US");
  const lines = [
    `## Lender desk — ${meta.date}`,
    "",
    `\`npm run bench:desk\`: the built app (\`next start\`, background jobs off) on a world seeded per database (\`scripts/bench/seed-desk.ts\`): one lender, ${n("Loan")} loans (${states}), ${n("UsageEvent")} usage events with ${n("UsageDaily")} daily rollups, ${n("CoverageSnapshot")} coverage snapshots (${meta.size.snapshotsPerDay} a day over each open loan's last 31 days, daily before), ${n("Installment")} installments, ${n("Payment")} payments, ${n("Alert")} alerts, ${n("LedgerTransfer")} ledger transfers. Render = a signed-in GET timed to the last byte of the HTML, ${WARM_UP_LOADS} warm-up loads then ${MEASURED_LOADS} measured one after another; percentiles by nearest rank (p95 of 20 = the 19th). Target: p95 ≤ ${TARGET_P95_MS} ms (✓ met, ✗ missed). Times in ms.`,
    "",
    `| measure | ${columns.join(" | ")} |`,
    `|---|${columns.map(() => "---").join("|")}|`,
    row("machine: CPU probe ms (lower is faster), before the measures", results.map((r) => r.probeMs.toFixed(1))),
    row("seed: seconds (generate + bulk load, of which INSERTs and index builds)", results.map((r) => `${r.seed.seconds.total} (${r.seed.seconds.load}, ${insertTotal(r.seed)})`)),
    row("seed: ledger invariants (lib/server/ledger/health.ts)", results.map((r) => (r.seed.ledger.violations.length === 0 ? `hold (${r.seed.ledger.transfers.toLocaleString("en-US")} transfers, ${r.seed.ledger.lots.toLocaleString("en-US")} lots)` : `${r.seed.ledger.violations.length} violations`))),
    row("`/lender` (portfolio) p50 / p95 / max", results.map((r) => pageCell(r.pages[0]))),
    row(`\`/lender/loans/{id}\` (the worst loan) p50 / p95 / max`, results.map((r) => pageCell(r.pages[1]))),
    row("worst loan", results.map((r) => `${r.worst.reference}, ${r.worst.state}, ${r.worst.coverageBps === null ? "∞" : `${(r.worst.coverageBps / 100).toFixed(2)}%`}`)),
  ];
  const vias = [...new Set(results.flatMap((r) => r.freezes.map((f) => f.via)))];
  for (const via of vias) {
    const of = (r: ProviderResult) => r.freezes.find((f) => f.via === via);
    lines.push(row(`${via}: click → first call refused (402), median (each run)`, results.map((r) => freezeCell(of(r), (run) => run.clickToRefusedMs))));
    lines.push(row(`… the first refusal's code`, results.map((r) => codesCell(of(r)))));
    lines.push(row(`… click → first 402 \`credits_frozen\``, results.map((r) => freezeCell(of(r), (run) => run.clickToFrozenMs))));
    lines.push(row(`… the server's FreezeEvent.latencyMs (request → commit)`, results.map((r) => freezeCell(of(r), (run) => run.serverLatencyMs))));
    lines.push(row(`… commit → first refusal received`, results.map((r) => freezeCell(of(r), (run) => run.commitToRefusedMs))));
  }
  const traced = results.filter((r) => r.traces.length > 0);
  if (traced.length > 0) {
    lines.push(
      "",
      `Where a render's time goes: the same pages on a second server that times every SQL statement (\`scripts/bench/desk-query-trace.cjs\`, node-postgres and better-sqlite3 wrapped), 2 warm-up then ${TRACED_LOADS} loads each, mean per load. "Statement ms" sums the statements (they overlap on PostgreSQL); "busy ms" is the wall time with at least one running; the rest of the render is outside the database (Prisma, React, HTML).`,
      "",
      "| page | database | render ms | statements | statement ms | busy ms |",
      "|---|---|---|---|---|---|",
      ...traced.flatMap((r) => r.traces.map((t) => `| ${t.name} | ${LABEL[r.provider]} | ${round1(t.renderMs)} | ${round1(t.statements)} | ${round1(t.statementMs)} | ${round1(t.busyMs)} |`)),
      "",
      "The costliest statements (literals and parameters shown as ?), ms and calls per load:",
      "",
      "| page | database | ms | calls | statement |",
      "|---|---|---|---|---|",
      ...traced.flatMap((r) => r.traces.flatMap((t) => t.top.map((s) => `| ${t.name} | ${LABEL[r.provider]} | ${round1(s.msPerLoad)} | ${round1(s.callsPerLoad)} | \`${s.sql.slice(0, 160).replace(/\|/g, "\\|")}${s.sql.length > 160 ? "…" : ""}\` |`))),
    );
  }
  lines.push("", `CPU probe at the start and the end of the run: ${meta.probes.map((p) => p.toFixed(1)).join(" and ")} ms (the routing section's loop). Build: ${meta.build}. Seed: ${first.seed.manifest.freezeTargets.length} healthy loans kept as freeze targets (their borrowers' credits are all collateral, so a full freeze stops their API); repetitions unfrozen through the lender API.`);
  return lines.join("\n");
}

export function writeReport(report: string, markers: { start: string; end: string } = { start: REPORT_START, end: REPORT_END }) {
  const file = path.join(root, "docs/benchmarks.md");
  const current = readFileSync(file, "utf8");
  const start = current.indexOf(markers.start);
  const end = current.indexOf(markers.end);
  const generated = `${markers.start}\n${report}\n${markers.end}`;
  writeFileSync(file, start >= 0 && end > start ? current.slice(0, start) + generated + current.slice(end + markers.end.length) : `${current.trimEnd()}\n\n${generated}\n`);
}

// ───────────────────────────── Main ─────────────────────────────

export type BenchRun = { now: Date; dir: string; secrets: Secrets };

/**
 * A bench's run: a temp dir with fresh server secrets, the build (its own database to read should
 * it prerender anything), a CPU probe, `measure` on each BENCH_DESK_PROVIDERS database in turn —
 * one instant for all, so they are the same world — a second probe, then the report printed and,
 * with `write`, put between `markers` in docs/benchmarks.md. `close` runs before the temp dir is
 * removed, whatever happened. Exits when done.
 */
export async function runBench<Result>(options: {
  name: string;
  measure: (provider: Provider, run: BenchRun) => Promise<Result>;
  report: (results: Result[], meta: { probes: number[]; build: string; date: string }) => string;
  write: boolean;
  markers: { start: string; end: string };
  close?: () => Promise<void>;
}): Promise<never> {
  const providers = providersFromEnv();
  const dir = mkdtempSync(path.join(tmpdir(), `blockable-${options.name}-bench-`));
  const secrets: Secrets = { authSecret: randomBytes(32).toString("base64url"), encryptionKey: randomBytes(32).toString("base64") };
  writeFileSync(path.join(dir, "secrets.json"), JSON.stringify(secrets), { mode: 0o600 });
  try {
    const buildDb = `file:${path.join(dir, "build.db")}`;
    await migrateDatabase(buildDb, root);
    const build = ensureBuild({ ...process.env, BLOCKABLE_NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: buildDb, NEXTAUTH_SECRET: secrets.authSecret, ENCRYPTION_KEY: secrets.encryptionKey, BLOCKABLE_SECRETS_FILE: path.join(dir, "secrets.json") });
    console.log(`Build: ${build}`);
    if (!existsSync(path.join(root, DIST_DIR, "BUILD_ID"))) throw new Error(`no build in ${DIST_DIR}`);
    const probes = [cpuProbeMs()];
    console.log(`CPU probe: ${probes[0].toFixed(1)} ms`);
    const now = new Date();
    const results: Result[] = [];
    for (const provider of providers) results.push(await options.measure(provider, { now, dir, secrets }));
    probes.push(cpuProbeMs());
    const report = options.report(results, { probes, build, date: now.toISOString().slice(0, 10) });
    console.log(`\n${report}`);
    if (options.write) writeReport(report, options.markers);
  } finally {
    await options.close?.();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

// Run as a script (npm run bench:desk), not when admin.ts imports the helpers above.
runIfScript(import.meta.filename, async () => {
  const size = deskSizeFromEnv();
  let browser: Browser | undefined;
  await runBench({
    name: "desk",
    measure: async (provider, run) => measureProvider(provider, size, run, (browser ??= await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS }))),
    report: (results, meta) => buildReport(results, { ...meta, size }),
    write: process.env.BENCH_DESK_WRITE !== "0",
    markers: { start: REPORT_START, end: REPORT_END },
    close: async () => browser?.close(),
  });
});
