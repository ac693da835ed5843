import "@/lib/server/server-only";
import { hashPassword } from "@/lib/server/auth/passwords";
import { createApiKey } from "@/lib/server/services/api-keys";
import { demoKeyBytes, demoKeyLabel } from "./demo-api-keys";
import type { Db } from "@/lib/server/db/client";
import { freezeCredits, issueCredits, openStartupAccounts, pledgeCredits, recordUsageBatch } from "@/lib/server/ledger/ledger";
import { DEMO_ACCOUNTS, DEMO_API_KEYS } from "./demo-accounts";
import { seedDemoPayments } from "./demo-payments";
import { allocatePaymentToInstallments, buildInstallmentSchedule, installmentStatuses } from "@/lib/domain/loans/schedule";
import { formatBps, formatMicros } from "@/lib/domain/money";
import { freezeNotice, marginCallNotice, type NotificationDraft } from "@/lib/domain/startup/notifications";
import { randomFor, type Random } from "./random";

/**
 * The demo world: a platform, two lenders, eight startups with 120 days of usage, a year of GPU
 * index fixes and loans in every state. Deterministic for a given `now` (fixed seed, all times
 * relative to `now`, UTC days); only database ids and the ledger's own timestamps differ between
 * runs. Credits move only through the ledger services; usage events go in with multi-row INSERTs.
 *
 * How the loans land on their coverage: each active loan has waypoints (coverage at a time); the
 * collateral each waypoint implies (coverage × debt / mark) fixes how much of the loan's credits the
 * startup burns between waypoints, and that burn becomes the day's usage budget. Origination sets
 * the collateral: P × multiplier financed plus every purchased credit left, pledged.
 */

export type DemoWorldOptions = {
  now: Date;
  onProgress?: (message: string) => void;
  /** 1 = the full world (~hundreds of thousands of usage events); tests pass e.g. 0.02. Money is not scaled. */
  scale?: number;
  /** Detected when omitted. */
  provider?: "sqlite" | "postgresql";
};

export type DemoWorldSummary = {
  seconds: number;
  counts: Record<string, number>;
  loans: { reference: string; startup: string; state: string; coverageBps: number | null }[];
};

const SEED = 20_261_125;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const HISTORY_DAYS = 120;
const INDEX_DAYS = 365;
const USD = 1_000_000n;
const FEE_BPS = 1_500;

// ───────────────────────────── Catalogue ─────────────────────────────

type ModelSpec = {
  slug: string;
  displayName: string;
  kind: "chat" | "embedding";
  ownedBy: string;
  contextWindow: number;
  inPrice: bigint; // µUSD per million tokens, on the primary simulator route
  outPrice: bigint;
  upstream: { provider: "openai" | "anthropic" | "together"; model: string };
  tokensPerSecond: number;
};

