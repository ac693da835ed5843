// `node --expose-gc --import tsx --conditions=react-server scripts/bench/event-loop-block.ts`: how long counting a prompt's
// tokens blocks the event loop (issue 17: no request within the 2 MiB body limit may block it for
// more than ~50 ms, whatever it holds). For each kind of content and size (50 KiB, 100 KiB, 1 MiB,
// 2 MiB of UTF-8) it times, in a turn of its own:
// - before: gpt-tokenizer's o200k `countTokens` on the whole text, as the gateway called it until
//   now (quadratic on long pieces: a size whose time, extrapolated quadratically from the last one
//   measured, passes BENCH_BLOCK_BEFORE_CAP_MS (30 s) is not run and the extrapolation is shown);
// - after: `countTokens` from lib/server/routing/tokenizer.ts, the worst of 3 runs (the first is cold);
// - a whole request: the gateway's `estimateInputTokens` over 2 MiB split into 64 messages, since
//   one request's texts are counted in one turn.
// Writes its section of docs/benchmarks.md (BENCH_BLOCK_WRITE=0 prints only).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { countTokens as countO200kTokens } from "gpt-tokenizer/encoding/o200k_base";
import { estimateInputTokens } from "../../lib/domain/routing/worst-case";
import { countTokens } from "../../lib/server/routing/tokenizer";
import { cpuProbeMs } from "./cpu-probe";
import { runIfScript } from "./run-script";

const root = path.resolve(import.meta.dirname, "../..");
const KIB = 1024;
const SIZES_BYTES = [50 * KIB, 100 * KIB, 1024 * KIB, 2048 * KIB];
const AFTER_RUNS = 5;
const BEFORE_CAP_MS = Number(process.env.BENCH_BLOCK_BEFORE_CAP_MS ?? 30_000);
/** BENCH_BLOCK_AFTER_ONLY=1: only the current counter, printed (for tuning; never written). */
const IS_AFTER_ONLY = process.env.BENCH_BLOCK_AFTER_ONLY === "1";
const TARGET_MS = 50;
const REPORT_START = "<!-- bench:event-loop-block:start -->";
const REPORT_END = "<!-- bench:event-loop-block:end -->";

/** A small deterministic generator (mulberry32), so every run counts the same texts. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Prose and code: the READMEs of the installed packages (the nearest thing to real prompts here),
 * in name order, up to 3 MiB, so every size can start at its own place.
 */
function proseCorpus(): string {
  const modules = path.join(root, "node_modules");
  const packageDirs = readdirSync(modules)
    .sort()
    .flatMap((name) => (name.startsWith("@") ? readdirSync(path.join(modules, name)).sort().map((inner) => path.join(modules, name, inner)) : [path.join(modules, name)]));
  const texts: string[] = [];
  let length = 0;
  for (const dir of packageDirs) {
    if (length >= 3 * 1024 * KIB) break;
    try {
      const text = readFileSync(path.join(dir, "README.md"), "utf8");
      texts.push(text);
      length += text.length;
    } catch {
      // No README: next package.
    }
  }
  return texts.join("\n\n");
}

/** `piece(random, at)` is the next piece of text; `at` counts the pieces of all texts made so far. */
type Kind = { name: string; piece: (random: () => number, at: number) => string };

const pick = (random: () => number, chars: string) => chars[Math.floor(random() * chars.length)];
const codePoint = (random: () => number, from: number, to: number) => String.fromCodePoint(from + Math.floor(random() * (to - from)));