const MODELS: ModelSpec[] = [
  { slug: "llama-3.1-8b-instruct", displayName: "Llama 3.1 8B Instruct", kind: "chat", ownedBy: "meta", contextWindow: 131_072, inPrice: 180_000n, outPrice: 180_000n, upstream: { provider: "together", model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo" }, tokensPerSecond: 160 },
  { slug: "llama-3.1-70b-instruct", displayName: "Llama 3.1 70B Instruct", kind: "chat", ownedBy: "meta", contextWindow: 131_072, inPrice: 880_000n, outPrice: 880_000n, upstream: { provider: "together", model: "meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo" }, tokensPerSecond: 85 },
  { slug: "llama-3.1-405b-instruct", displayName: "Llama 3.1 405B Instruct", kind: "chat", ownedBy: "meta", contextWindow: 131_072, inPrice: 3_500_000n, outPrice: 3_500_000n, upstream: { provider: "together", model: "meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo" }, tokensPerSecond: 35 },
  { slug: "mixtral-8x22b-instruct", displayName: "Mixtral 8x22B Instruct", kind: "chat", ownedBy: "mistralai", contextWindow: 65_536, inPrice: 1_200_000n, outPrice: 1_200_000n, upstream: { provider: "together", model: "mistralai/Mixtral-8x22B-Instruct-v0.1" }, tokensPerSecond: 70 },
  { slug: "qwen2.5-72b-instruct", displayName: "Qwen2.5 72B Instruct", kind: "chat", ownedBy: "qwen", contextWindow: 32_768, inPrice: 1_200_000n, outPrice: 1_200_000n, upstream: { provider: "together", model: "Qwen/Qwen2.5-72B-Instruct-Turbo" }, tokensPerSecond: 75 },
  { slug: "gpt-4o-mini", displayName: "GPT-4o mini", kind: "chat", ownedBy: "openai", contextWindow: 128_000, inPrice: 150_000n, outPrice: 600_000n, upstream: { provider: "openai", model: "gpt-4o-mini" }, tokensPerSecond: 110 },
  { slug: "claude-haiku-sim", displayName: "Claude Haiku (simulated)", kind: "chat", ownedBy: "anthropic", contextWindow: 200_000, inPrice: 800_000n, outPrice: 4_000_000n, upstream: { provider: "anthropic", model: "claude-3-5-haiku-latest" }, tokensPerSecond: 120 },
  { slug: "claude-sonnet-sim", displayName: "Claude Sonnet (simulated)", kind: "chat", ownedBy: "anthropic", contextWindow: 200_000, inPrice: 3_000_000n, outPrice: 15_000_000n, upstream: { provider: "anthropic", model: "claude-sonnet-4-5" }, tokensPerSecond: 60 },
  { slug: "text-embedding-small", displayName: "Text Embedding Small", kind: "embedding", ownedBy: "openai", contextWindow: 8_191, inPrice: 20_000n, outPrice: 0n, upstream: { provider: "openai", model: "text-embedding-3-small" }, tokensPerSecond: 0 },
];
const MODEL_BY_SLUG = new Map(MODELS.map((m) => [m.slug, m]));

/** The fallback simulator is 5% cheaper, so the CHEAPEST policy has something to choose. */
function backupPrice(price: bigint): bigint {
  return (price * 95n) / 100n;
}

/** DESIGN.md: ceil((in × inPrice + out × outPrice) / 1e6) µUSD. */
function requestCostMicros(inputTokens: number, outputTokens: number, inPrice: bigint, outPrice: bigint): bigint {
  const numerator = BigInt(inputTokens) * inPrice + BigInt(outputTokens) * outPrice;
  return (numerator + 999_999n) / 1_000_000n;
}

// ───────────────────────────── Startups ─────────────────────────────

type MixEntry = { model: string; weight: number; inMedian: number; outMedian: number };

type StartupProfile = {
  slug: string;
  name: string;
  /** Usage budget in USD/day before any loan: grows from `spendStart` to `spendEnd` over the history. */
  spendStart: number;
  spendEnd: number;
  weekendFactor: number;
  mix: MixEntry[];
  /** Share of traffic the fallback simulator serves on an ordinary day. */
  backupShare: number;
};

// Token sizes are long-context agent and batch workloads: the borrowers spend hundreds to thousands
// of dollars a day, and a few thousand rows a day have to carry that.
const STARTUPS: StartupProfile[] = [
  {
    slug: "acme-ai",
    name: "Acme AI",
    spendStart: 140,
    spendEnd: 300,
    weekendFactor: 0.62,
    backupShare: 0.08,
    mix: [
      { model: "claude-sonnet-sim", weight: 60, inMedian: 150_000, outMedian: 3_000 },
      { model: "llama-3.1-70b-instruct", weight: 9, inMedian: 70_000, outMedian: 1_500 },
      { model: "claude-haiku-sim", weight: 7, inMedian: 90_000, outMedian: 2_400 },
      { model: "gpt-4o-mini", weight: 5, inMedian: 50_000, outMedian: 1_000 },
      { model: "llama-3.1-8b-instruct", weight: 3, inMedian: 20_000, outMedian: 600 },
      { model: "text-embedding-small", weight: 4, inMedian: 6_000, outMedian: 0 },
    ],
  },
  {
    slug: "lumen-labs",
    name: "Lumen Labs",
    spendStart: 90,
    spendEnd: 190,
    weekendFactor: 0.7,
    backupShare: 0.1,
    mix: [
      { model: "llama-3.1-405b-instruct", weight: 42, inMedian: 112_000, outMedian: 2_000 },
      { model: "claude-sonnet-sim", weight: 30, inMedian: 140_000, outMedian: 2_600 },
      { model: "qwen2.5-72b-instruct", weight: 6, inMedian: 16_000, outMedian: 1_200 },
      { model: "llama-3.1-70b-instruct", weight: 5, inMedian: 60_000, outMedian: 1_200 },
      { model: "text-embedding-small", weight: 7, inMedian: 6_000, outMedian: 0 },
    ],
  },
  {
    slug: "vectorly",
    name: "Vectorly",
    spendStart: 100,
    spendEnd: 210,
    weekendFactor: 0.8,
    backupShare: 0.07,
    mix: [
      { model: "llama-3.1-405b-instruct", weight: 46, inMedian: 112_000, outMedian: 1_800 },
      { model: "claude-sonnet-sim", weight: 26, inMedian: 145_000, outMedian: 2_400 },
      { model: "mixtral-8x22b-instruct", weight: 8, inMedian: 45_000, outMedian: 1_200 },
      { model: "llama-3.1-70b-instruct", weight: 5, inMedian: 60_000, outMedian: 1_000 },
      { model: "text-embedding-small", weight: 6, inMedian: 7_000, outMedian: 0 },
    ],
  },
  {
    slug: "parsec-robotics",
    name: "Parsec Robotics",
    spendStart: 120,
    spendEnd: 220,
    weekendFactor: 0.85,
    backupShare: 0.09,
    mix: [
      { model: "claude-sonnet-sim", weight: 62, inMedian: 155_000, outMedian: 3_500 },
      { model: "llama-3.1-405b-instruct", weight: 26, inMedian: 90_000, outMedian: 2_000 },
      { model: "qwen2.5-72b-instruct", weight: 4, inMedian: 16_000, outMedian: 1_200 },
      { model: "llama-3.1-8b-instruct", weight: 2, inMedian: 20_000, outMedian: 700 },
      { model: "text-embedding-small", weight: 2, inMedian: 5_000, outMedian: 0 },
    ],
  },
  {
    slug: "quill-health",
    name: "Quill Health",
    spendStart: 60,
    spendEnd: 140,
    weekendFactor: 0.5,
    backupShare: 0.06,
    mix: [
      { model: "claude-sonnet-sim", weight: 30, inMedian: 80_000, outMedian: 2_500 },
      { model: "claude-haiku-sim", weight: 15, inMedian: 70_000, outMedian: 2_000 },
      { model: "llama-3.1-70b-instruct", weight: 9, inMedian: 50_000, outMedian: 1_400 },
      { model: "gpt-4o-mini", weight: 5, inMedian: 40_000, outMedian: 1_000 },
      { model: "text-embedding-small", weight: 6, inMedian: 4_000, outMedian: 0 },
    ],
  },
  // Two applicants without loans, appended last (each startup's usage has its own random stream,
  // so the ones above are unchanged): Orbital asks for more than the four-eyes threshold, Tessera
  // for too little coverage (no pledge) — the approval queue's demo.
  {
    slug: "orbital-genomics",
    name: "Orbital Genomics",
    spendStart: 70,
    spendEnd: 150,
    weekendFactor: 0.75,
    backupShare: 0.06,
    mix: [
      { model: "llama-3.1-405b-instruct", weight: 40, inMedian: 90_000, outMedian: 1_600 },
      { model: "claude-sonnet-sim", weight: 30, inMedian: 110_000, outMedian: 2_200 },
      { model: "text-embedding-small", weight: 10, inMedian: 6_000, outMedian: 0 },
    ],
  },
  {
    slug: "tessera-legal",
    name: "Tessera Legal",
    spendStart: 20,
    spendEnd: 45,
    weekendFactor: 0.4,
    backupShare: 0.05,
    mix: [
      { model: "claude-haiku-sim", weight: 40, inMedian: 60_000, outMedian: 1_500 },
      { model: "gpt-4o-mini", weight: 20, inMedian: 30_000, outMedian: 900 },
      { model: "text-embedding-small", weight: 8, inMedian: 4_000, outMedian: 0 },
    ],
  },
  // A second borrower in margin call (Kestrel's; Vectorly's is Northwind's), appended last for the
  // same reason: the lender's desk e2e spec freezes Vectorly's loan, the startup specs cure this one.
  {
    slug: "halcyon-voice",
    name: "Halcyon Voice",
    spendStart: 80,
    spendEnd: 170,
    weekendFactor: 0.65,
    backupShare: 0.08,
    mix: [
      { model: "claude-sonnet-sim", weight: 38, inMedian: 120_000, outMedian: 2_200 },
      { model: "llama-3.1-70b-instruct", weight: 22, inMedian: 60_000, outMedian: 1_400 },
      { model: "gpt-4o-mini", weight: 14, inMedian: 30_000, outMedian: 800 },
      { model: "claude-haiku-sim", weight: 10, inMedian: 50_000, outMedian: 1_200 },
      { model: "text-embedding-small", weight: 5, inMedian: 5_000, outMedian: 0 },
    ],
  },
];

/**
 * Every seeded request came in on an API key, as the gateway records it: the startup's README key
 * (DEMO_API_KEYS) or, for an applicant without one, a "Production" key. The busier borrowers also
 * run a "Batch jobs" key from `fromDay` of the history on, taking `share` of the chat requests and
 * `embeddingShare` of the embeddings. The extra keys come from fixed labels too (the same hash on
 * every run); their plaintexts are published nowhere.
 */
type BatchKeyPlan = { share: number; embeddingShare: number; fromDay: number };
const BATCH_KEYS: Record<string, BatchKeyPlan> = {
  "acme-ai": { share: 0.22, embeddingShare: 0.8, fromDay: 20 },
  "lumen-labs": { share: 0.18, embeddingShare: 0.75, fromDay: 35 },
  vectorly: { share: 0.3, embeddingShare: 0.9, fromDay: 12 },
  "parsec-robotics": { share: 0.25, embeddingShare: 0.7, fromDay: 8 },
  "halcyon-voice": { share: 0.15, embeddingShare: 0.8, fromDay: 40 },
};
const README_KEY_NAME = "Demo key (listed in the README)";

// ───────────────────────────── Time helpers ─────────────────────────────

function utcDayStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function addMonthsUtc(ms: number, months: number): number {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

function usd(amount: number): bigint {
  return BigInt(Math.round(amount)) * USD;
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

// ───────────────────────────── GPU index ─────────────────────────────

type IndexFix = { day: string; ms: number; priceMicros: bigint };

/** A year of synthetic H100 $/GPU-hour: a gentle downtrend from ~$2.56 to ~$2.16, weekly seasonality, AR(1) noise. */
function buildGpuIndex(todayStartMs: number): IndexFix[] {
  const rng = randomFor(SEED, "gpu-index");
  const weekly = [-0.022, 0.012, 0.016, 0.011, 0.006, -0.004, -0.026]; // Sunday..Saturday
  const fixes: IndexFix[] = [];
  let noise = 0;
  for (let i = 0; i < INDEX_DAYS; i++) {
    const ms = todayStartMs - (INDEX_DAYS - 1 - i) * DAY_MS;
    const t = i / (INDEX_DAYS - 1);
    const trend = 2.56 - 0.4 * Math.pow(t, 1.25);
    noise = 0.82 * noise + 0.016 * rng.normal();
    const price = Math.min(2.66, Math.max(2.05, trend + weekly[new Date(ms).getUTCDay()] + noise));
    fixes.push({ day: dayKey(ms), ms, priceMicros: BigInt(Math.round(price * 10_000)) * 100n });
  }
  return fixes;
}

// ───────────────────────────── Loans ─────────────────────────────

type Waypoint = { at: number; coverageBps: number };

type ActiveLoanPlan = {
  startup: string;
  reference: string;
  lender: "northwind" | "kestrel";
  state: "ACTIVE" | "MARGIN_CALL" | "FROZEN";
  principal: bigint;
  multiplierBps: number;
  termMonths: number;
  aprBps: number;
  activatedAt: number;
  /** Coverage at activation: sets the collateral, so how much the startup may burn before the first waypoint. */
  originationCoverageBps: number;
  waypoints: Waypoint[];
  purpose: string;
  marginCallAt?: number;
  /**
   * The lender froze all of the loan's collateral (a FULL freeze): the borrower pledged all its own
   * credits, so from this moment nothing is spendable and its API answers 402 credits_frozen — no
   * usage after it. The last waypoint is the freeze.
   */
  freezeAt?: number;
};

type Installment = { seq: number; dueMs: number; amount: bigint; principal: bigint; interest: bigint };

/** The reason approveApplication records (lib/server/loans/approve.ts). */
function approvalReason(facilityName: string, aprBps: number, multiplierBps: number): string {
  return `Approved on facility "${facilityName}" at ${formatBps(aprBps)} APR, ${multiplierBps / 10_000}×.`;
}

/** The contract's installments, exactly as the app plans them (lib/domain/loans/schedule.ts). */
function installmentSchedule(principal: bigint, aprBps: number, termMonths: number, activatedAt: number): Installment[] {
  return buildInstallmentSchedule({ principalMicros: principal, aprBps, termMonths, startDate: activatedAt }).map((row) => ({
    seq: row.seq,
    dueMs: row.dueDate.getTime(),
    amount: row.amountMicros,
    principal: row.principalMicros,
    interest: row.interestMicros,
  }));
}

type DebtState = {
  principalOutstanding: bigint;
  accruedInterest: bigint;
  accruedThroughMs: number;
  payments: { seq: number; at: number; amount: bigint; interest: bigint; principal: bigint }[];
};

/**
 * Debt at `untilMs`: simple interest accrues daily (APR/365 on principal outstanding, whole days since
 * activation); each installment is paid on its due date, interest first, then principal.
 */
function debtAt(loan: ActiveLoanPlan, schedule: Installment[], untilMs: number): DebtState {
  const perDayDivisor = 3_650_000n; // 365 days × 10,000 bps
  let principalOutstanding = loan.principal;
  let accruedScaled = 0n; // Σ principal × aprBps, in µUSD·bps per day
  const payments: DebtState["payments"] = [];
  const days = Math.max(0, Math.floor((untilMs - loan.activatedAt) / DAY_MS));
  let next = 0;
  for (let day = 1; day <= days; day++) {
    const boundary = loan.activatedAt + day * DAY_MS;
    accruedScaled += principalOutstanding * BigInt(loan.aprBps);
    while (next < schedule.length && schedule[next].dueMs <= boundary) {
      const installment = schedule[next++];
      // Floored, the sub-µUSD rest carried on, as the app accrues (accrueInterest in lib/domain/loans/schedule.ts).
      const accrued = accruedScaled / perDayDivisor;
      const isLast = installment.seq === schedule.length;
      const amount = isLast ? accrued + principalOutstanding : installment.amount;
      const interest = accrued < amount ? accrued : amount;
      let principal = amount - interest;
      if (principal > principalOutstanding) principal = principalOutstanding;
      accruedScaled -= interest * perDayDivisor;
      principalOutstanding -= principal;
      payments.push({ seq: installment.seq, at: installment.dueMs, amount: interest + principal, interest, principal });
    }
  }
  const accruedInterest = accruedScaled > 0n ? accruedScaled / perDayDivisor : 0n;
  return { principalOutstanding, accruedInterest, accruedThroughMs: loan.activatedAt + days * DAY_MS, payments };
}

/** Mark per 1 USD of credits, in ppm: min(1, index_now / index_at_origination) × (1 − fee). */
function markPpm(indexNow: bigint, indexAtOrigination: bigint): bigint {
  const ratio = indexNow >= indexAtOrigination ? 1_000_000n : (indexNow * 1_000_000n) / indexAtOrigination;
  return (ratio * BigInt(10_000 - FEE_BPS)) / 10_000n;
}

function coverageBps(collateral: bigint, debt: bigint, mark: bigint): number | null {
  if (debt <= 0n) return null;
  return Number((collateral * mark) / (debt * 100n));
}

/** The collateral at which coverage is exactly `bps`. */
function collateralForCoverage(bps: number, debt: bigint, mark: bigint): bigint {
  return ceilDiv(BigInt(bps) * debt * 100n, mark);
}

// ───────────────────────────── Usage generation ─────────────────────────────

type EventSink = { push(row: EventRow): void };
type EventRow = {
  id: string;
  orgId: string;
  requestId: string;
  modelSlug: string;
  providerSlug: string;
  endpoint: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: bigint;
  latencyMs: number;
  status: string;
  createdAt: number;
  apiKeyId: string | null;
};

type Rollup = { orgId: string; day: string; modelSlug: string; providerSlug: string; requests: number; inputTokens: bigint; outputTokens: bigint; costMicros: bigint };

const HOURLY_WEIGHTS = [3, 2, 2, 2, 2, 3, 4, 6, 8, 10, 11, 12, 12, 13, 14, 14, 13, 12, 10, 8, 7, 6, 5, 4];

function expectedCostMicros(profile: StartupProfile): number {
  const total = profile.mix.reduce((s, m) => s + m.weight, 0);
  let cost = 0;
  for (const entry of profile.mix) {
    const model = MODEL_BY_SLUG.get(entry.model)!;
    // Means of the log-normals below: median × exp(σ²/2).
    const tokensIn = entry.inMedian * Math.exp(0.45 ** 2 / 2);
    const tokensOut = entry.outMedian * Math.exp(0.5 ** 2 / 2);
    cost += (entry.weight / total) * ((tokensIn * Number(model.inPrice) + tokensOut * Number(model.outPrice)) / 1e6);
  }
  return cost;
}

/** Like a cuid: time first, so consecutive inserts land next to each other in the indexes. */
function timeOrderedId(prefix: string, ms: number, rng: Random): string {
  return `${prefix}${ms.toString(36).padStart(9, "0")}${rng.token(15)}`;
}

type DraftEvent = { model: ModelSpec; provider: string; inTokens: number; outTokens: number; status: string; at: number; tps: number };

/**
 * One organisation's usage for one day (or, today, up to `endMs`): about `budgetMicros` of cost. The
 * request count follows the profile's typical request size; token counts are then scaled so the
 * day's total lands on the budget.
 */
function generateDay(args: {
  rng: Random;
  profile: StartupProfile;
  orgId: string;
  dayStartMs: number;
  endMs: number;
  budgetMicros: bigint;
  scale: number;
  backupShare: number;
  sink: EventSink;
  rollups: Map<string, Rollup>;
  /** The API key a request came in on; draws from its own random stream, never from `rng`. */
  keyFor: (kind: ModelSpec["kind"], atMs: number) => string | null;
}): bigint {
  const { rng, profile, budgetMicros } = args;
  if (budgetMicros <= 0n) return 0n;
  const expected = expectedCostMicros(profile);
  const count = Math.max(1, Math.round((Number(budgetMicros) / expected) * args.scale));
  const span = args.endMs - args.dayStartMs;
  const hours = Math.max(1, Math.ceil(span / HOUR_MS));
  const hourWeights = HOURLY_WEIGHTS.slice(0, hours).map((weight, hour) => ({ value: hour, weight }));
  const mix = profile.mix.map((entry) => ({ value: entry, weight: entry.weight }));
  const drafts: (DraftEvent & { entry: MixEntry })[] = [];
  let billableOut = 0;
  for (let i = 0; i < count; i++) {
    const entry = rng.weighted(mix);
    const model = MODEL_BY_SLUG.get(entry.model)!;
    const roll = rng.next();
    const status = roll < 0.006 ? "error" : roll < 0.01 ? "aborted" : "ok";
    let inTokens = Math.max(8, Math.round(rng.logNormal(entry.inMedian, 0.45)));
    let outTokens = model.kind === "embedding" ? 0 : Math.max(1, Math.round(rng.logNormal(entry.outMedian, 0.5)));
    if (status === "aborted") outTokens = Math.max(1, Math.round(outTokens * rng.float(0.1, 0.6)));
    if (status === "error") outTokens = 0;
    const hour = rng.weighted(hourWeights);
    let at = args.dayStartMs + hour * HOUR_MS + Math.floor(rng.next() * HOUR_MS);
    if (at >= args.endMs) at = args.dayStartMs + Math.floor(rng.next() * span);
    const provider = rng.chance(args.backupShare) ? "simulator-backup" : "simulator";
    inTokens = Math.min(inTokens, model.contextWindow - outTokens);
    if (status !== "error") {
      billableOut += outTokens * Number(provider === "simulator" ? model.outPrice : backupPrice(model.outPrice));
    }
    drafts.push({ entry, model, provider, inTokens, outTokens, status, at, tps: model.tokensPerSecond * rng.float(0.7, 1.25) });
  }
  // Scale input tokens (and, if outputs alone overshoot, outputs too) so Σ cost ≈ budget. Inputs are
  // capped by the context window; the others take up what the capped ones cannot (water-filling).
  // At small scales fewer rows carry the same money, so context windows stretch accordingly.
  const contextStretch = args.scale < 1 ? 1 / args.scale : 1;
  const target = Number(budgetMicros) * 1e6;
  let outFactor = 1;
  if (billableOut >= target * 0.95) outFactor = (target * 0.5) / billableOut;
  const inPriceOf = (draft: DraftEvent) => Number(draft.provider === "simulator" ? draft.model.inPrice : backupPrice(draft.model.inPrice));
  const limitOf = (draft: DraftEvent) => Math.floor(draft.model.contextWindow * contextStretch) - draft.outTokens;
  const capped = new Set<number>();
  let inFactor = 1;
  for (let pass = 0; pass < 6; pass++) {
    let fixed = billableOut * outFactor;
    let scalable = 0;
    drafts.forEach((draft, i) => {
      if (draft.status === "error") return;
      if (capped.has(i)) fixed += limitOf(draft) * inPriceOf(draft);
      else scalable += draft.inTokens * inPriceOf(draft);
    });
    inFactor = scalable > 0 ? Math.max(0.01, (target - fixed) / scalable) : 1;
    let changed = false;
    drafts.forEach((draft, i) => {
      if (draft.status !== "error" && !capped.has(i) && draft.inTokens * inFactor > limitOf(draft)) {
        capped.add(i);
        changed = true;
      }
    });
    if (!changed) break;
  }
  drafts.sort((a, b) => a.at - b.at);
  let total = 0n;
  for (const draft of drafts) {
    const model = draft.model;
    const outTokens = draft.outTokens === 0 ? 0 : Math.max(1, Math.round(draft.outTokens * outFactor));
    const inTokens = Math.max(1, Math.min(limitOf(draft), Math.round(draft.inTokens * inFactor)));
    const inPrice = draft.provider === "simulator" ? model.inPrice : backupPrice(model.inPrice);
    const outPrice = draft.provider === "simulator" ? model.outPrice : backupPrice(model.outPrice);
    const cost = draft.status === "error" ? 0n : requestCostMicros(inTokens, outTokens, inPrice, outPrice);
    const latencyMs =
      draft.status === "error"
        ? args.rng.int(40, 900)
        : model.kind === "embedding"
          ? args.rng.int(25, 60) + Math.round(inTokens / 400)
          : args.rng.int(180, 650) + Math.round((outTokens / draft.tps) * 1000);
    total += cost;
    args.sink.push({
      id: timeOrderedId("c", draft.at, args.rng),
      orgId: args.orgId,
      requestId: timeOrderedId("req_", draft.at, args.rng),
      modelSlug: model.slug,
      providerSlug: draft.provider,
      endpoint: model.kind === "embedding" ? "embeddings" : "chat.completions",
      inputTokens: inTokens,
      outputTokens: outTokens,
      costMicros: cost,
      latencyMs,
      status: draft.status,
      createdAt: draft.at,
      apiKeyId: args.keyFor(model.kind, draft.at),
    });
    const key = `${dayKey(args.dayStartMs)}|${model.slug}|${draft.provider}`;
    let rollup = args.rollups.get(key);
    if (!rollup) {
      rollup = { orgId: args.orgId, day: dayKey(args.dayStartMs), modelSlug: model.slug, providerSlug: draft.provider, requests: 0, inputTokens: 0n, outputTokens: 0n, costMicros: 0n };
      args.rollups.set(key, rollup);
    }
    rollup.requests++;
    rollup.inputTokens += BigInt(inTokens);
    rollup.outputTokens += BigInt(outTokens);
    rollup.costMicros += cost;
  }
  return total;
}

// ───────────────────────────── Bulk insert ─────────────────────────────

const EVENT_COLUMNS = ["id", "orgId", "requestId", "modelSlug", "providerSlug", "endpoint", "inputTokens", "outputTokens", "costMicros", "latencyMs", "status", "createdAt", "apiKeyId"] as const;

const UNNEST_INSERT = `INSERT INTO "UsageEvent" (${EVENT_COLUMNS.map((c) => `"${c}"`).join(", ")})
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::bigint[], $10::int[], $11::text[], $12::timestamptz[], $13::text[])`;

class EventWriter implements EventSink {
  private buffer: EventRow[] = [];
  private pending: EventRow[][] = [];
  written = 0;
  pushed = 0;
  // SQLite allows 32,766 bound parameters per statement, PostgreSQL 65,535.
  private readonly rowsPerStatement: number;
  private readonly statementsPerTransaction = 20;

  constructor(
    private readonly db: Db,
    private readonly provider: "sqlite" | "postgresql",
  ) {
    // SQLite: ~1,000 rows a statement measured fastest (and its limit is 32,766 parameters).
    this.rowsPerStatement = provider === "sqlite" ? Math.min(1_000, Math.floor(32_766 / EVENT_COLUMNS.length)) : 5_000;
  }

  push(row: EventRow) {
    this.pushed++;
    this.buffer.push(row);
    if (this.buffer.length >= this.rowsPerStatement) {
      this.pending.push(this.buffer);
      this.buffer = [];
    }
  }

  /** Writes the complete statements gathered so far (all of them when `final`). */
  async flush(final = false) {
    if (final && this.buffer.length) {
      this.pending.push(this.buffer);
      this.buffer = [];
    }
    while (this.pending.length >= (final ? 1 : this.statementsPerTransaction)) {
      const batch = this.pending.splice(0, this.statementsPerTransaction);
      await this.db.$transaction(
        async (tx) => {
          for (const rows of batch) {
            if (this.provider === "postgresql") await tx.$executeRawUnsafe(UNNEST_INSERT, ...this.columns(rows));
            else await tx.$executeRawUnsafe(this.sql(rows.length), ...this.params(rows));
          }
        },
        { timeout: 600_000, maxWait: 60_000 },
      );
      this.written += batch.reduce((sum, rows) => sum + rows.length, 0);
    }
  }

  private sqlCache = new Map<number, string>();
  private sql(rowCount: number): string {
    let sql = this.sqlCache.get(rowCount);
    if (sql) return sql;
    const columns = EVENT_COLUMNS.map((c) => `"${c}"`).join(", ");
    const width = EVENT_COLUMNS.length;
    const tuples: string[] = [];
    for (let r = 0; r < rowCount; r++) {
      const placeholders: string[] = [];
      for (let c = 0; c < width; c++) placeholders.push(this.provider === "sqlite" ? "?" : `$${r * width + c + 1}`);
      tuples.push(`(${placeholders.join(",")})`);
    }
    sql = `INSERT INTO "UsageEvent" (${columns}) VALUES ${tuples.join(",")}`;
    this.sqlCache.set(rowCount, sql);
    return sql;
  }

  /** PostgreSQL: one array per column, unnested server-side — 13 parameters however many rows. */
  private columns(rows: EventRow[]): unknown[] {
    return [
      rows.map((r) => r.id),
      rows.map((r) => r.orgId),
      rows.map((r) => r.requestId),
      rows.map((r) => r.modelSlug),
      rows.map((r) => r.providerSlug),
      rows.map((r) => r.endpoint),
      rows.map((r) => r.inputTokens),
      rows.map((r) => r.outputTokens),
      rows.map((r) => r.costMicros.toString()),
      rows.map((r) => r.latencyMs),
      rows.map((r) => r.status),
      rows.map((r) => new Date(r.createdAt).toISOString()),
      rows.map((r) => r.apiKeyId),
    ];
  }

  private params(rows: EventRow[]): unknown[] {
    const out: unknown[] = new Array(rows.length * EVENT_COLUMNS.length);
    let i = 0;
    for (const row of rows) {
      const iso = new Date(row.createdAt).toISOString();
      out[i++] = row.id;
      out[i++] = row.orgId;
      out[i++] = row.requestId;
      out[i++] = row.modelSlug;
      out[i++] = row.providerSlug;
      out[i++] = row.endpoint;
      out[i++] = row.inputTokens;
      out[i++] = row.outputTokens;
      out[i++] = row.costMicros;
      out[i++] = row.latencyMs;
      out[i++] = row.status;
      // What Prisma itself writes for a DateTime: ISO-8601 text with "+00:00" on SQLite, a timestamp on PostgreSQL.
      out[i++] = this.provider === "sqlite" ? `${iso.slice(0, -1)}+00:00` : iso;
      out[i++] = row.apiKeyId;
    }
    return out;
  }
}

async function detectProvider(db: Db): Promise<"sqlite" | "postgresql"> {
  try {
    await db.$queryRawUnsafe("SELECT sqlite_version()");
    return "sqlite";
  } catch {
    return "postgresql";
  }
}

// ───────────────────────────── The world ─────────────────────────────

type LedgerOp =
  | { kind: "purchase"; orgId: string; amount: bigint; key: string; memo: string }
  | { kind: "finance"; orgId: string; amount: bigint; loanId: string; lenderOrgId: string; key: string }
  | { kind: "pledge"; orgId: string; amount: bigint; loanId: string; lenderOrgId: string }
  | { kind: "freeze"; orgId: string; amount: bigint; loanId: string; key: string }
  | { kind: "usage"; orgId: string; day: string; amount: bigint };

export async function seedDemoWorld(db: Db, options: DemoWorldOptions): Promise<DemoWorldSummary> {
  const startedAt = performance.now();
  const log = options.onProgress ?? (() => undefined);
  const scale = options.scale ?? 1;
  const now = options.now.getTime();
  const provider = options.provider ?? (await detectProvider(db));
  const todayStart = utcDayStart(now);
  const daysAgo = (days: number, hour = 0, minute = 0) => todayStart - days * DAY_MS + hour * HOUR_MS + minute * 60_000;
  const at = (ms: number) => new Date(ms);

  // ── Organisations and people
  log("Creating organisations, users and the model catalogue…");
  const passwordHash = await hashPassword(DEMO_ACCOUNTS[0].password);
  const orgIds = new Map<string, string>();
  const createOrg = async (name: string, slug: string, kind: string, createdDaysAgo: number) => {
    const org = await db.organization.create({ data: { name, slug, kind, createdAt: at(daysAgo(createdDaysAgo, 9)) } });
    orgIds.set(name, org.id);
    return org.id;
  };
  const platformId = await createOrg("Blockable", "blockable", "PLATFORM", 420);
  const northwindId = await createOrg("Northwind Credit Fund", "northwind-credit-fund", "LENDER", 400);
  const kestrelId = await createOrg("Kestrel Capital", "kestrel-capital", "LENDER", 390);
  // How each lender is repaid: its borrowers read this before declaring a payment (a demo: no real account).
  await db.organization.update({
    where: { id: northwindId },
    data: { paymentInstructions: "Bank transfer (USD) to Northwind Credit Fund LP\nBank: First Harbor Bank, New York\nAccount: 4410 2287 0093 · ABA routing: 021000089\nReference: your loan reference (BL-…), nothing else." },
  });
  await db.organization.update({
    where: { id: kestrelId },
    data: { paymentInstructions: "Wire to Kestrel Capital Partners\nBank: Meridian Trust, London · SWIFT MTRUGB2L\nIBAN: GB29 MTRU 6016 1331 9268 19\nQuote your loan reference (BL-…) and your company's name." },
  });
  const startupIds = new Map<string, string>();
  for (const [index, profile] of STARTUPS.entries()) {
    const id = await createOrg(profile.name, profile.slug, "STARTUP", 380 - index * 12);
    startupIds.set(profile.slug, id);
    await openStartupAccounts(db, id);
  }
  const userIds = new Map<string, string>();
  for (const [index, account] of DEMO_ACCOUNTS.entries()) {
    const user = await db.user.create({
      data: { orgId: orgIds.get(account.orgName)!, email: account.email, name: account.name, role: account.role, passwordHash, createdAt: at(daysAgo(370 - index * 5, 10)) },
    });
    userIds.set(account.email, user.id);
  }
  const adminId = userIds.get("admin@blockable.dev")!;
  const ctoOf = (slug: string) => {
    const orgName = STARTUPS.find((profile) => profile.slug === slug)!.name;
    return userIds.get(DEMO_ACCOUNTS.find((account) => account.orgName === orgName && account.email.startsWith("cto@"))!.email)!;
  };
  // The audit trail, as the services write it (lib/server/loans, collateral, alerts): the action,
  // the target, and the demo user who acted (system rows have none), at the seeded moment.
  const auditRows: { orgId: string | null; actorUserId: string | null; actorKind: "user" | "system"; action: string; targetType: string; targetId: string; detail: Record<string, unknown>; at: number }[] = [];
  const audit = (row: (typeof auditRows)[number]) => auditRows.push(row);
  /** What transitionLoan records for a state change: {from, to, event, reason}, plus the loan's reference. */
  const auditTransition = (input: { loanId: string; reference: string; event: string; from: string; to: string; reason: string | null; at: number; actor: { orgId: string | null; userId: string | null } }) =>
    audit({
      orgId: input.actor.orgId,
      actorUserId: input.actor.userId,
      actorKind: input.actor.userId ? "user" : "system",
      action: `loan.${input.event}`,
      targetType: "Loan",
      targetId: input.loanId,
      detail: { reference: input.reference, from: input.from, to: input.to, event: input.event, reason: input.reason },
      at: input.at,
    });
  const SYSTEM = { orgId: null, userId: null };
  // The startups' bells: what the services would have told them, at the moment it happened
  // (lib/server/notifications); dated and marked read at the end.
  type SeedNotice = { orgId: string; loanId: string | null; at: number; kind: string; severity: NotificationDraft["severity"]; title: string; body: string };
  const notices: SeedNotice[] = [];
  const notify = (notice: SeedNotice) => notices.push(notice);
  /** What transitionLoan tells the startup when a margin call opens (marginCallNotice). */
  const notifyMarginCall = (input: { orgId: string; loanId: string; reference: string; marginCallAt: number; cureDeadline: number }) => {
    const draft = marginCallNotice({ reference: input.reference, before: { marginCallAt: null }, after: { state: "MARGIN_CALL", marginCallAt: at(input.marginCallAt), cureDeadline: at(input.cureDeadline) } });
    if (draft) notify({ ...draft, orgId: input.orgId, loanId: input.loanId, at: input.marginCallAt });
  };
  /** A payment an admin recorded once the money arrived (lib/server/loans/payments.ts). */
  const auditPayment = (p: { loanId: string; reference: string; at: number; amount: bigint; interest: bigint; principal: bigint }) =>
    audit({ orgId: platformId, actorUserId: adminId, actorKind: "user", action: "loan.payment", targetType: "Loan", targetId: p.loanId, detail: { reference: p.reference, amountMicros: p.amount, interestMicros: p.interest, principalMicros: p.principal }, at: p.at });
  // API keys: created now, dated (createdAt, spend, last use) once the usage they carried is known.
  const firstDay = todayStart - (HISTORY_DAYS - 1) * DAY_MS;
  type SeededKey = { id: string; createdAt: number; spent: bigint; lastUsedAt: number | null };
  const seededKeys = new Map<string, SeededKey>();
  const keysOf = new Map<string, { main: string; batch: { id: string; plan: BatchKeyPlan } | null }>();
  const createSeededKey = async (slug: string, name: string, label: string, createdAt: number) => {
    const { apiKey, plaintext } = await createApiKey(db, { orgId: startupIds.get(slug)!, createdById: ctoOf(slug), name }, { randomBytes: demoKeyBytes(label) });
    seededKeys.set(apiKey.id, { id: apiKey.id, createdAt, spent: 0n, lastUsedAt: null });
    return { id: apiKey.id, plaintext };
  };
  for (const profile of STARTUPS) {
    const demoKey = DEMO_API_KEYS.find((key) => key.orgSlug === profile.slug);
    const keyCreatedAt = firstDay - 3 * DAY_MS + 10 * HOUR_MS;
    const main = demoKey
      ? await createSeededKey(profile.slug, README_KEY_NAME, demoKeyLabel(profile.slug), keyCreatedAt)
      : await createSeededKey(profile.slug, "Production", `${demoKeyLabel(profile.slug)}:production`, keyCreatedAt);
    if (demoKey && main.plaintext !== demoKey.plaintext) throw new Error(`Demo API key for ${demoKey.orgSlug} drifted from DEMO_API_KEYS`);
    const plan = BATCH_KEYS[profile.slug];
    // Made a day before the README key, so that one stays the newest: the keys screen's quickstart names it.
    const batch = plan ? await createSeededKey(profile.slug, "Batch jobs", `${demoKeyLabel(profile.slug)}:batch-jobs`, keyCreatedAt - DAY_MS + 5 * HOUR_MS) : null;
    keysOf.set(profile.slug, { main: main.id, batch: batch && plan ? { id: batch.id, plan } : null });
  }
  for (const demoKey of DEMO_API_KEYS) if (!keysOf.has(demoKey.orgSlug)) throw new Error(`Demo API key for ${demoKey.orgSlug}: no such demo startup`);

  // ── Providers, models, routes
  const providerIds = new Map<string, string>();
  const providerRows = [
    { slug: "simulator", name: "Blockable Simulator", kind: "simulator", baseUrl: null, isEnabled: true, configJson: JSON.stringify({ latencyMs: 250, tokensPerSecond: 90 }) },
    { slug: "simulator-backup", name: "Blockable Simulator (backup region)", kind: "simulator", baseUrl: null, isEnabled: true, configJson: JSON.stringify({ latencyMs: 400, tokensPerSecond: 70 }) },
    { slug: "openai", name: "OpenAI", kind: "openai_compatible", baseUrl: "https://api.openai.com/v1", isEnabled: false, configJson: "{}" },
    { slug: "anthropic", name: "Anthropic", kind: "anthropic", baseUrl: "https://api.anthropic.com", isEnabled: false, configJson: "{}" },
    { slug: "together", name: "Together AI", kind: "openai_compatible", baseUrl: "https://api.together.xyz/v1", isEnabled: false, configJson: "{}" },
  ];
  for (const row of providerRows) {
    const created = await db.provider.create({ data: { ...row, createdAt: at(daysAgo(415, 11)) } });
    providerIds.set(row.slug, created.id);
  }
  for (const model of MODELS) {
    const created = await db.model.create({
      data: { slug: model.slug, displayName: model.displayName, kind: model.kind, ownedBy: model.ownedBy, contextWindow: model.contextWindow, createdAt: at(daysAgo(415, 12)) },
    });
    await db.modelRoute.createMany({
      data: [
        { modelId: created.id, providerId: providerIds.get("simulator")!, upstreamModel: model.slug, priority: 0, inputPriceMicrosPerMTokens: model.inPrice, outputPriceMicrosPerMTokens: model.outPrice },
        { modelId: created.id, providerId: providerIds.get("simulator-backup")!, upstreamModel: model.slug, priority: 1, inputPriceMicrosPerMTokens: backupPrice(model.inPrice), outputPriceMicrosPerMTokens: backupPrice(model.outPrice) },
        { modelId: created.id, providerId: providerIds.get(model.upstream.provider)!, upstreamModel: model.upstream.model, priority: 2, inputPriceMicrosPerMTokens: model.inPrice, outputPriceMicrosPerMTokens: model.outPrice },
      ],
    });
  }

  // ── Facilities
  const northwindFacility = await db.lenderFacility.create({
    data: { lenderOrgId: northwindId, name: "Northwind Compute Credit Facility I", limitMicros: usd(5_000_000), defaultAprBps: 1_400, createdAt: at(daysAgo(360, 15)) },
  });
  const kestrelFacility = await db.lenderFacility.create({
    data: { lenderOrgId: kestrelId, name: "Kestrel Venture Compute Line", limitMicros: usd(2_500_000), defaultAprBps: 1_600, createdAt: at(daysAgo(350, 15)) },
  });
  const lenders = {
    northwind: { orgId: northwindId, facilityId: northwindFacility.id, analyst: userIds.get("analyst@northwind.example")! },
    kestrel: { orgId: kestrelId, facilityId: kestrelFacility.id, analyst: userIds.get("analyst@kestrel.example")! },
  };

  // ── GPU index
  log("Writing a year of GPU index fixes…");
  const index = buildGpuIndex(todayStart);
  const indexByDay = new Map(index.map((fix) => [fix.day, fix.priceMicros]));
  const indexAt = (ms: number) => indexByDay.get(dayKey(ms)) ?? index[0].priceMicros;
  await db.gpuIndexFix.createMany({ data: index.map((fix) => ({ day: fix.day, priceMicrosPerGpuHour: fix.priceMicros, source: "seed", createdAt: at(fix.ms + 16 * HOUR_MS) })) });

  // ── Loan plans
  const year = (ms: number) => new Date(ms).getUTCFullYear();
  const activeLoans: ActiveLoanPlan[] = [
    {
      startup: "parsec-robotics",
      reference: "",
      lender: "kestrel",
      state: "FROZEN",
      principal: usd(150_000),
      multiplierBps: 12_500,
      termMonths: 24,
      aprBps: 1_650,
      activatedAt: daysAgo(92, 15, 10),
      originationCoverageBps: 15_200,
      marginCallAt: now - 6 * DAY_MS - 3 * HOUR_MS,
      freezeAt: now - 20 * HOUR_MS,
      waypoints: [
        { at: now - 6 * DAY_MS - 6 * HOUR_MS, coverageBps: 12_580 },
        { at: now - 20 * HOUR_MS, coverageBps: 10_650 },
      ],
      purpose: "Scale simulation-to-real training runs for the warehouse picking fleet.",
    },
    {
      startup: "vectorly",
      reference: "",
      lender: "northwind",
      state: "MARGIN_CALL",
      principal: usd(160_000),
      multiplierBps: 13_500,
      termMonths: 24,
      aprBps: 1_500,
      activatedAt: daysAgo(64, 14, 40),
      originationCoverageBps: 15_150,
      marginCallAt: now - 30 * HOUR_MS,
      waypoints: [
        { at: now - 31 * HOUR_MS, coverageBps: 12_560 },
        { at: now, coverageBps: 12_050 },
      ],
      purpose: "Re-embed the customer corpus with the new retrieval models and serve reranking.",
    },
    {
      startup: "lumen-labs",
      reference: "",
      lender: "kestrel",
      state: "ACTIVE",
      principal: usd(180_000),
      multiplierBps: 14_000,
      termMonths: 18,
      aprBps: 1_600,
      activatedAt: daysAgo(41, 16, 5),
      originationCoverageBps: 15_200,
      waypoints: [{ at: now, coverageBps: 13_500 }],
      purpose: "Launch the research assistant to enterprise pilots.",
    },
    {
      startup: "acme-ai",
      reference: "",
      lender: "northwind",
      state: "ACTIVE",
      principal: usd(400_000),
      multiplierBps: 15_000,
      termMonths: 18,
      aprBps: 1_400,
      activatedAt: daysAgo(47, 14, 20),
      originationCoverageBps: 18_600,
      waypoints: [{ at: now, coverageBps: 18_000 }],
      purpose: "Twelve months of inference for the coding copilot's general availability.",
    },
    {
      // Activated last, so the loans above keep their references.
      startup: "halcyon-voice",
      reference: "",
      lender: "kestrel",
      state: "MARGIN_CALL",
      principal: usd(120_000),
      multiplierBps: 13_000,
      termMonths: 18,
      aprBps: 1_650,
      activatedAt: daysAgo(36, 13, 15),
      originationCoverageBps: 15_100,
      marginCallAt: now - 14 * HOUR_MS,
      waypoints: [
        { at: now - 15 * HOUR_MS, coverageBps: 12_540 },
        { at: now, coverageBps: 12_150 },
      ],
      purpose: "Real-time voice agents for two contact-centre customers: streaming transcription and dialogue.",
    },
  ];
  // References in application order.
  const byActivation = [...activeLoans].sort((a, b) => a.activatedAt - b.activatedAt);
  byActivation.forEach((loan, i) => (loan.reference = `BL-${year(loan.activatedAt - 4 * DAY_MS)}-${String(i + 4).padStart(4, "0")}`));

  const loanRows = new Map<string, { id: string; plan: ActiveLoanPlan; schedule: Installment[]; indexAtOrigination: bigint; lenderOrgId: string }>();
  for (const plan of activeLoans) {
    const lender = lenders[plan.lender];
    const loan = await db.loan.create({
      data: {
        reference: plan.reference,
        startupOrgId: startupIds.get(plan.startup)!,
        lenderOrgId: lender.orgId,
        facilityId: lender.facilityId,
        state: "ACTIVE", // finalised below, once the ledger has disbursed
        principalMicros: plan.principal,
        multiplierBps: plan.multiplierBps,
        termMonths: plan.termMonths,
        pledgedMicros: 0n,
        purpose: plan.purpose,
        aprBps: plan.aprBps,
        indexAtOriginationMicros: indexAt(plan.activatedAt),
        principalOutstandingMicros: plan.principal,
        submittedAt: at(plan.activatedAt - 4 * DAY_MS - 5 * HOUR_MS),
        decidedAt: at(plan.activatedAt - 10 * 60_000),
        decidedById: adminId,
        activatedAt: at(plan.activatedAt),
        createdAt: at(plan.activatedAt - 4 * DAY_MS - 6 * HOUR_MS),
      },
    });
    loanRows.set(plan.startup, { id: loan.id, plan, schedule: installmentSchedule(plan.principal, plan.aprBps, plan.termMonths, plan.activatedAt), indexAtOrigination: indexAt(plan.activatedAt), lenderOrgId: lender.orgId });
  }

  // Collateral targets: at activation from the origination coverage; at each waypoint from its coverage.
  type Segment = { from: number; to: number; drain: bigint };
  const loanTargets = new Map<string, { c0: bigint; segments: Segment[] }>();
  for (const [slug, row] of loanRows) {
    const { plan, schedule, indexAtOrigination } = row;
    const c0 = ceilDiv(BigInt(plan.originationCoverageBps) * plan.principal * 100n, markPpm(indexAtOrigination, indexAtOrigination));
    let previous = { at: plan.activatedAt, collateral: c0 };
    const segments: Segment[] = [];
    for (const waypoint of plan.waypoints) {
      const debt = debtAt(plan, schedule, waypoint.at);
      const collateral = collateralForCoverage(waypoint.coverageBps, debt.principalOutstanding + debt.accruedInterest, markPpm(indexAt(waypoint.at), indexAtOrigination));
      segments.push({ from: previous.at, to: waypoint.at, drain: previous.collateral > collateral ? previous.collateral - collateral : 0n });
      previous = { at: waypoint.at, collateral };
    }
    loanTargets.set(slug, { c0, segments });
  }

  // ── Usage, purchases and the ledger plan, org by org, day by day
  // A bigger page cache for this connection keeps the usage indexes in memory while they grow.
  if (provider === "sqlite") await db.$executeRawUnsafe("PRAGMA cache_size = -262144");
  log(`Generating ${HISTORY_DAYS} days of usage for ${STARTUPS.length} startups…`);
  const writer = new EventWriter(db, provider);
  const ledgerOps: LedgerOp[] = [];
  const rollupsByOrg = new Map<string, Map<string, Rollup>>();
  const collateralByLoanDay = new Map<string, Map<string, bigint>>(); // after each day's usage
  const loanSetup = new Map<string, { pledged: bigint; multiplierBps: number; frozen: bigint }>();

  for (const profile of STARTUPS) {
    const orgId = startupIds.get(profile.slug)!;
    const rng = randomFor(SEED, `usage:${profile.slug}`);
    const noise = randomFor(SEED, `budget:${profile.slug}`);
    const rollups = new Map<string, Rollup>();
    rollupsByOrg.set(orgId, rollups);
    const loan = loanRows.get(profile.slug);
    const targets = loanTargets.get(profile.slug);
    // Which key each request came in on: a stream of its own, so the usage's draws stay as they were.
    const keys = keysOf.get(profile.slug)!;
    const keyRng = randomFor(SEED, `api-key:${profile.slug}`);
    const batchFrom = keys.batch ? firstDay + keys.batch.plan.fromDay * DAY_MS : Infinity;
    const keyFor = (kind: ModelSpec["kind"], atMs: number) =>
      keys.batch && atMs >= batchFrom && keyRng.chance(kind === "embedding" ? keys.batch.plan.embeddingShare : keys.batch.plan.share) ? keys.batch.id : keys.main;
    const sink: EventSink = {
      push(row) {
        const key = row.apiKeyId ? seededKeys.get(row.apiKeyId) : undefined;
        if (key) {
          key.spent += row.costMicros;
          if (key.lastUsedAt === null || row.createdAt > key.lastUsedAt) key.lastUsedAt = row.createdAt;
        }
        writer.push(row);
      },
    };
    // Natural daily budget and weight, for every day of the history.
    const natural: number[] = [];
    for (let d = 0; d < HISTORY_DAYS; d++) {
      const dayStart = firstDay + d * DAY_MS;
      const t = d / (HISTORY_DAYS - 1);
      const trend = profile.spendStart * Math.pow(profile.spendEnd / profile.spendStart, t);
      const weekday = new Date(dayStart).getUTCDay();
      const weekend = weekday === 0 || weekday === 6 ? profile.weekendFactor : 1;
      const fraction = Math.min(1, (now - dayStart) / DAY_MS);
      natural.push(trend * weekend * Math.exp(0.12 * noise.normal()) * fraction);
    }
    // Budgets: natural before the loan; after activation, each segment's drain spread by natural weight.
    const budgets = natural.map((value) => usd(value));
    if (loan && targets) {
      for (let d = 0; d < HISTORY_DAYS; d++) if (firstDay + d * DAY_MS + DAY_MS > loan.plan.activatedAt) budgets[d] = 0n;
      const activationDayStart = utcDayStart(loan.plan.activatedAt);
      for (const [index, segment] of targets.segments.entries()) {
        // The activation day's whole usage counts as the loan's: it is charged after the disbursement.
        const from = index === 0 ? activationDayStart : segment.from;
        const weights = natural.map((value, d) => {
          const dayStart = firstDay + d * DAY_MS;
          const dayEnd = Math.min(dayStart + DAY_MS, now);
          if (dayEnd <= dayStart) return 0;
          const overlap = Math.max(0, Math.min(dayEnd, segment.to) - Math.max(dayStart, from));
          return (value / ((dayEnd - dayStart) / DAY_MS)) * (overlap / DAY_MS);
        });
        const total = weights.reduce((sum, w) => sum + w, 0);
        if (total <= 0) continue;
        const last = weights.findLastIndex((w) => w > 0);
        let assigned = 0n;
        weights.forEach((w, d) => {
          if (w <= 0) return;
          const share = d === last ? segment.drain - assigned : (segment.drain * BigInt(Math.round((w / total) * 1e9))) / 1_000_000_000n;
          budgets[d] += share;
          assigned += share;
        });
      }
    }

    // Walk the days: purchases when the day would overspend, the loan's activation and freeze, the usage.
    const lots = { purchased: 0n, collateral: 0n, frozen: 0n };
    let purchaseSeq = 0;
    const purchase = (amount: bigint, memo: string) => {
      purchaseSeq++;
      ledgerOps.push({ kind: "purchase", orgId, amount, key: `seed:purchase:${profile.slug}:${purchaseSeq}`, memo });
      lots.purchased += amount;
    };
    const recentBurn = (d: number) => {
      const from = Math.max(0, d - 14);
      let sum = 0;
      for (let i = from; i <= d; i++) sum += natural[i];
      return sum / (d - from + 1);
    };
    const roundUp5k = (value: number) => usd(Math.max(5_000, Math.ceil(value / 5_000) * 5_000));
    purchase(roundUp5k(recentBurn(0) * 40), "Initial credit purchase");
    let orgEvents = 0;
    let orgSpend = 0n;
    const collateralDays = new Map<string, bigint>();
    if (loan) collateralByLoanDay.set(loan.id, collateralDays);

    for (let d = 0; d < HISTORY_DAYS; d++) {
      const dayStart = firstDay + d * DAY_MS;
      const day = dayKey(dayStart);
      // A frozen borrower's API refuses every request from the freeze on: its usage stops there.
      const endMs = Math.min(dayStart + DAY_MS, now, loan?.plan.freezeAt ?? Infinity);
      if (loan && targets && utcDayStart(loan.plan.activatedAt) === dayStart) {
        // Disbursement: P × multiplier financed; every purchased credit left is pledged (topped up to plan).
        const plan = loan.plan;
        let multiplierBps = plan.multiplierBps;
        let pledge = targets.c0 - (plan.principal * BigInt(multiplierBps)) / 10_000n;
        if (pledge < lots.purchased) {
          // More own credits than planned: finance less, so the collateral still matches the plan.
          multiplierBps = Math.max(12_500, Number(((targets.c0 - lots.purchased) * 10_000n) / plan.principal));
          pledge = targets.c0 - (plan.principal * BigInt(multiplierBps)) / 10_000n;
        }
        if (pledge > lots.purchased) purchase(pledge - lots.purchased, "Credit purchase to pledge under the loan");
        pledge = lots.purchased;
        const financed = (plan.principal * BigInt(multiplierBps)) / 10_000n;
        ledgerOps.push({ kind: "finance", orgId, amount: financed, loanId: loan.id, lenderOrgId: loan.lenderOrgId, key: `seed:finance:${plan.reference}` });
        if (pledge > 0n) ledgerOps.push({ kind: "pledge", orgId, amount: pledge, loanId: loan.id, lenderOrgId: loan.lenderOrgId });
        lots.collateral += financed + pledge;
        lots.purchased = 0n;
        loanSetup.set(loan.id, { pledged: pledge, multiplierBps, frozen: 0n });
        collateralDays.set("activation", lots.collateral);
      }
      const before = writer.pushed;
      const cost = generateDay({ rng, profile, orgId, dayStartMs: dayStart, endMs, budgetMicros: budgets[d], scale, backupShare: d >= 78 && d <= 79 ? 0.55 : profile.backupShare, sink, rollups, keyFor });
      orgEvents += writer.pushed - before;
      orgSpend += cost;
      if (cost > 0n) {
        const spendable = lots.purchased + lots.collateral - lots.frozen;
        const isFinanced = lots.collateral > 0n;
        if (isFinanced ? cost > spendable : spendable - cost < usd(recentBurn(d) * 5)) {
          // Never let spendable go negative: buy before the day would overspend.
          const shortfall = cost > spendable ? cost - spendable : 0n;
          const topUp = roundUp5k(recentBurn(d) * 30);
          purchase(shortfall > topUp ? roundUp5k(Number(shortfall / USD) + 5_000) : topUp, "Credit top-up");
          if (isFinanced) log(`note: ${profile.name} bought credits after activation to cover ${day}`);
        }
        ledgerOps.push({ kind: "usage", orgId, day, amount: cost });
        // Lots by priority: the loan's (unfrozen) collateral first, then purchased.
        const fromCollateral = cost < lots.collateral - lots.frozen ? cost : lots.collateral - lots.frozen;
        lots.collateral -= fromCollateral;
        lots.purchased -= cost - fromCollateral;
      }
      if (loan?.plan.freezeAt && utcDayStart(loan.plan.freezeAt) === dayStart) {
        // The day's usage ran before the freeze (endMs above). The borrower pledges all its own
        // credits (DESIGN.md), so any bought since activation joins the loan first; then the lender
        // freezes everything: nothing is left spendable.
        const setup = loanSetup.get(loan.id)!;
        if (lots.purchased > 0n) {
          ledgerOps.push({ kind: "pledge", orgId, amount: lots.purchased, loanId: loan.id, lenderOrgId: loan.lenderOrgId });
          setup.pledged += lots.purchased;
          lots.collateral += lots.purchased;
          lots.purchased = 0n;
        }
        const amount = lots.collateral - lots.frozen;
        ledgerOps.push({ kind: "freeze", orgId, amount, loanId: loan.id, key: `seed:freeze:${loan.plan.reference}` });
        lots.frozen += amount;
        setup.frozen = amount;
        collateralDays.set("freeze", lots.collateral);
      }
      if (loan && collateralDays.has("activation")) collateralDays.set(day, lots.collateral);
      await writer.flush();
    }
    // Quill Health buys credits ahead of its application (it pledges them).
    if (profile.slug === "quill-health") purchase(usd(75_000), "Credit purchase ahead of the financing application");
    if (profile.slug === "orbital-genomics") purchase(usd(110_000), "Credit purchase ahead of the financing application");
    log(`  ${profile.name}: ${orgEvents.toLocaleString("en-US")} usage events, $${Math.round(Number(orgSpend) / 1e6).toLocaleString("en-US")} of usage (planned $${Math.round(Number(budgets.reduce((a, b) => a + b, 0n)) / 1e6).toLocaleString("en-US")})`);
  }
  await writer.flush(true);
  // Each key's lifetime spend is exactly its requests' cost (what metering adds up), its last use its
  // latest request; the key and its "created" audit row are dated before its first request.
  for (const key of seededKeys.values()) {
    await db.apiKey.update({ where: { id: key.id }, data: { createdAt: at(key.createdAt), spentMicros: key.spent, lastUsedAt: key.lastUsedAt === null ? null : at(key.lastUsedAt) } });
    await db.auditLog.updateMany({ where: { action: "apiKey.created", targetType: "ApiKey", targetId: key.id }, data: { at: at(key.createdAt) } });
  }

  log("Writing daily usage rollups…");
  const rollupRows = [...rollupsByOrg.values()].flatMap((map) => [...map.values()]);
  for (let i = 0; i < rollupRows.length; i += 2_000) await db.usageDaily.createMany({ data: rollupRows.slice(i, i + 2_000) });

  // ── The ledger, through its services, in order
  log(`Posting ${ledgerOps.length} ledger operations…`);
  const postOp = async (op: LedgerOp) => {
    switch (op.kind) {
      case "purchase":
        await issueCredits(db, { orgId: op.orgId, amountMicros: op.amount, idempotencyKey: op.key, kind: "PURCHASED", memo: op.memo });
        break;
      case "finance":
        await issueCredits(db, { orgId: op.orgId, amountMicros: op.amount, idempotencyKey: op.key, kind: "FINANCED", loanId: op.loanId, lenderOrgId: op.lenderOrgId, memo: "Loan disbursement" });
        break;
      case "pledge":
        await pledgeCredits(db, { orgId: op.orgId, loanId: op.loanId, lenderOrgId: op.lenderOrgId, amountMicros: op.amount });
        break;
      case "freeze":
        await freezeCredits(db, { orgId: op.orgId, loanId: op.loanId, amountMicros: op.amount, idempotencyKey: op.key, memo: "Frozen by the lender after the cure window expired" });
        break;
      case "usage":
        await recordUsageBatch(db, { orgId: op.orgId, day: op.day, amountMicros: op.amount, now: options.now });
        break;
    }
  };
  // Each organisation's operations in order; organisations are independent, so PostgreSQL takes them
  // side by side (SQLite has one writer anyway).
  const opsByOrg = new Map<string, LedgerOp[]>();
  for (const op of ledgerOps) opsByOrg.set(op.orgId, [...(opsByOrg.get(op.orgId) ?? []), op]);
  const postOrg = async (ops: LedgerOp[]) => {
    for (const op of ops) await postOp(op);
  };
  if (provider === "postgresql") await Promise.all([...opsByOrg.values()].map(postOrg));
  else for (const ops of opsByOrg.values()) await postOrg(ops);
  // The README promises it: a frozen borrower's key gets 402 credits_frozen, so nothing may be left spendable.
  for (const [slug, row] of loanRows) {
    if (!row.plan.freezeAt) continue;
    const spendable = await db.ledgerAccount.findFirst({ where: { orgId: startupIds.get(slug)!, type: "STARTUP_SPENDABLE" }, select: { balanceMicros: true } });
    if (spendable?.balanceMicros !== 0n) throw new Error(`Demo world: ${slug} is frozen but still has ${spendable?.balanceMicros ?? "no"} µUSD spendable`);
  }

  // ── Loans: schedules, payments, coverage history, alerts, freezes
  log("Writing loans, installments, coverage history and alerts…");
  const summaryLoans: DemoWorldSummary["loans"] = [];
  for (const [slug, row] of loanRows) {
    const { plan, schedule, indexAtOrigination } = row;
    const setup = loanSetup.get(row.id)!;
    const debtNow = debtAt(plan, schedule, now);
    const collateralDays = collateralByLoanDay.get(row.id)!;
    // Coverage history: at activation, at the end of every day since, and now.
    const snapshots: { at: number; collateral: bigint; debt: bigint; mark: bigint; coverage: number | null; index: bigint }[] = [];
    const snapshotAt = (ms: number, collateral: bigint) => {
      const debt = debtAt(plan, schedule, ms);
      const debtMicros = debt.principalOutstanding + debt.accruedInterest;
      const indexMicros = indexAt(ms);
      const mark = markPpm(indexMicros, indexAtOrigination);
      snapshots.push({ at: ms, collateral, debt: debtMicros, mark, coverage: coverageBps(collateral, debtMicros, mark), index: indexMicros });
    };
    snapshotAt(plan.activatedAt, collateralDays.get("activation")!);
    for (let ms = utcDayStart(plan.activatedAt); ms < todayStart; ms += DAY_MS) snapshotAt(ms + DAY_MS - 60_000, collateralDays.get(dayKey(ms))!);
    snapshotAt(now, collateralDays.get(dayKey(now))!);
    if (plan.freezeAt) snapshotAt(plan.freezeAt, collateralDays.get("freeze")!);
    snapshots.sort((a, b) => a.at - b.at);
    await db.coverageSnapshot.createMany({
      data: snapshots.map((s) => ({ loanId: row.id, at: at(s.at), collateralMicros: s.collateral, debtMicros: s.debt, markPpm: Number(s.mark), coverageBps: s.coverage, indexMicros: s.index, reason: "seed" })),
    });
    const current = snapshots[snapshots.length - 1];
    const crossing = (bps: number) => snapshots.find((s) => s.coverage !== null && s.coverage < bps)?.at ?? now;

    await db.installment.createMany({
      data: schedule.map((installment) => {
        const payment = debtNow.payments.find((p) => p.seq === installment.seq);
        return {
          loanId: row.id,
          seq: installment.seq,
          dueDate: at(installment.dueMs),
          amountMicros: installment.amount,
          principalMicros: installment.principal,
          interestMicros: installment.interest,
          paidMicros: payment?.amount ?? 0n,
          status: payment ? "PAID" : "DUE",
          paidAt: payment ? at(payment.at) : null,
        };
      }),
    });
    if (debtNow.payments.length) {
      await db.payment.createMany({
        data: debtNow.payments.map((p) => ({ loanId: row.id, idempotencyKey: `seed:payment:${plan.reference}:${p.seq}`, amountMicros: p.amount, interestMicros: p.interest, principalMicros: p.principal, paidAt: at(p.at), recordedById: adminId })),
      });
    }
    const lender = lenders[plan.lender];
    await db.loan.update({
      where: { id: row.id },
      data: {
        state: plan.state,
        multiplierBps: setup.multiplierBps,
        pledgedMicros: setup.pledged,
        principalOutstandingMicros: debtNow.principalOutstanding,
        interestAccruedMicros: debtNow.accruedInterest,
        interestAccruedThrough: at(debtNow.accruedThroughMs),
        marginCallAt: plan.marginCallAt ? at(plan.marginCallAt) : null,
        cureDeadline: plan.marginCallAt ? at(plan.marginCallAt + 72 * HOUR_MS) : null,
      },
    });
    const admin = { orgId: platformId, userId: adminId };
    const submittedAt = plan.activatedAt - 4 * DAY_MS - 5 * HOUR_MS;
    audit({ orgId: startupIds.get(slug)!, actorUserId: ctoOf(slug), actorKind: "user", action: "loan.submit", targetType: "Loan", targetId: row.id, detail: { reference: plan.reference, principalMicros: plan.principal, multiplierBps: plan.multiplierBps, termMonths: plan.termMonths, pledgedMicros: setup.pledged }, at: submittedAt });
    auditTransition({ loanId: row.id, reference: plan.reference, event: "approve", from: "SUBMITTED", to: "ACTIVE", reason: approvalReason(plan.lender === "kestrel" ? kestrelFacility.name : northwindFacility.name, plan.aprBps, setup.multiplierBps), at: plan.activatedAt - 10 * 60_000, actor: admin });
    audit({ orgId: platformId, actorUserId: adminId, actorKind: "user", action: "loan.disbursed", targetType: "Loan", targetId: row.id, detail: { reference: plan.reference, principalMicros: plan.principal, aprBps: plan.aprBps, financedMicros: (plan.principal * BigInt(setup.multiplierBps)) / 10_000n, pledgedMicros: setup.pledged, installmentCount: schedule.length }, at: plan.activatedAt });
    for (const p of debtNow.payments) auditPayment({ loanId: row.id, reference: plan.reference, ...p });
    if (plan.marginCallAt) {
      const coverage = snapshots.filter((s) => s.at <= plan.marginCallAt!).at(-1)?.coverage ?? null;
      auditTransition({ loanId: row.id, reference: plan.reference, event: "coverageBelowMaintenance", from: "ACTIVE", to: "MARGIN_CALL", reason: `coverage ${coverage ?? "∞"} bps < maintenance 12500 bps`, at: plan.marginCallAt, actor: SYSTEM });
      notifyMarginCall({ orgId: startupIds.get(slug)!, loanId: row.id, reference: plan.reference, marginCallAt: plan.marginCallAt, cureDeadline: plan.marginCallAt + 72 * HOUR_MS });
    }

    const alerts: { kind: string; severity: string; state: string; openedAt: number; message: string }[] = [];
    const pct = (bps: number | null) => (bps === null ? "∞" : `${(bps / 100).toFixed(1)}%`);
    if (slug === "lumen-labs") {
      alerts.push({ kind: "EARLY_WARNING_1", severity: "warning", state: "OPEN", openedAt: crossing(14_000), message: `Coverage fell below the 140% early-warning level (now ${pct(current.coverage)}).` });
    }
    if (plan.marginCallAt) {
      alerts.push({ kind: "EARLY_WARNING_1", severity: "warning", state: "ACKNOWLEDGED", openedAt: crossing(14_000), message: "Coverage fell below the 140% early-warning level." });
      alerts.push({ kind: "EARLY_WARNING_2", severity: "warning", state: "ACKNOWLEDGED", openedAt: crossing(13_000), message: "Coverage fell below the 130% early-warning level." });
      alerts.push({ kind: "MARGIN_CALL", severity: "critical", state: plan.state === "MARGIN_CALL" ? "OPEN" : "ACKNOWLEDGED", openedAt: plan.marginCallAt!, message: `Coverage fell below the 125% maintenance level: margin call, cure by ${at(plan.marginCallAt! + 72 * HOUR_MS).toISOString().slice(0, 16).replace("T", " ")} UTC.` });
    }
    if (slug === "parsec-robotics") {
      alerts.push({ kind: "LIQUIDATION_ZONE", severity: "critical", state: "OPEN", openedAt: crossing(11_000), message: `Coverage fell below the 110% liquidation level (now ${pct(current.coverage)}).` });
      alerts.push({ kind: "FROZEN", severity: "critical", state: "OPEN", openedAt: plan.freezeAt!, message: `Collateral frozen by ${plan.lender === "kestrel" ? "Kestrel Capital" : "Northwind Credit Fund"}: ${(Number(setup.frozen) / 1e6).toLocaleString("en-US", { style: "currency", currency: "USD" })}.` });
      const committedAt = plan.freezeAt! + 41;
      const reason = "Cure window expired with coverage below the liquidation level.";
      const freeze = await db.freezeEvent.create({
        data: { loanId: row.id, action: "FREEZE", mode: "FULL", requestedMicros: setup.frozen, amountMicros: setup.frozen, actorUserId: lender.analyst, actorKind: "user", reason, requestedAt: at(plan.freezeAt!), committedAt: at(committedAt), latencyMs: 41 },
      });
      const analyst = { orgId: lender.orgId, userId: lender.analyst };
      auditTransition({ loanId: row.id, reference: plan.reference, event: "freeze", from: "MARGIN_CALL", to: "FROZEN", reason, at: committedAt, actor: analyst });
      notify({ ...freezeNotice({ reference: plan.reference, action: "FREEZE", amountMicros: setup.frozen, frozenAfterMicros: setup.frozen, reason, isAuto: false }), orgId: startupIds.get(slug)!, loanId: row.id, at: committedAt });
      const coverageAtFreeze = snapshots.find((s) => s.at === plan.freezeAt)?.coverage ?? null;
      audit({ orgId: lender.orgId, actorUserId: lender.analyst, actorKind: "user", action: "collateral.freeze", targetType: "Loan", targetId: row.id, detail: { reference: plan.reference, freezeEventId: freeze.id, mode: "FULL", requestedMicros: setup.frozen, amountMicros: setup.frozen, frozenAfterMicros: setup.frozen, coverageBps: coverageAtFreeze, reason, latencyMs: 41, from: "MARGIN_CALL", to: "FROZEN" }, at: committedAt });
    }
    for (const alert of alerts) {
      const created = await db.alert.create({
        data: {
          loanId: row.id,
          lenderOrgId: lender.orgId,
          kind: alert.kind,
          severity: alert.severity,
          state: alert.state,
          openKey: `${row.id}:${alert.kind}`,
          message: alert.message,
          coverageBps: snapshots.find((s) => s.at >= alert.openedAt)?.coverage ?? current.coverage,
          openedAt: at(alert.openedAt),
          acknowledgedAt: alert.state === "ACKNOWLEDGED" ? at(alert.openedAt + 2 * HOUR_MS) : null,
          acknowledgedById: alert.state === "ACKNOWLEDGED" ? lender.analyst : null,
        },
      });
      if (alert.state === "ACKNOWLEDGED") {
        audit({ orgId: lender.orgId, actorUserId: lender.analyst, actorKind: "user", action: "alert.acknowledge", targetType: "Alert", targetId: created.id, detail: { loanId: row.id, reference: plan.reference, kind: alert.kind }, at: alert.openedAt + 2 * HOUR_MS });
      }
    }
    summaryLoans.push({ reference: plan.reference, startup: slug, state: plan.state, coverageBps: current.coverage });
  }

  // ── Closed and pending applications (before the usage history; Loan rows only)
  const acmeId = startupIds.get("acme-ai")!;
  const quillId = startupIds.get("quill-health")!;
  const repaid = await db.loan.create({
    data: {
      reference: `BL-${year(daysAgo(335))}-0001`,
      startupOrgId: acmeId,
      lenderOrgId: northwindId,
      facilityId: northwindFacility.id,
      state: "REPAID",
      principalMicros: usd(120_000),
      multiplierBps: 13_000,
      termMonths: 6,
      pledgedMicros: usd(40_000),
      purpose: "Inference for the copilot's public beta.",
      aprBps: 1_400,
      indexAtOriginationMicros: indexAt(daysAgo(330)),
      submittedAt: at(daysAgo(335, 13)),
      decidedAt: at(daysAgo(331, 16)),
      decidedById: adminId,
      activatedAt: at(daysAgo(331, 16, 5)),
      closedAt: at(addMonthsUtc(daysAgo(331, 16, 5), 6)),
      createdAt: at(daysAgo(335, 13)),
    },
  });
  const repaidSchedule = installmentSchedule(usd(120_000), 1_400, 6, daysAgo(331, 16, 5));
  await db.installment.createMany({
    data: repaidSchedule.map((i) => ({ loanId: repaid.id, seq: i.seq, dueDate: at(i.dueMs), amountMicros: i.amount, principalMicros: i.principal, interestMicros: i.interest, paidMicros: i.amount, status: "PAID", paidAt: at(i.dueMs - DAY_MS) })),
  });
  await db.payment.createMany({
    data: repaidSchedule.map((i) => ({ loanId: repaid.id, idempotencyKey: `seed:payment:${repaid.reference}:${i.seq}`, amountMicros: i.amount, interestMicros: i.interest, principalMicros: i.principal, paidAt: at(i.dueMs - DAY_MS), recordedById: adminId })),
  });
  const admin = { orgId: platformId, userId: adminId };
  audit({ orgId: acmeId, actorUserId: ctoOf("acme-ai"), actorKind: "user", action: "loan.submit", targetType: "Loan", targetId: repaid.id, detail: { reference: repaid.reference, principalMicros: repaid.principalMicros, multiplierBps: repaid.multiplierBps, termMonths: repaid.termMonths, pledgedMicros: repaid.pledgedMicros }, at: daysAgo(335, 13) });
  auditTransition({ loanId: repaid.id, reference: repaid.reference, event: "approve", from: "SUBMITTED", to: "ACTIVE", reason: approvalReason(northwindFacility.name, 1_400, 13_000), at: daysAgo(331, 16), actor: admin });
  for (const i of repaidSchedule) auditPayment({ loanId: repaid.id, reference: repaid.reference, at: i.dueMs - DAY_MS, amount: i.amount, interest: i.interest, principal: i.principal });
  auditTransition({ loanId: repaid.id, reference: repaid.reference, event: "repaidInFull", from: "ACTIVE", to: "REPAID", reason: "the last installment's payment cleared the debt", at: repaidSchedule.at(-1)!.dueMs - DAY_MS, actor: admin });
  const liquidatedActivation = daysAgo(300, 15, 30);
  const liquidated = await db.loan.create({
    data: {
      reference: `BL-${year(daysAgo(305))}-0002`,
      startupOrgId: quillId,
      lenderOrgId: kestrelId,
      facilityId: kestrelFacility.id,
      state: "LIQUIDATED",
      principalMicros: usd(160_000),
      multiplierBps: 13_000,
      termMonths: 12,
      pledgedMicros: usd(50_000),
      purpose: "Pilot deployments of the clinical-notes assistant.",
      aprBps: 1_600,
      indexAtOriginationMicros: indexAt(liquidatedActivation),
      submittedAt: at(daysAgo(305, 10)),
      decidedAt: at(daysAgo(301, 14)),
      decidedById: adminId,
      activatedAt: at(liquidatedActivation),
      marginCallAt: at(daysAgo(168, 9)),
      cureDeadline: at(daysAgo(165, 9)),
      closedAt: at(daysAgo(158, 12)),
      lossMicros: 0n,
      rejectionReason: null,
      createdAt: at(daysAgo(305, 10)),
    },
  });
  const liquidatedSchedule = installmentSchedule(usd(160_000), 1_600, 12, liquidatedActivation);
  const liquidatedAt = daysAgo(158, 12);
  const paidBeforeLiquidation = liquidatedSchedule.filter((i) => i.dueMs < daysAgo(158));
  const owedAtLiquidation = usd(160_000) - paidBeforeLiquidation.reduce((s, i) => s + i.principal, 0n);
  const liquidationInterest = usd(1_830);
  // The sale's proceeds paid the whole debt (no loss) and count toward the installments as the
  // engine counts them (lib/server/collateral/liquidate.ts): oldest first, and with the debt at zero
  // every installment is PAID — a liquidated loan lists nothing as due.
  const beforeSale = liquidatedSchedule.map((i) => ({ seq: i.seq, dueDate: at(i.dueMs), amountMicros: i.amount, paidMicros: i.dueMs < daysAgo(158) ? i.amount : 0n }));
  const proceedsPaid = new Map(allocatePaymentToInstallments(beforeSale, owedAtLiquidation + liquidationInterest).map((a) => [a.seq, a.paidMicros]));
  const afterSale = beforeSale.map((i) => ({ ...i, paidMicros: proceedsPaid.get(i.seq) ?? i.paidMicros }));
  const liquidatedStatuses = installmentStatuses(afterSale, liquidatedAt, 5, { debtMicros: 0n });
  await db.installment.createMany({
    data: liquidatedSchedule.map((i, index) => {
      const paidBefore = i.dueMs < daysAgo(158);
      return { loanId: liquidated.id, seq: i.seq, dueDate: at(i.dueMs), amountMicros: i.amount, principalMicros: i.principal, interestMicros: i.interest, paidMicros: afterSale[index].paidMicros, status: liquidatedStatuses.get(i.seq)!, paidAt: liquidatedStatuses.get(i.seq) === "PAID" ? at(paidBefore ? i.dueMs : liquidatedAt) : null };
    }),
  });
  await db.payment.createMany({
    data: [
      ...paidBeforeLiquidation.map((i) => ({ loanId: liquidated.id, idempotencyKey: `seed:payment:${liquidated.reference}:${i.seq}`, amountMicros: i.amount, interestMicros: i.interest, principalMicros: i.principal, paidAt: at(i.dueMs), recordedById: adminId })),
      { loanId: liquidated.id, idempotencyKey: `seed:liquidation:${liquidated.reference}`, amountMicros: owedAtLiquidation + liquidationInterest, interestMicros: liquidationInterest, principalMicros: owedAtLiquidation, paidAt: at(liquidatedAt), recordedById: null },
    ],
  });
  {
    // Its story, as the engine records it: applied, approved, paid, margin call, frozen by Kestrel's
    // analyst once the cure window ran out, then liquidated by the same analyst.
    const reference = liquidated.reference;
    const kestrelAnalyst = { orgId: kestrelId, userId: lenders.kestrel.analyst };
    const markAtSale = markPpm(indexAt(liquidatedAt), indexAt(liquidatedActivation));
    const proceeds = owedAtLiquidation + liquidationInterest;
    // The credits the sale needed, all of them frozen: ⌈proceeds / mark⌉.
    const sold = ceilDiv(proceeds * 1_000_000n, markAtSale);
    const frozeAt = daysAgo(164, 10);
    const freezeReason = "Cure window expired without a cure; freezing ahead of liquidation.";
    audit({ orgId: quillId, actorUserId: ctoOf("quill-health"), actorKind: "user", action: "loan.submit", targetType: "Loan", targetId: liquidated.id, detail: { reference, principalMicros: liquidated.principalMicros, multiplierBps: liquidated.multiplierBps, termMonths: liquidated.termMonths, pledgedMicros: liquidated.pledgedMicros }, at: daysAgo(305, 10) });
    auditTransition({ loanId: liquidated.id, reference, event: "approve", from: "SUBMITTED", to: "ACTIVE", reason: approvalReason(kestrelFacility.name, 1_600, 13_000), at: daysAgo(301, 14), actor: admin });
    for (const i of paidBeforeLiquidation) auditPayment({ loanId: liquidated.id, reference, at: i.dueMs, amount: i.amount, interest: i.interest, principal: i.principal });
    auditTransition({ loanId: liquidated.id, reference, event: "coverageBelowMaintenance", from: "ACTIVE", to: "MARGIN_CALL", reason: "coverage fell below maintenance (12500 bps)", at: daysAgo(168, 9), actor: SYSTEM });
    notifyMarginCall({ orgId: quillId, loanId: liquidated.id, reference, marginCallAt: daysAgo(168, 9), cureDeadline: daysAgo(165, 9) });
    const freeze = await db.freezeEvent.create({
      data: { loanId: liquidated.id, action: "FREEZE", mode: "FULL", requestedMicros: sold, amountMicros: sold, actorUserId: lenders.kestrel.analyst, actorKind: "user", reason: freezeReason, requestedAt: at(frozeAt), committedAt: at(frozeAt + 38), latencyMs: 38 },
    });
    auditTransition({ loanId: liquidated.id, reference, event: "freeze", from: "MARGIN_CALL", to: "FROZEN", reason: freezeReason, at: frozeAt + 38, actor: kestrelAnalyst });
    notify({ ...freezeNotice({ reference, action: "FREEZE", amountMicros: sold, frozenAfterMicros: sold, reason: freezeReason, isAuto: false }), orgId: quillId, loanId: liquidated.id, at: frozeAt + 38 });
    audit({ orgId: kestrelId, actorUserId: lenders.kestrel.analyst, actorKind: "user", action: "collateral.freeze", targetType: "Loan", targetId: liquidated.id, detail: { reference, freezeEventId: freeze.id, mode: "FULL", requestedMicros: sold, amountMicros: sold, frozenAfterMicros: sold, reason: freezeReason, latencyMs: 38, from: "MARGIN_CALL", to: "FROZEN" }, at: frozeAt + 38 });
    const liquidationReason = "Borrower could not cure; selling the frozen collateral.";
    auditTransition({ loanId: liquidated.id, reference, event: "liquidate", from: "FROZEN", to: "LIQUIDATED", reason: liquidationReason, at: liquidatedAt, actor: kestrelAnalyst });
    audit({
      orgId: kestrelId,
      actorUserId: lenders.kestrel.analyst,
      actorKind: "user",
      action: "collateral.liquidate",
      targetType: "Loan",
      targetId: liquidated.id,
      detail: { reference, scope: "FULL", previousState: "FROZEN", state: "LIQUIDATED", markPpm: Number(markAtSale), soldMicros: sold, proceedsMicros: proceeds, interestPaidMicros: liquidationInterest, principalPaidMicros: owedAtLiquidation, lossMicros: 0n, debtAfterMicros: 0n, reason: liquidationReason },
      at: liquidatedAt,
    });
  }
  const rejected = await db.loan.create({
    data: {
      reference: `BL-${year(daysAgo(200))}-0003`,
      startupOrgId: acmeId,
      state: "REJECTED",
      principalMicros: usd(500_000),
      multiplierBps: 15_000,
      termMonths: 24,
      pledgedMicros: 0n,
      purpose: "Pre-buy a year of GPU inference ahead of the enterprise launch.",
      rejectionReason: "No credits pledged: at 1.5× the initial coverage would be 127.5%, below the 150% minimum. Reapply with a pledge of at least $90,000 or a smaller principal.",
      submittedAt: at(daysAgo(200, 11)),
      decidedAt: at(daysAgo(198, 15)),
      decidedById: adminId,
      // A rejection closes the application when it is decided (lib/domain/loans/lifecycle.ts).
      closedAt: at(daysAgo(198, 15)),
      createdAt: at(daysAgo(200, 11)),
    },
  });
  audit({ orgId: acmeId, actorUserId: ctoOf("acme-ai"), actorKind: "user", action: "loan.submit", targetType: "Loan", targetId: rejected.id, detail: { reference: rejected.reference, principalMicros: rejected.principalMicros, multiplierBps: rejected.multiplierBps, termMonths: rejected.termMonths, pledgedMicros: rejected.pledgedMicros }, at: daysAgo(200, 11) });
  auditTransition({ loanId: rejected.id, reference: rejected.reference, event: "reject", from: "SUBMITTED", to: "REJECTED", reason: rejected.rejectionReason, at: daysAgo(198, 15), actor: admin });
  // No service writes this kind yet (lib/domain/startup/notifications has no builder for it): worded in the builders' style.
  notify({ kind: "APPLICATION_REJECTED", severity: "warning", title: `Application ${rejected.reference} rejected`, body: `Reason: ${rejected.rejectionReason}`, orgId: acmeId, loanId: rejected.id, at: daysAgo(198, 15) });
  const submitted = await db.loan.create({
    data: {
      reference: `BL-${year(daysAgo(1))}-${String(activeLoans.length + 4).padStart(4, "0")}`,
      startupOrgId: quillId,
      state: "SUBMITTED",
      principalMicros: usd(200_000),
      multiplierBps: 15_000,
      termMonths: 12,
      pledgedMicros: usd(60_000),
      purpose: "Roll out ambient clinical documentation to three hospital networks.",
      submittedAt: at(now - 26 * HOUR_MS),
      createdAt: at(now - 27 * HOUR_MS),
    },
  });
  audit({ orgId: quillId, actorUserId: ctoOf("quill-health"), actorKind: "user", action: "loan.submit", targetType: "Loan", targetId: submitted.id, detail: { reference: submitted.reference, principalMicros: submitted.principalMicros, multiplierBps: submitted.multiplierBps, termMonths: submitted.termMonths, pledgedMicros: submitted.pledgedMicros }, at: now - 26 * HOUR_MS });
  // Two more applications for the approval queue: Orbital's $300,000 is above the four-eyes
  // threshold (two admins approve it); Tessera's pledges nothing, so 1.5× gives 127.5% initial coverage.
  for (const [index, application] of [
    { slug: "orbital-genomics", principal: usd(300_000), multiplierBps: 15_000, termMonths: 18, pledged: usd(90_000), purpose: "Sequence-annotation agents for two pharma partners: a year of frontier-model inference.", hoursAgo: 50 },
    { slug: "tessera-legal", principal: usd(50_000), multiplierBps: 15_000, termMonths: 12, pledged: 0n, purpose: "Contract-review pilot for a law firm.", hoursAgo: 5 },
  ].entries()) {
    const row = await db.loan.create({
      data: {
        reference: `BL-${year(daysAgo(1))}-${String(activeLoans.length + 5 + index).padStart(4, "0")}`,
        startupOrgId: startupIds.get(application.slug)!,
        state: "SUBMITTED",
        principalMicros: application.principal,
        multiplierBps: application.multiplierBps,
        termMonths: application.termMonths,
        pledgedMicros: application.pledged,
        purpose: application.purpose,
        submittedAt: at(now - application.hoursAgo * HOUR_MS),
        createdAt: at(now - application.hoursAgo * HOUR_MS - HOUR_MS),
      },
    });
    audit({ orgId: row.startupOrgId, actorUserId: ctoOf(application.slug), actorKind: "user", action: "loan.submit", targetType: "Loan", targetId: row.id, detail: { reference: row.reference, principalMicros: row.principalMicros, multiplierBps: row.multiplierBps, termMonths: row.termMonths, pledgedMicros: row.pledgedMicros }, at: now - application.hoursAgo * HOUR_MS });
  }

  const toJson = (detail: Record<string, unknown>) => JSON.stringify(detail, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  await db.auditLog.createMany({
    data: auditRows.map((row) => ({ orgId: row.orgId, actorUserId: row.actorUserId, actorKind: row.actorKind, action: row.action, targetType: row.targetType, targetId: row.targetId, detailJson: toJson(row.detail), at: at(row.at) })),
  });
  // Repayment notices and credit purchases: some waiting for the admin, some decided (demo-payments.ts).
  await seedDemoPayments(db, { now: options.now });
  // Its decided repayment notices, as the startup heard of them (no builder yet either: the builders' style).
  for (const notice of await db.paymentNotice.findMany({ where: { status: { in: ["CONFIRMED", "REFUSED"] } }, include: { loan: { select: { reference: true } } }, orderBy: [{ declaredAt: "asc" }, { id: "asc" }] })) {
    const amount = formatMicros(notice.amountMicros);
    const decidedAt = notice.decidedAt!.getTime();
    const base = { orgId: notice.startupOrgId, loanId: notice.loanId, at: decidedAt };
    if (notice.status === "CONFIRMED") {
      notify({ ...base, kind: "PAYMENT_CONFIRMED", severity: "info", title: `Payment on ${notice.loan.reference} confirmed`, body: `Your lender received the ${amount} you sent (reference ${notice.reference}); it is recorded against the loan.` });
    } else {
      notify({ ...base, kind: "PAYMENT_REFUSED", severity: "warning", title: `Payment on ${notice.loan.reference} refused`, body: `The ${amount} you declared (reference ${notice.reference}) was not recorded. Reason: ${notice.refusalReason ?? "none given"}` });
    }
  }
  // Each startup has read all but its latest notification, and that one too when it is over a month old.
  const byOrg = new Map<string, SeedNotice[]>();
  for (const notice of notices) byOrg.set(notice.orgId, [...(byOrg.get(notice.orgId) ?? []), notice]);
  await db.notification.createMany({
    data: [...byOrg.values()].flatMap((list) => {
      const sorted = [...list].sort((a, b) => a.at - b.at);
      return sorted.map((notice, index) => {
        const isLatest = index === sorted.length - 1;
        const unread = isLatest && now - notice.at <= 30 * DAY_MS;
        return {
          orgId: notice.orgId,
          kind: notice.kind,
          severity: notice.severity,
          title: notice.title.slice(0, 200),
          body: notice.body.slice(0, 1_000),
          loanId: notice.loanId,
          createdAt: at(notice.at),
          readAt: unread ? null : at(Math.min(now, notice.at + 2 * HOUR_MS)),
        };
      });
    }),
  });

  // ── Summary
  const counts: Record<string, number> = {
    organizations: await db.organization.count(),
    users: await db.user.count(),
    providers: await db.provider.count(),
    models: await db.model.count(),
    modelRoutes: await db.modelRoute.count(),
    gpuIndexFixes: await db.gpuIndexFix.count(),
    usageEvents: await db.usageEvent.count(),
    usageDaily: await db.usageDaily.count(),
    ledgerAccounts: await db.ledgerAccount.count(),
    ledgerTransfers: await db.ledgerTransfer.count(),
    ledgerEntries: await db.ledgerEntry.count(),
    creditLots: await db.creditLot.count(),
    lenderFacilities: await db.lenderFacility.count(),
    loans: await db.loan.count(),
    installments: await db.installment.count(),
    payments: await db.payment.count(),
    coverageSnapshots: await db.coverageSnapshot.count(),
    alerts: await db.alert.count(),
    freezeEvents: await db.freezeEvent.count(),
    auditLogs: await db.auditLog.count(),
    apiKeys: await db.apiKey.count(),
    notifications: await db.notification.count(),
  };
  const seconds = Math.round((performance.now() - startedAt) / 100) / 10;
  log(`Demo world ready in ${seconds}s: ${counts.usageEvents.toLocaleString("en-US")} usage events, ${counts.loans} loans.`);
  return { seconds, counts, loans: summaryLoans };
}

/** BLOCKABLE_SEED_SCALE (default 1): a smaller world for tests; every loan state still appears. */
export function seedScaleFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BLOCKABLE_SEED_SCALE;
  if (!raw) return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10) throw new Error(`BLOCKABLE_SEED_SCALE must be a number in (0, 10], got "${raw}"`);
  return scale;
}