function kinds(): Kind[] {
  const prose = proseCorpus();
  return [
    { name: "prose and code (package READMEs)", piece: (_, at) => prose[at % prose.length] },
    { name: "one word: one letter repeated", piece: () => "a" },
    { name: "one word: random letters", piece: (random) => pick(random, "abcdefghijklmnopqrstuvwxyz") },
    { name: "random letters and digits (base64-like)", piece: (random) => pick(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") },
    { name: "random Unicode (any BMP letter, mark, symbol)", piece: (random) => codePoint(random, 0x00a1, 0xd7ff) },
    { name: "emoji, no spaces", piece: (random) => codePoint(random, 0x1f300, 0x1faff) },
    { name: "CJK ideographs, no punctuation", piece: (random) => codePoint(random, 0x4e00, 0x9fff) },
    { name: "whitespace run (spaces)", piece: () => " " },
    { name: "whitespace mix (space, tab, newline)", piece: (random) => pick(random, " \t\n\r") },
    { name: "repeated punctuation", piece: () => "!" },
    { name: "punctuation, newlines and slashes", piece: (random) => pick(random, "!/\n") },
    { name: "digits and spaces", piece: (random) => pick(random, "0123456789 ") },
  ];
}

let piecesMade = 0;

/** Every text is new content (its own seed, its own place in the prose), so no cache has seen it. */
function textOf(kind: Kind, bytes: number): string {
  const random = randomSource(++piecesMade);
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const part = kind.piece(random, piecesMade++);
    parts.push(part);
    length += Buffer.byteLength(part, "utf8");
  }
  return parts.join("");
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** With `--expose-gc`, the bench's own garbage (building 2 MiB texts) is collected before each timing. */
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

/**
 * Wall time of one call (what the event loop loses), and the CPU time this process spent in it:
 * on a shared machine the OS may pause the call, which lengthens the first and not the second.
 */
async function timeInOwnTurn(count: () => number): Promise<{ ms: number; cpuMs: number; tokens: number }> {
  collectGarbage();
  await nextTurn();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const tokens = count();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, tokens };
}

type Row = {
  kind: string;
  bytes: number;
  before: { ms: number; tokens: number | null; measured: boolean };
  after: AfterTimes;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The new counter, AFTER_RUNS times in turns of their own: median and worst (the first is cold). */
type AfterTimes = { medianMs: number; worstMs: number; worstCpuMs: number; tokens: number };

async function timeAfter(count: () => number): Promise<AfterTimes> {
  const times: number[] = [];
  let worstCpuMs = 0;
  let tokens = 0;
  for (let run = 0; run < AFTER_RUNS; run++) {
    const timed = await timeInOwnTurn(count);
    times.push(timed.ms);
    worstCpuMs = Math.max(worstCpuMs, timed.cpuMs);
    tokens = timed.tokens;
  }
  return { medianMs: median(times), worstMs: Math.max(...times), worstCpuMs, tokens };
}

async function measureKind(kind: Kind): Promise<Row[]> {
  const rows: Row[] = [];
  let lastBefore: { bytes: number; ms: number } | null = null;
  for (const bytes of SIZES_BYTES) {
    const text = textOf(kind, bytes);
    // The new counter first, so the library's merge cache has not seen this text yet.
    const after = await timeAfter(() => countTokens(text));
    let before: Row["before"];
    const predictedMs = lastBefore ? lastBefore.ms * (bytes / lastBefore.bytes) ** 2 : 0;
    if (IS_AFTER_ONLY) {
      before = { ms: Number.NaN, tokens: null, measured: false };
    } else if (predictedMs > BEFORE_CAP_MS) {
      before = { ms: predictedMs, tokens: null, measured: false };
    } else {
      const timed = await timeInOwnTurn(() => countO200kTokens(text));
      before = { ms: timed.ms, tokens: timed.tokens, measured: true };
      lastBefore = { bytes, ms: timed.ms };
    }
    rows.push({ kind: kind.name, bytes, before, after });
    console.log(`${kind.name}, ${bytes} B: before ${before.ms.toFixed(1)} ms${before.measured ? "" : " (extrapolated)"}, after ${after.medianMs.toFixed(1)} / ${after.worstMs.toFixed(1)} ms; tokens ${before.tokens ?? "—"} → ${after.tokens}`);
  }
  return rows;
}

/** The gateway counts every message and the tools of one request in one turn: 2 MiB over 64 messages. */
async function measureWholeRequest(kind: Kind): Promise<{ kind: string } & AfterTimes> {
  const text = textOf(kind, 2048 * KIB);
  const perMessage = Math.ceil(text.length / 64);
  const messages = Array.from({ length: 64 }, (_, i) => ({ role: "user", content: text.slice(i * perMessage, (i + 1) * perMessage) }));
  return { kind: kind.name, ...(await timeAfter(() => estimateInputTokens(messages, countTokens))) };
}

const formatMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : ms.toFixed(1));
const formatSize = (bytes: number) => (bytes >= 1024 * KIB ? `${bytes / (1024 * KIB)} MiB` : `${bytes / KIB} KiB`);
const formatCount = (n: number) => n.toLocaleString("en-US");

function report(rows: Row[], requests: Awaited<ReturnType<typeof measureWholeRequest>>[], probes: number[], date: string): string {
  const worstAfter = Math.max(...rows.map((r) => r.after.worstMs), ...requests.map((r) => r.worstMs));
  const lines = [
    `## Event-loop block of token counting — ${date}`,
    "",
    "`node --expose-gc --import tsx --conditions=react-server scripts/bench/event-loop-block.ts` (a full GC before each timing, so the bench's own garbage is not counted): the time one call to count a prompt's tokens holds the event loop, in a turn of its own (ms). Before: gpt-tokenizer's o200k `countTokens` on the whole text, as the gateway counted until this change (~ marks a time extrapolated quadratically from the last size measured, not run because it would take over " +
      `${formatMs(BEFORE_CAP_MS)}). After: \`lib/server/routing/tokenizer.ts\`, median / worst of ${AFTER_RUNS} runs, the first one on text no cache has seen. Target: ≤ ${TARGET_MS} ms whatever the content (✓ met, ✗ missed, on the worst wall time). CPU ms is the CPU time the process spent in the call (GC threads included): when it is far below the wall time, the OS had paused the process (other work on the 2 shared cores). Tokens: before → after (the same where the text is counted exactly).`,
    "",
    "| content | size | before ms | after ms, median / worst (worst CPU ms) | tokens before → after |",
    "|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.kind} | ${formatSize(r.bytes)} | ${r.before.measured ? "" : "~"}${formatMs(r.before.ms)} | ${formatMs(r.after.medianMs)} / ${formatMs(r.after.worstMs)} (${formatMs(r.after.worstCpuMs)}) ${r.after.worstMs <= TARGET_MS ? "✓" : "✗"} | ${r.before.tokens === null ? "—" : formatCount(r.before.tokens)} → ${formatCount(r.after.tokens)} |`,
    ),
    "",
    "A whole request: `estimateInputTokens` (what the gateway sizes the hold from) over 2 MiB split into 64 user messages, counted in one turn:",
    "",
    "| content | after ms, median / worst (worst CPU ms) | tokens |",
    "|---|---|---|",
    ...requests.map((r) => `| ${r.kind} | ${formatMs(r.medianMs)} / ${formatMs(r.worstMs)} (${formatMs(r.worstCpuMs)}) ${r.worstMs <= TARGET_MS ? "✓" : "✗"} | ${formatCount(r.tokens)} |`),
    "",
    `Worst block after: ${formatMs(worstAfter)} ms. CPU probe at the start and the end of the run: ${probes.map((p) => p.toFixed(1)).join(" and ")} ms (the routing section's loop).`,
  ];
  return lines.join("\n");
}

function writeReport(text: string) {
  const file = path.join(root, "docs/benchmarks.md");
  const current = readFileSync(file, "utf8");
  const start = current.indexOf(REPORT_START);
  const end = current.indexOf(REPORT_END);
  const generated = `${REPORT_START}\n${text}\n${REPORT_END}`;
  writeFileSync(file, start >= 0 && end > start ? current.slice(0, start) + generated + current.slice(end + REPORT_END.length) : `${current.trimEnd()}\n\n${generated}\n`);
}

async function main() {
  const probes = [cpuProbeMs()];
  const rows: Row[] = [];
  const allKinds = kinds();
  for (const kind of allKinds) rows.push(...(await measureKind(kind)));
  const requests = [];
  for (const kind of allKinds) requests.push(await measureWholeRequest(kind));
  probes.push(cpuProbeMs());
  const text = report(rows, requests, probes, new Date().toISOString().slice(0, 10));
  console.log(`\n${text}`);
  if (process.env.BENCH_BLOCK_WRITE !== "0" && !IS_AFTER_ONLY) writeReport(text);
}

runIfScript(import.meta.filename, main);
