// The lender desk benchmark's world (issue 14, "Tests and figures"): one lender with 1,000 loans in
// the states a real book has, each borrower with its own API key, months of usage (1,000,000
// events, UsageDaily rollups summing them), the credit ledger those events imply, installments and
// payments, coverage snapshots, alerts and freezes — generated in memory and bulk-loaded
// (desk-bulk.ts). Deterministic for a given `now` and size (fixed seed).
//
// How the numbers hang together (all from the domain's rules in lib/domain):
// - Debt follows the contract: buildInstallmentSchedule, interest accrued with accrueInterest
//   (floored, the remainder carried), each installment paid on its due date by applyPayment —
//   except a delinquent loan's, which stop at the overdue one.
// - Collateral: at activation P × multiplier is financed and all of the borrower's own credits left
//   are pledged (so every open borrower's credits are collateral, and a full freeze stops its API).
//   After that, every usage event spends collateral; the loan's coverage path (a few waypoints per
//   state: e.g. a margin call crosses 125% at a chosen hour) sets how much the borrower burns per
//   day, and the events carry exactly that burn.
// - Snapshots are valued from that history: collateral = at activation − events spent before the
//   snapshot, debt from the schedule, mark from the index fix of the day (markPpm, coverageBps).
//   The last one is "now" and equals what the app computes from the lots.
// - The ledger (desk-ledger.ts) books a purchase, the disbursement, the pledge, one usage batch per
//   borrower and day (the amount its events cost that day) and the freezes.
// - Alerts are opened where the snapshots cross the thresholds; margin call times likewise.
import { apiKeyPrefix, generateApiKeySecret } from "../../lib/domain/api-keys";
import { applyPayment, accrueInterest, allocatePaymentToInstallments, buildInstallmentSchedule, installmentStatuses, INSTALLMENT_WRITTEN_OFF, type PlannedInstallment } from "../../lib/domain/loans/schedule";
import { coverageBps as computeCoverageBps, markPpm as computeMarkPpm } from "../../lib/domain/valuation";
import { hashPassword } from "../../lib/server/auth/passwords";
import { generateLenderToken, hashLenderToken, lenderTokenPrefix } from "../../lib/server/lender-api/tokens";
import { demoKeyBytes } from "../../lib/server/seed/demo-api-keys";
import { DEMO_PASSWORD } from "../../lib/server/seed/demo-accounts";
import { randomFor, type Random } from "../../lib/server/seed/random";
import { hashApiKey } from "../../lib/server/services/api-keys";
import type { BulkLoader, Columns, Value } from "./desk-bulk";
import { ACCOUNT_COLUMNS, ENTRY_COLUMNS, LedgerBuilder, LOT_COLUMNS, TRANSFER_COLUMNS } from "./desk-ledger";

const SEED = 14_000_014;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const USD = 1_000_000;
const FEE_BPS = 1_500;
const MAINTENANCE_BPS = 12_500;
const LIQUIDATION_BPS = 11_000;
const CURE_HOURS = 72;
const GRACE_DAYS = 5;
const INDEX_DAYS = 760;
/** Snapshots from the last this-many days come `snapshotsPerDay` a day; older ones daily. */
const DENSE_SNAPSHOT_DAYS = 31;

export const DESK_LENDER = { email: "analyst@desk-bench.example", password: DEMO_PASSWORD, name: "Dana Whitlock", orgName: "Meridian Credit Partners" };
export const DESK_ADMIN_EMAIL = "admin@desk-bench.example";
/** The model the bench's probes call: routed to a simulator that answers at once. */
export const PROBE_MODEL = "desk-probe-chat";

export type DeskWorldOptions = {
  now: Date;
  loans: number;
  events: number;
  /** Coverage snapshots per day over the last 31 days of each open loan (the monitor writes one a minute; 24 = hourly). */
  snapshotsPerDay: number;
  /** Healthy loans kept for the freeze measure (their borrowers' keys are in the manifest). */
  freezeTargets: number;
  onProgress?: (message: string) => void;
};

export type DeskManifest = {
  lender: { orgId: string; email: string; password: string; name: string };
  lenderApiToken: string;
  probeModel: string;
  freezeTargets: { loanId: string; reference: string; startupOrgId: string; startupName: string; apiKey: string; coverageBps: number | null }[];
  worstLoan: { loanId: string; reference: string; state: string; coverageBps: number | null };
  loansByState: Record<string, number>;
  counts: Record<string, number>;
  /** Open loans whose coverage now does not fit their state's band (should be 0). */
  stateMismatches: string[];
};

type Category = "healthy" | "early" | "margin" | "liquidationZone" | "delinquent" | "frozenFull" | "frozenPartial" | "repaid" | "liquidated";

const MIX: [Category, number][] = [
  ["healthy", 0.71],
  ["early", 0.12],
  ["margin", 0.035],
  ["liquidationZone", 0.015],
  ["delinquent", 0.03],
  ["frozenFull", 0.018],
  ["frozenPartial", 0.012],
  ["repaid", 0.04],
  ["liquidated", 0.02],
];

const STATE_OF: Record<Category, string> = {
  healthy: "ACTIVE",
  early: "ACTIVE",
  margin: "MARGIN_CALL",
  liquidationZone: "MARGIN_CALL",
  delinquent: "DELINQUENT",
  frozenFull: "FROZEN",
  frozenPartial: "FROZEN",
  repaid: "REPAID",
  liquidated: "LIQUIDATED",
};

// ───────────────────────────── Catalogue ─────────────────────────────

type ModelSpec = { slug: string; name: string; kind: "chat" | "embedding"; inPrice: bigint; outPrice: bigint; weight: number; costScale: number; outMedian: number; contextWindow: number };

// Long-context agent workloads: the book's burn is carried by 1M events, so tokens per event are large.
const MODELS: ModelSpec[] = [
  { slug: "desk-llama-405b", name: "Llama 3.1 405B Instruct", kind: "chat", inPrice: 3_500_000n, outPrice: 3_500_000n, weight: 24, costScale: 1, outMedian: 1_800, contextWindow: 131_072 },
  { slug: "desk-sonnet-sim", name: "Claude Sonnet (simulated)", kind: "chat", inPrice: 3_000_000n, outPrice: 15_000_000n, weight: 34, costScale: 1, outMedian: 2_500, contextWindow: 200_000 },
  { slug: "desk-opus-sim", name: "Claude Opus (simulated)", kind: "chat", inPrice: 15_000_000n, outPrice: 75_000_000n, weight: 14, costScale: 1.6, outMedian: 2_000, contextWindow: 200_000 },
  { slug: "desk-llama-70b", name: "Llama 3.1 70B Instruct", kind: "chat", inPrice: 880_000n, outPrice: 880_000n, weight: 16, costScale: 0.5, outMedian: 1_200, contextWindow: 131_072 },
  { slug: "desk-embed", name: "Text Embedding (desk)", kind: "embedding", inPrice: 20_000n, outPrice: 0n, weight: 12, costScale: 0.02, outMedian: 0, contextWindow: 8_191 },
];
const BACKUP_SHARE = 0.08;
/** Caps on one event's input tokens (the column is a 32-bit integer; an embedding batch is smaller). */
const MAX_INPUT_TOKENS = 2_000_000_000;
const MAX_EMBEDDING_TOKENS = 20_000_000;
const backupPrice = (price: bigint) => (price * 95n) / 100n;

// ───────────────────────────── Small helpers ─────────────────────────────

const dayNumber = (ms: number) => Math.floor(ms / DAY_MS);
const dayKey = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const usd = (amount: number) => BigInt(Math.round(amount)) * BigInt(USD);
const roundUsd = (micros: number, step: number) => BigInt(Math.ceil(micros / (step * USD)) * step) * BigInt(USD);
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
const minBig = (a: bigint, b: bigint) => (a < b ? a : b);

/** The collateral at which coverage is `bps` (coverage = C × mark / (D × 100)). */
function collateralFor(bps: number, debt: bigint, mark: number): bigint {
  return ceilDiv(BigInt(bps) * debt * 100n, BigInt(mark));
}

const WORDS_A = ["Amber", "Basalt", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Indigo", "Juniper", "Kelvin", "Lumen", "Meridian", "Nimbus", "Onyx", "Polar", "Quartz", "Rivet", "Sable", "Tundra", "Umber", "Vertex", "Willow", "Xenon", "Yarrow", "Zephyr", "Atlas", "Beacon", "Cinder", "Drift"];
const WORDS_B = ["Labs", "AI", "Robotics", "Health", "Analytics", "Systems", "Bio", "Works", "Cloud", "Logic", "Vision", "Dynamics", "Forge", "Signal", "Genomics", "Finance", "Learning", "Compute", "Data", "Studio"];
const PURPOSES = [
  "Inference for the product's general availability.",
  "Fine-tuning and evaluation runs for the next model release.",
  "Serve the agent platform to enterprise pilots.",
  "Re-embed the corpus and serve retrieval for new customers.",
  "Scale batch document processing for three new accounts.",
  "Twelve months of inference for the copilot.",
];

// ───────────────────────────── GPU index ─────────────────────────────

/** Daily H100 $/GPU-hour fixes: a slow drift down (~$2.70 → ~$2.45 over two years), weekly seasonality, AR(1) noise. */
function buildIndex(todayDay: number): Map<number, bigint> {
  const rng = randomFor(SEED, "index");
  const weekly = [-0.018, 0.01, 0.013, 0.009, 0.005, -0.003, -0.02];
  const fixes = new Map<number, bigint>();
  let noise = 0;
  for (let i = 0; i < INDEX_DAYS; i++) {
    const day = todayDay - (INDEX_DAYS - 1 - i);
    noise = 0.85 * noise + 0.012 * rng.normal();
    const price = 2.7 - 0.25 * (i / (INDEX_DAYS - 1)) + weekly[new Date(day * DAY_MS).getUTCDay()] + noise;
    fixes.set(day, BigInt(Math.round(price * 10_000)) * 100n);
  }
  return fixes;
}

// ───────────────────────────── Loan plans ─────────────────────────────

type Waypoint = { at: number; collateral: bigint };

type Borrower = {
  index: number;
  category: Category;
  orgId: string;
  slug: string;
  name: string;
  createdAt: number;
  apiKey: { id: string; plaintext: string };
  spentMicros: bigint;
  // Loan terms
  loanId: string;
  reference: string;
  facility: number;
  principal: bigint;
  termMonths: number;
  aprBps: number;
  multiplierBps: number;
  activatedAt: number;
  schedule: PlannedInstallment[];
  indexAtOrigination: bigint;
  purpose: string;
  plannedBurnMicrosPerDay: bigint | null;
  /** Installments from this seq on are unpaid (delinquent loans). */
  unpaidFromSeq: number | null;
  freezeAt: number | null;
  /** Share of the collateral an AMOUNT freeze takes (frozenPartial). */
  freezeShare: number;
  closedAt: number | null;
  /** Liquidated loans: share of the debt the sale recovered. */
  recoveryShare: number;
  plannedMarginCallAt: number | null;
  // Usage
  usageStartDay: number;
  budgets: Float64Array; // µUSD per day from usageStartDay to today
  carry: number;
  windowEnd: number; // no usage at or after this instant (a full freeze stops it)
  // Filled while the days are walked
  isActivated: boolean;
  /** The collateral the loan's coverage path starts from (its origination coverage). */
  plannedCollateral: bigint;
  activationCollateral: bigint;
  pledged: bigint;
  frozen: bigint;
  purchaseCount: number;
  eventTimes: number[]; // usage after activation, for the snapshots
  eventCosts: number[];
};

/** Debt at any instant from activation on: payments on their due dates, interest accrued as the app does. */
class DebtPath {
  private readonly states: { at: number; principal: bigint; interest: bigint; remainder: bigint }[];
  private readonly aprBps: number;
  private cursor = 0;
  readonly payments: { seq: number; at: number; amount: bigint; interest: bigint; principal: bigint }[] = [];

  constructor(borrower: Pick<Borrower, "principal" | "aprBps" | "activatedAt" | "schedule" | "unpaidFromSeq">, paidUntil: number) {
    this.aprBps = borrower.aprBps;
    let state = { at: borrower.activatedAt, principal: borrower.principal, interest: 0n, remainder: 0n };
    this.states = [state];
    for (const installment of borrower.schedule) {
      const due = installment.dueDate.getTime();
      if (due > paidUntil) break;
      if (borrower.unpaidFromSeq !== null && installment.seq >= borrower.unpaidFromSeq) break;
      const accrual = accrueInterest({ principalOutstandingMicros: state.principal, aprBps: this.aprBps, from: state.at, to: due, remainder: state.remainder });
      const balance = { principalOutstandingMicros: state.principal, interestAccruedMicros: state.interest + accrual.interestMicros };
      const debt = balance.principalOutstandingMicros + balance.interestAccruedMicros;
      const isLast = installment.seq === borrower.schedule.length;
      const amount = isLast || installment.amountMicros > debt ? debt : installment.amountMicros;
      if (amount === 0n) break;
      const applied = applyPayment(balance, amount);
      this.payments.push({ seq: installment.seq, at: due, amount, interest: applied.interestPaidMicros, principal: applied.principalPaidMicros });
      state = { at: due, principal: applied.remaining.principalOutstandingMicros, interest: applied.remaining.interestAccruedMicros, remainder: accrual.remainder };
      this.states.push(state);
    }
  }

  /** Principal, accrued interest (with its sub-µUSD remainder) and debt at `ms` (queries mostly come in time order). */
  at(ms: number): { principal: bigint; interest: bigint; remainder: bigint; debt: bigint } {
    if (this.states[this.cursor].at > ms) this.cursor = 0;
    while (this.cursor + 1 < this.states.length && this.states[this.cursor + 1].at <= ms) this.cursor++;
    const state = this.states[this.cursor];
    const accrual = accrueInterest({ principalOutstandingMicros: state.principal, aprBps: this.aprBps, from: state.at, to: Math.max(ms, state.at), remainder: state.remainder });
    const interest = state.interest + accrual.interestMicros;
    return { principal: state.principal, interest, remainder: accrual.remainder, debt: state.principal + interest };
  }
}

function timeIdFactory() {
  let counter = 0;
  return (prefix: string, ms: number) => `${prefix}${Math.max(0, Math.floor(ms)).toString(36).padStart(9, "0")}${(counter++).toString(36).padStart(7, "0")}`;
}

// ───────────────────────────── Columns ─────────────────────────────

const ORG_COLUMNS: Columns = [["id", "text"], ["name", "text"], ["slug", "text"], ["kind", "text"], ["createdAt", "date"]];
const USER_COLUMNS: Columns = [["id", "text"], ["orgId", "text"], ["email", "text"], ["name", "text"], ["passwordHash", "text"], ["role", "text"], ["createdAt", "date"]];
const API_KEY_COLUMNS: Columns = [["id", "text"], ["orgId", "text"], ["name", "text"], ["prefix", "text"], ["hash", "text"], ["spentMicros", "bigint"], ["createdById", "text"], ["createdAt", "date"], ["lastUsedAt", "date"]];
const TOKEN_COLUMNS: Columns = [["id", "text"], ["orgId", "text"], ["name", "text"], ["prefix", "text"], ["hash", "text"], ["createdById", "text"], ["createdAt", "date"]];
const PROVIDER_COLUMNS: Columns = [["id", "text"], ["slug", "text"], ["name", "text"], ["kind", "text"], ["configJson", "text"], ["timeoutMs", "int"], ["createdAt", "date"]];
const MODEL_COLUMNS: Columns = [["id", "text"], ["slug", "text"], ["displayName", "text"], ["kind", "text"], ["ownedBy", "text"], ["contextWindow", "int"], ["createdAt", "date"]];
const ROUTE_COLUMNS: Columns = [["id", "text"], ["modelId", "text"], ["providerId", "text"], ["upstreamModel", "text"], ["priority", "int"], ["inputPriceMicrosPerMTokens", "bigint"], ["outputPriceMicrosPerMTokens", "bigint"]];
const INDEX_COLUMNS: Columns = [["id", "text"], ["day", "text"], ["priceMicrosPerGpuHour", "bigint"], ["source", "text"], ["createdAt", "date"]];
const FACILITY_COLUMNS: Columns = [["id", "text"], ["lenderOrgId", "text"], ["name", "text"], ["limitMicros", "bigint"], ["defaultAprBps", "int"], ["createdAt", "date"]];
const EVENT_COLUMNS: Columns = [
  ["id", "text"],
  ["orgId", "text"],
  ["apiKeyId", "text"],
  ["requestId", "text"],
  ["modelSlug", "text"],
  ["providerSlug", "text"],
  ["endpoint", "text"],
  ["inputTokens", "int"],
  ["outputTokens", "int"],
  ["costMicros", "bigint"],
  ["latencyMs", "int"],
  ["status", "text"],
  ["createdAt", "date"],
];
const ROLLUP_COLUMNS: Columns = [["id", "text"], ["orgId", "text"], ["day", "text"], ["modelSlug", "text"], ["providerSlug", "text"], ["requests", "int"], ["inputTokens", "bigint"], ["outputTokens", "bigint"], ["costMicros", "bigint"]];
const LOAN_COLUMNS: Columns = [
  ["id", "text"],
  ["reference", "text"],
  ["startupOrgId", "text"],
  ["lenderOrgId", "text"],
  ["facilityId", "text"],
  ["state", "text"],
  ["principalMicros", "bigint"],
  ["multiplierBps", "int"],
  ["termMonths", "int"],
  ["pledgedMicros", "bigint"],
  ["purpose", "text"],
  ["aprBps", "int"],
  ["indexAtOriginationMicros", "bigint"],
  ["principalOutstandingMicros", "bigint"],
  ["interestAccruedMicros", "bigint"],
  ["interestAccruedThrough", "date"],
  ["interestCarry", "bigint"],
  ["plannedBurnMicrosPerDay", "bigint"],
  ["lastCoverageBps", "int"],
  ["lastCoverageAt", "date"],
  ["lossMicros", "bigint"],
  ["marginCallAt", "date"],
  ["cureDeadline", "date"],
  ["submittedAt", "date"],
  ["decidedAt", "date"],
  ["decidedById", "text"],
  ["activatedAt", "date"],
  ["closedAt", "date"],
  ["createdAt", "date"],
  ["updatedAt", "date"],
];
const INSTALLMENT_COLUMNS: Columns = [["id", "text"], ["loanId", "text"], ["seq", "int"], ["dueDate", "date"], ["amountMicros", "bigint"], ["principalMicros", "bigint"], ["interestMicros", "bigint"], ["paidMicros", "bigint"], ["status", "text"], ["paidAt", "date"]];
const PAYMENT_COLUMNS: Columns = [["id", "text"], ["loanId", "text"], ["idempotencyKey", "text"], ["amountMicros", "bigint"], ["interestMicros", "bigint"], ["principalMicros", "bigint"], ["paidAt", "date"], ["recordedById", "text"]];
const SNAPSHOT_COLUMNS: Columns = [["id", "text"], ["loanId", "text"], ["at", "date"], ["collateralMicros", "bigint"], ["debtMicros", "bigint"], ["markPpm", "int"], ["coverageBps", "int"], ["indexMicros", "bigint"], ["reason", "text"]];
const ALERT_COLUMNS: Columns = [
  ["id", "text"],
  ["loanId", "text"],
  ["lenderOrgId", "text"],
  ["kind", "text"],
  ["severity", "text"],
  ["state", "text"],
  ["openKey", "text"],
  ["message", "text"],
  ["coverageBps", "int"],
  ["openedAt", "date"],
  ["acknowledgedAt", "date"],
  ["acknowledgedById", "text"],
  ["resolvedAt", "date"],
];
const FREEZE_COLUMNS: Columns = [["id", "text"], ["loanId", "text"], ["action", "text"], ["mode", "text"], ["requestedMicros", "bigint"], ["amountMicros", "bigint"], ["actorUserId", "text"], ["actorKind", "text"], ["reason", "text"], ["requestedAt", "date"], ["committedAt", "date"], ["latencyMs", "int"]];
const AUDIT_COLUMNS: Columns = [["id", "text"], ["orgId", "text"], ["actorUserId", "text"], ["actorKind", "text"], ["action", "text"], ["targetType", "text"], ["targetId", "text"], ["detailJson", "text"], ["at", "date"]];

// ───────────────────────────── The world ─────────────────────────────

function categories(count: number, rng: Random): Category[] {
  const exact = MIX.map(([category, share]) => ({ category, value: share * count }));
  const counts = exact.map((entry) => ({ ...entry, n: Math.floor(entry.value) }));
  let left = count - counts.reduce((sum, entry) => sum + entry.n, 0);
  for (const entry of [...counts].sort((a, b) => b.value - Math.floor(b.value) - (a.value - Math.floor(a.value)))) {
    if (left-- <= 0) break;
    entry.n++;
  }
  const list = counts.flatMap((entry) => new Array<Category>(entry.n).fill(entry.category));
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

export async function seedDeskWorld(loader: BulkLoader, options: DeskWorldOptions): Promise<DeskManifest> {
  const log = options.onProgress ?? (() => undefined);
  const now = options.now.getTime();
  const todayDay = dayNumber(now);
  const todayStart = todayDay * DAY_MS;
  const at = (ms: number) => new Date(ms);
  const newId = timeIdFactory();
  const index = buildIndex(todayDay);
  const indexAt = (ms: number) => index.get(Math.min(todayDay, dayNumber(ms))) ?? index.get(todayDay - INDEX_DAYS + 1)!;
  const markAt = (ms: number, indexAtOrigination: bigint) => computeMarkPpm({ indexNowMicros: indexAt(ms), indexAtOriginationMicros: indexAtOrigination, redistributionFeeBps: FEE_BPS });

  // ── Organisations, people, keys, catalogue
  log("Organisations, users, keys, catalogue and a GPU index…");
  const passwordHash = await hashPassword(DESK_LENDER.password);
  const platform = { id: newId("org", now - 800 * DAY_MS), name: "Blockable", slug: "blockable" };
  const lender = { id: newId("org", now - 700 * DAY_MS), name: DESK_LENDER.orgName, slug: "meridian-credit-partners" };
  const adminId = newId("usr", now - 800 * DAY_MS);
  const analystId = newId("usr", now - 700 * DAY_MS);
  const rng = randomFor(SEED, "loans");
  const plan = categories(options.loans, rng);

  const borrowers: Borrower[] = [];
  const facilities = [
    { id: newId("fac", now - 690 * DAY_MS), name: "Meridian Compute Credit I", apr: 1_450 },
    { id: newId("fac", now - 500 * DAY_MS), name: "Meridian Compute Credit II", apr: 1_550 },
    { id: newId("fac", now - 300 * DAY_MS), name: "Meridian Venture Compute Line", apr: 1_700 },
  ];
  let healthyTargets = 0;
  for (let i = 0; i < plan.length; i++) {
    const category = plan[i];
    const r = randomFor(SEED, `borrower:${i}`);
    const slug = `desk-borrower-${String(i + 1).padStart(4, "0")}`;
    const name = `${WORDS_A[i % WORDS_A.length]} ${WORDS_B[Math.floor(i / WORDS_A.length) % WORDS_B.length]}${i >= WORDS_A.length * WORDS_B.length ? ` ${Math.floor(i / (WORDS_A.length * WORDS_B.length)) + 1}` : ""}`;
    const isFreezeTarget = category === "healthy" && healthyTargets < options.freezeTargets;
    if (isFreezeTarget) healthyTargets++;
    const borrower = planBorrower({ i, category, slug, name, r, isFreezeTarget });
    if (borrower) borrowers.push(borrower);
  }

  function planBorrower(input: { i: number; category: Category; slug: string; name: string; r: Random; isFreezeTarget: boolean }): Borrower | null {
    const { category, r } = input;
    // Rejection sampling: a draw whose coverage path the state cannot have (e.g. the index alone
    // already took a healthy loan below 140%) is drawn again.
    for (let attempt = 0; attempt < 200; attempt++) {
      const principal = usd(Math.min(2_000_000, Math.max(25_000, Math.round(r.logNormal(120_000, 0.6) / 5_000) * 5_000)));
      const aprBps = 1_100 + 25 * r.int(0, 32);
      const multiplierBps = 12_500 + 250 * r.int(0, 10);
      let ageDays: number;
      let termMonths: number;
      if (category === "repaid") {
        termMonths = 12;
        ageDays = r.int(400, 650);
      } else if (category === "liquidated") {
        termMonths = 24;
        ageDays = r.int(260, 440);
      } else {
        ageDays = category === "delinquent" ? r.int(45, 320) : r.int(36, 330);
        termMonths = r.pick([12, 18, 24, 36].filter((m) => m * 30.4 > ageDays + 25));
      }
      const activatedAt = todayStart - ageDays * DAY_MS + r.int(9, 18) * HOUR_MS + r.int(0, 59) * 60_000;
      const schedule = buildInstallmentSchedule({ principalMicros: principal, aprBps, termMonths, startDate: activatedAt });
      const indexAtOrigination = indexAt(activatedAt);
      const mark0 = computeMarkPpm({ indexNowMicros: indexAtOrigination, indexAtOriginationMicros: indexAtOrigination, redistributionFeeBps: FEE_BPS });
      const c0 = r.int(15_400, 20_000);
      const c0Micros = collateralFor(c0, principal, mark0);
      const b: Borrower = {
        index: input.i,
        category,
        orgId: newId("org", activatedAt - 60 * DAY_MS),
        slug: input.slug,
        name: input.name,
        createdAt: activatedAt - r.int(60, 200) * DAY_MS,
        apiKey: { id: newId("key", activatedAt - 50 * DAY_MS), plaintext: generateApiKeySecret(demoKeyBytes(`blockable-desk-bench:${input.slug}`)) },
        spentMicros: 0n,
        loanId: newId("loan", activatedAt - 4 * DAY_MS),
        reference: `MCP-${new Date(activatedAt).getUTCFullYear()}-${String(input.i + 1).padStart(5, "0")}`,
        facility: input.i % facilities.length,
        principal,
        termMonths,
        aprBps,
        multiplierBps,
        activatedAt,
        schedule,
        indexAtOrigination,
        purpose: PURPOSES[input.i % PURPOSES.length],
        plannedBurnMicrosPerDay: null,
        unpaidFromSeq: null,
        freezeAt: null,
        freezeShare: 0,
        closedAt: null,
        recoveryShare: 1,
        plannedMarginCallAt: null,
        usageStartDay: 0,
        budgets: new Float64Array(0),
        carry: 0,
        windowEnd: now,
        isActivated: false,
        plannedCollateral: c0Micros,
        activationCollateral: 0n,
        pledged: 0n,
        frozen: 0n,
        purchaseCount: 0,
        eventTimes: [],
        eventCosts: [],
      };
      const preRate = Number(principal) * r.float(0.0008, 0.002); // µUSD a day before the loan
      const weekend = r.float(0.55, 0.9);
      const growth = r.float(0.7, 1.6);
      const natural = (day: number, from: number, to: number) => {
        const weekday = new Date(day * DAY_MS).getUTCDay();
        const t = (day - from) / Math.max(1, to - from);
        return Math.pow(growth, t) * (weekday === 0 || weekday === 6 ? weekend : 1) * Math.exp(0.15 * r.normal());
      };

      if (category === "repaid" || category === "liquidated") {
        // The loan closed in the past; the borrower's usage here is its last 60 days, own credits only.
        if (category === "repaid") {
          b.closedAt = schedule[schedule.length - 1].dueDate.getTime();
        } else {
          b.closedAt = todayStart - r.int(20, 150) * DAY_MS + r.int(10, 17) * HOUR_MS;
          b.plannedMarginCallAt = b.closedAt - r.int(6, 12) * DAY_MS;
          b.freezeAt = b.plannedMarginCallAt + (CURE_HOURS + r.int(2, 20)) * HOUR_MS;
          b.recoveryShare = r.chance(0.3) ? r.float(0.82, 0.97) : 1;
        }
        if (b.closedAt >= now - 10 * DAY_MS) continue;
        b.unpaidFromSeq = null;
        b.usageStartDay = todayDay - 59;
        b.budgets = new Float64Array(60);
        for (let d = 0; d < 60; d++) b.budgets[d] = preRate * natural(b.usageStartDay + d, b.usageStartDay, todayDay) * (d === 59 ? (now - todayStart) / DAY_MS : 1);
        return b;
      }

      // Open loans: debt path (delinquent loans stop paying at an installment due over a week ago).
      if (category === "delinquent") {
        const overdue = schedule.filter((row) => row.dueDate.getTime() <= todayStart - (GRACE_DAYS + 2) * DAY_MS);
        if (overdue.length === 0) continue;
        const first = overdue[Math.max(0, overdue.length - r.int(1, 2))];
        b.unpaidFromSeq = first.seq;
      }
      const debt = new DebtPath(b, now);
      const debtNow = debt.at(now).debt;
      const markNow = markAt(now, indexAtOrigination);
      const ceilingNow = computeCoverageBps({ collateralMicros: c0Micros, markPpm: markNow, debtMicros: debtNow }) ?? Number.MAX_SAFE_INTEGER;
      const waypoints: Waypoint[] = [];
      const wp = (ms: number, bps: number) => waypoints.push({ at: ms, collateral: collateralFor(bps, debt.at(ms).debt, markAt(ms, indexAtOrigination)) });
      const band = (lo: number, hi: number) => {
        if (ceilingNow - 150 < lo) return null; // even with no usage at all the loan would be below the band
        return r.int(lo, Math.min(hi, ceilingNow - 150));
      };
      let ok = true;
      switch (category) {
        case "healthy": {
          const bps = input.isFreezeTarget ? band(15_500, 19_000) : band(14_300, 21_000);
          if (bps === null) ok = false;
          else wp(now, bps);
          break;
        }
        case "early":
        case "delinquent": {
          const bps = category === "early" ? band(12_800, 13_800) : band(13_200, 16_500);
          if (bps === null) ok = false;
          else wp(now, bps);
          break;
        }
        case "margin":
        case "liquidationZone": {
          const isExpired = category === "margin" && r.chance(0.25);
          const marginCallAt = now - (isExpired ? r.int(76, 140) : r.int(category === "margin" ? 3 : 20, 66)) * HOUR_MS;
          const bps = category === "margin" ? band(11_400, 12_300) : band(10_200, 10_900);
          if (bps === null || ceilingNow < 12_700) ok = false;
          else {
            b.plannedMarginCallAt = marginCallAt;
            wp(marginCallAt - HOUR_MS, 12_540);
            wp(now, bps);
          }
          break;
        }
        case "frozenFull":
        case "frozenPartial": {
          const freezeAt = now - r.int(8, 140) * HOUR_MS;
          const marginCallAt = freezeAt - r.int(CURE_HOURS + 1, CURE_HOURS + 30) * HOUR_MS;
          if (ceilingNow < 12_900 || marginCallAt < activatedAt + 10 * DAY_MS) ok = false;
          else {
            b.plannedMarginCallAt = marginCallAt;
            b.freezeAt = freezeAt;
            wp(marginCallAt - HOUR_MS, 12_540);
            wp(freezeAt, r.int(10_300, 11_200));
            if (category === "frozenFull") b.windowEnd = freezeAt;
            else b.freezeShare = r.float(0.5, 0.75);
          }
          break;
        }
      }
      if (!ok) continue;

      // Daily usage budgets: natural weights before the loan; after activation each segment's
      // drain (collateral between waypoints) spread over the days it spans by those weights.
      const preDays = r.int(14, 45);
      b.usageStartDay = dayNumber(activatedAt) - preDays;
      const days = todayDay - b.usageStartDay + 1;
      b.budgets = new Float64Array(days);
      const weights = new Float64Array(days);
      for (let d = 0; d < days; d++) weights[d] = natural(b.usageStartDay + d, b.usageStartDay, todayDay);
      for (let d = 0; d < preDays; d++) b.budgets[d] = preRate * weights[d];
      let previous = { at: activatedAt, collateral: c0Micros };
      for (const point of waypoints) {
        const drain = previous.collateral > point.collateral ? Number(previous.collateral - point.collateral) : 0;
        spread(b, weights, previous.at, point.at, drain, now);
        previous = point;
      }
      if (category === "frozenPartial") {
        // After an AMOUNT freeze the borrower keeps spending its unfrozen credits, at its usual pace.
        const recent = Number(waypoints[0].collateral - waypoints[1].collateral) / Math.max(1, (waypoints[1].at - waypoints[0].at) / DAY_MS);
        const unfrozen = Number(waypoints[1].collateral) * (1 - b.freezeShare);
        spread(b, weights, b.freezeAt!, now, Math.min(unfrozen * 0.7, recent * ((now - b.freezeAt!) / DAY_MS)), now);
      }
      if (r.chance(0.3)) {
        const recent = b.budgets.slice(-15, -1).reduce((s, v) => s + v, 0) / 14;
        // Most borrowers stay under their plan; a few burn above it (BURN_ABOVE_PLAN).
        b.plannedBurnMicrosPerDay = BigInt(Math.round((recent * (r.chance(0.15) ? 0.7 : r.float(1.15, 1.6))) / USD)) * BigInt(USD);
        if (b.plannedBurnMicrosPerDay <= 0n) b.plannedBurnMicrosPerDay = null;
      }
      return b;
    }
    throw new Error(`could not plan a ${category} loan in 200 draws`);
  }

  /** Adds `drain` µUSD to the budgets of the days [from, to) spans, by natural weight and overlap. */
  function spread(b: Borrower, weights: Float64Array, from: number, to: number, drain: number, nowMs: number) {
    if (drain <= 0 || to <= from) return;
    const shares: { d: number; w: number }[] = [];
    for (let d = 0; d < b.budgets.length; d++) {
      const start = (b.usageStartDay + d) * DAY_MS;
      const end = Math.min(start + DAY_MS, nowMs);
      const overlap = Math.max(0, Math.min(end, to) - Math.max(start, from));
      if (overlap > 0) shares.push({ d, w: weights[d] * (overlap / DAY_MS) });
    }
    const total = shares.reduce((s, x) => s + x.w, 0);
    if (total <= 0) return;
    for (const { d, w } of shares) b.budgets[d] += (drain * w) / total;
  }

  const byState: Record<string, number> = {};
  for (const b of borrowers) byState[STATE_OF[b.category]] = (byState[STATE_OF[b.category]] ?? 0) + 1;
  log(`Planned ${borrowers.length} loans: ${Object.entries(byState).map(([s, n]) => `${n} ${s}`).join(", ")}`);

  await loader.insert("Organization", ORG_COLUMNS, [
    [platform.id, platform.name, platform.slug, "PLATFORM", at(now - 800 * DAY_MS)],
    [lender.id, lender.name, lender.slug, "LENDER", at(now - 700 * DAY_MS)],
    ...borrowers.map((b) => [b.orgId, b.name, b.slug, "STARTUP", at(b.createdAt)]),
  ]);
  await loader.insert("User", USER_COLUMNS, [
    [adminId, platform.id, DESK_ADMIN_EMAIL, "Platform Admin", passwordHash, "admin", at(now - 800 * DAY_MS)],
    [analystId, lender.id, DESK_LENDER.email, DESK_LENDER.name, passwordHash, "lender", at(now - 700 * DAY_MS)],
  ]);
  const lenderToken = generateLenderToken(demoKeyBytes("blockable-desk-bench:lender-token"));
  await loader.insert("LenderApiToken", TOKEN_COLUMNS, [[newId("tok", now - 100 * DAY_MS), lender.id, "Risk desk automation", lenderTokenPrefix(lenderToken), hashLenderToken(lenderToken), analystId, at(now - 100 * DAY_MS)]]);

  const providers = [
    { id: newId("prv", now - 800 * DAY_MS), slug: "simulator", name: "Blockable Simulator", config: { latencyMs: 250, tokensPerSecond: 90 } },
    { id: newId("prv", now - 800 * DAY_MS), slug: "simulator-backup", name: "Blockable Simulator (backup region)", config: { latencyMs: 400, tokensPerSecond: 70 } },
    { id: newId("prv", now - 800 * DAY_MS), slug: "simulator-instant", name: "Blockable Simulator (instant, for probes)", config: { latencyMs: 0, tokensPerSecond: 0 } },
  ];
  await loader.insert("Provider", PROVIDER_COLUMNS, providers.map((p) => [p.id, p.slug, p.name, "simulator", JSON.stringify(p.config), 60_000, at(now - 800 * DAY_MS)]));
  const models = [...MODELS.map((m) => ({ ...m, id: newId("mdl", now - 800 * DAY_MS) })), { slug: PROBE_MODEL, name: "Desk probe (instant simulator)", kind: "chat" as const, inPrice: 150_000n, outPrice: 600_000n, contextWindow: 128_000, id: newId("mdl", now - 800 * DAY_MS) }];
  await loader.insert("Model", MODEL_COLUMNS, models.map((m) => [m.id, m.slug, m.name, m.kind, "blockable", m.contextWindow, at(now - 800 * DAY_MS)]));
  await loader.insert(
    "ModelRoute",
    ROUTE_COLUMNS,
    models.flatMap((m) =>
      m.slug === PROBE_MODEL
        ? [[newId("rte", now), m.id, providers[2].id, m.slug, 0, m.inPrice, m.outPrice]]
        : [
            [newId("rte", now), m.id, providers[0].id, m.slug, 0, m.inPrice, m.outPrice],
            [newId("rte", now), m.id, providers[1].id, m.slug, 1, backupPrice(m.inPrice), backupPrice(m.outPrice)],
          ],
    ),
  );
  await loader.insert("GpuIndexFix", INDEX_COLUMNS, [...index].map(([day, price]) => [newId("gix", day * DAY_MS), dayKey(day), price, "seed", at(day * DAY_MS + 16 * HOUR_MS)]));
  const facilityLimit = (f: number) => borrowers.filter((b) => b.facility === f).reduce((sum, b) => sum + b.principal, 0n);
  await loader.insert("LenderFacility", FACILITY_COLUMNS, facilities.map((f, i) => [f.id, lender.id, f.name, roundUsd(Number(facilityLimit(i)) * 1.25, 1_000_000), f.apr, at(now - (690 - i * 190) * DAY_MS)]));

  // ── Usage, day by day across the book; the ledger follows each day
  await loader.deferIndexes(["UsageEvent", "UsageDaily", "LedgerTransfer", "LedgerEntry", "CoverageSnapshot"]);
  const ledger = new LedgerBuilder(newId);
  const totalBudget = borrowers.reduce((sum, b) => sum + b.budgets.reduce((s, v) => s + v, 0), 0);
  const spendingDays = borrowers.reduce((sum, b) => sum + b.budgets.filter((v) => v > 0).length, 0);
  if (options.events < spendingDays) throw new Error(`${options.events} usage events cannot give each of the ${spendingDays} borrower-days with usage one; ask for more events or fewer loans`);
  const eventsPerMicro = (options.events - spendingDays) / totalBudget;
  let eventAccumulator = 0;
  let eventsWritten = 0;
  let eventBuffer: Value[][] = [];
  let pendingInsert: Promise<void> = Promise.resolve();
  const rollupRows: Value[][] = [];
  const firstDay = Math.min(...borrowers.map((b) => b.usageStartDay));
  // The last borrower spending today takes whatever the rounding left, so the total is exact.
  const lastSpenderToday = borrowers.findLast((b) => b.closedAt !== null || b.windowEnd >= now ? b.budgets[todayDay - b.usageStartDay] > 0 : false);
  const eventRng = randomFor(SEED, "events");
  const modelWeights = MODELS.map((m) => ({ value: m, weight: m.weight }));
  const chatModelWeights = modelWeights.filter((entry) => entry.value.kind === "chat");
  const hourWeights = [3, 2, 2, 2, 2, 3, 4, 6, 8, 10, 11, 12, 12, 13, 14, 14, 13, 12, 10, 8, 7, 6, 5, 4].map((weight, hour) => ({ value: hour, weight }));
  let topUps = 0;
  log(`Generating ${options.events.toLocaleString("en-US")} usage events from ${dayKey(firstDay)} to ${dayKey(todayDay)}…`);
  const started = performance.now();

  for (let day = firstDay; day <= todayDay; day++) {
    const dayStart = day * DAY_MS;
    const dayEvents: { ms: number; row: Value[] }[] = [];
    const rollups = new Map<string, { orgId: string; model: string; provider: string; requests: number; input: bigint; output: bigint; cost: bigint }>();
    for (const b of borrowers) {
      const d = day - b.usageStartDay;
      if (d < 0 || d >= b.budgets.length) continue;
      const isOpenLoan = b.closedAt === null;
      // Credits in: the first day's purchase covers the pre-loan usage plus what the borrower will pledge.
      if (d === 0) {
        const preBudget = isOpenLoan ? b.budgets.slice(0, dayNumber(b.activatedAt) - b.usageStartDay).reduce((s, v) => s + v, 0) : b.budgets.reduce((s, v) => s + v, 0);
        const pledgePlan = isOpenLoan ? Number(b.plannedCollateral - (b.principal * BigInt(b.multiplierBps)) / 10_000n) : 0;
        const amount = roundUsd(preBudget * 1.03 + Math.max(0, pledgePlan) + 100 * USD, 100);
        ledger.issue({ orgId: b.orgId, amount, kind: "PURCHASED", key: `bench:purchase:${b.slug}:${++b.purchaseCount}`, memo: "Credit purchase", at: at(dayStart + 8 * HOUR_MS) });
      }
      // Activation: P × multiplier financed, every own credit left pledged.
      if (isOpenLoan && day === dayNumber(b.activatedAt)) {
        const financed = (b.principal * BigInt(b.multiplierBps)) / 10_000n;
        ledger.issue({ orgId: b.orgId, amount: financed, kind: "FINANCED", loanId: b.loanId, lenderOrgId: lender.id, key: `loan:${b.loanId}:finance`, memo: `Financed credits of loan ${b.reference}`, at: at(b.activatedAt) });
        const own = ledger.lots(b.orgId).filter((lot) => lot.kind === "PURCHASED").reduce((s, lot) => s + lot.remainingMicros, 0n);
        if (own > 0n) ledger.pledge({ orgId: b.orgId, loanId: b.loanId, lenderOrgId: lender.id, amount: own, at: at(b.activatedAt) });
        b.pledged = own;
        b.activationCollateral = financed + own;
        b.isActivated = true;
      }
      // The day's events, inside the part of the day the borrower could spend in.
      const from = Math.max(dayStart, isOpenLoan && day === dayNumber(b.activatedAt) ? b.activatedAt + 60_000 : dayStart);
      const to = Math.min(dayStart + DAY_MS, now, b.windowEnd) - 1;
      let budget = b.budgets[d] + b.carry;
      b.carry = 0;
      const available = Number(ledger.spendable(b.orgId, at(dayStart)));
      if (budget > available * 0.995) budget = available * 0.995;
      const isLastDay = day === todayDay && b === lastSpenderToday;
      // Every day with money to spend has at least one event (its burn must land that day, or the
      // loan misses its coverage path); the rest of the events go by budget.
      let count = (b.budgets[d] > 0 ? 1 : 0) + Math.floor(eventAccumulator + b.budgets[d] * eventsPerMicro) - Math.floor(eventAccumulator);
      eventAccumulator += b.budgets[d] * eventsPerMicro;
      if (isLastDay) count = Math.max(0, options.events - eventsWritten - dayEvents.length);
      if (to <= from || budget <= 0 || count === 0) {
        b.carry = to > from ? budget : 0;
        if (count > 0) eventAccumulator -= count; // give the events back to the following days
        continue;
      }
      const weights: number[] = [];
      const drafts: { model: ModelSpec; backup: boolean; ms: number }[] = [];
      for (let i = 0; i < count; i++) {
        // The day's first event is a chat request, so the day's budget always has room to land (an embedding's is capped).
        const model = eventRng.weighted(i === 0 ? chatModelWeights : modelWeights);
        weights.push(eventRng.logNormal(1, 0.7) * model.costScale);
        const hour = eventRng.weighted(hourWeights);
        let ms = dayStart + hour * HOUR_MS + Math.floor(eventRng.next() * HOUR_MS);
        if (ms < from || ms >= to) ms = from + Math.floor(eventRng.next() * (to - from));
        drafts.push({ model, backup: eventRng.chance(BACKUP_SHARE), ms });
      }
      const weightTotal = weights.reduce((s, w) => s + w, 0);
      // Tokens so that each event costs its share of the day's budget (DESIGN.md's cost formula).
      const events = drafts.map((draft, i) => {
        const inPrice = draft.backup ? backupPrice(draft.model.inPrice) : draft.model.inPrice;
        const outPrice = draft.backup ? backupPrice(draft.model.outPrice) : draft.model.outPrice;
        const roll = eventRng.next();
        const status = i === 0 ? "ok" : roll < 0.005 ? "error" : roll < 0.009 ? "aborted" : "ok";
        const target = (budget * weights[i]) / weightTotal; // µUSD
        let outTokens = draft.model.kind === "embedding" ? 0 : Math.max(1, Math.round(eventRng.logNormal(draft.model.outMedian, 0.5)));
        if ((outTokens * Number(outPrice)) / 1e6 > target * 0.5) outTokens = Math.max(draft.model.kind === "embedding" ? 0 : 1, Math.floor((target * 0.5 * 1e6) / Number(outPrice)));
        const maxIn = draft.model.kind === "embedding" ? MAX_EMBEDDING_TOKENS : MAX_INPUT_TOKENS;
        const inTokens = Math.min(maxIn, Math.max(1, Math.round((target * 1e6 - outTokens * Number(outPrice)) / Number(inPrice))));
        return { ...draft, inPrice, outPrice, status, inTokens, outTokens, maxIn };
      });
      const costOf = (e: (typeof events)[number]) => (e.status === "error" ? 0n : ceilDiv(BigInt(e.inTokens) * e.inPrice + BigInt(e.outTokens) * e.outPrice, 1_000_000n));
      // What capped events could not carry goes to the others with room (a batch of embeddings is
      // cheap however large), dearest input first; what none can carry waits for the next day.
      let residual = budget - events.reduce((sum, e) => sum + Number(costOf(e)), 0);
      for (const e of [...events].filter((x) => x.status !== "error").sort((x, y) => Number(y.inPrice - x.inPrice))) {
        if (residual <= 1) break;
        const add = Math.min(e.maxIn - e.inTokens, Math.floor((residual * 1e6) / Number(e.inPrice)));
        if (add <= 0) continue;
        const before = costOf(e);
        e.inTokens += add;
        residual -= Number(costOf(e) - before);
      }
      if (residual > 0) b.carry = residual;
      let dayCost = 0n;
      for (const e of events) {
        const cost = costOf(e);
        const provider = e.backup ? "simulator-backup" : "simulator";
        const latencyMs = e.status === "error" ? eventRng.int(40, 900) : e.model.kind === "embedding" ? eventRng.int(25, 90) : eventRng.int(300, 900) + Math.round((e.outTokens / 90) * 1000);
        dayCost += cost;
        dayEvents.push({ ms: e.ms, row: [null, b.orgId, b.apiKey.id, null, e.model.slug, provider, e.model.kind === "embedding" ? "embeddings" : "chat.completions", e.inTokens, e.outTokens, cost, latencyMs, e.status, at(e.ms)] });
        const key = `${b.orgId}|${e.model.slug}|${provider}`;
        const rollup = rollups.get(key) ?? { orgId: b.orgId, model: e.model.slug, provider, requests: 0, input: 0n, output: 0n, cost: 0n };
        rollup.requests++;
        rollup.input += BigInt(e.inTokens);
        rollup.output += BigInt(e.outTokens);
        rollup.cost += cost;
        rollups.set(key, rollup);
        if (isOpenLoan && b.isActivated && cost > 0n) {
          b.eventTimes.push(e.ms);
          b.eventCosts.push(Number(cost));
        }
      }
      if (dayCost > 0n) {
        const spendable = ledger.spendable(b.orgId, at(dayStart));
        if (dayCost > spendable) {
          // Never happens with the budgets above (kept under 99.5% of spendable); kept as a guard.
          topUps++;
          ledger.issue({ orgId: b.orgId, amount: roundUsd(Number(dayCost - spendable) + 1_000 * USD, 1_000), kind: "PURCHASED", key: `bench:purchase:${b.slug}:${++b.purchaseCount}`, memo: "Credit top-up", at: at(from) });
        }
        ledger.usage({ orgId: b.orgId, day: dayKey(day), amount: dayCost, at: at(to) });
        b.spentMicros += dayCost;
      }
      // The lender's freeze, after the day's usage up to it.
      if (b.freezeAt !== null && isOpenLoan && day === dayNumber(b.freezeAt)) {
        const loanLots = ledger.lots(b.orgId).filter((lot) => lot.loanId === b.loanId);
        const unfrozen = loanLots.reduce((s, lot) => s + lot.remainingMicros - lot.frozenMicros, 0n);
        const spendable = ledger.spendable(b.orgId, at(b.freezeAt));
        const amount = b.category === "frozenFull" ? minBig(unfrozen, spendable) : minBig((BigInt(Math.round(Number(unfrozen) * b.freezeShare / USD)) * BigInt(USD)), spendable);
        ledger.freeze({ orgId: b.orgId, loanId: b.loanId, amount, key: `bench:freeze:${b.reference}`, memo: "Frozen by the lender after the cure window expired", at: at(b.freezeAt + 40) });
        b.frozen = amount;
      }
    }
    for (const rollup of rollups.values()) rollupRows.push([newId("ud", dayStart), rollup.orgId, dayKey(day), rollup.model, rollup.provider, rollup.requests, rollup.input, rollup.output, rollup.cost]);
    dayEvents.sort((a, b) => a.ms - b.ms);
    for (const event of dayEvents) {
      const id = newId("ue", event.ms);
      event.row[0] = id;
      event.row[3] = `req_${id.slice(2)}`;
      eventBuffer.push(event.row);
    }
    eventsWritten += dayEvents.length;
    if (eventBuffer.length >= 100_000 || day === todayDay) {
      // One load in flight while the next days are generated (PostgreSQL works in its own process).
      await pendingInsert;
      pendingInsert = loader.insert("UsageEvent", EVENT_COLUMNS, eventBuffer);
      eventBuffer = [];
      log(`  ${dayKey(day)}: ${eventsWritten.toLocaleString("en-US")} events (${Math.round((performance.now() - started) / 1000)} s)`);
    }
  }
  await pendingInsert;
  await loader.insert("UsageDaily", ROLLUP_COLUMNS, rollupRows);
  await loader.insert(
    "ApiKey",
    API_KEY_COLUMNS,
    borrowers.map((b) => [b.apiKey.id, b.orgId, "Production", apiKeyPrefix(b.apiKey.plaintext), hashApiKey(b.apiKey.plaintext), b.spentMicros, null, at(b.usageStartDay * DAY_MS), at(now - 60_000)]),
  );

  // ── Loans, installments, payments, snapshots, alerts, freezes, audit
  log("Loans, installments, payments, coverage snapshots, alerts…");
  const loanRows: Value[][] = [];
  const installmentRows: Value[][] = [];
  const paymentRows: Value[][] = [];
  const snapshotRows: Value[][] = [];
  const alertRows: Value[][] = [];
  const freezeRows: Value[][] = [];
  const auditRows: Value[][] = [];
  const stateMismatches: string[] = [];
  const finalCoverage = new Map<Borrower, number | null>();
  const stepMs = Math.max(1, Math.round(DAY_MS / options.snapshotsPerDay));
  const audit = (orgId: string | null, actor: string | null, kind: string, action: string, targetId: string, detail: Record<string, unknown>, ms: number) =>
    auditRows.push([newId("aud", ms), orgId, actor, kind, action, "Loan", targetId, JSON.stringify(detail), at(ms)]);
  const alert = (b: Borrower, kind: string, severity: string, state: "OPEN" | "ACKNOWLEDGED" | "RESOLVED", openedAt: number, message: string, coverage: number | null, resolvedAt: number | null = null) =>
    alertRows.push([
      newId("alr", openedAt),
      b.loanId,
      lender.id,
      kind,
      severity,
      state,
      state === "RESOLVED" ? null : `${b.loanId}:${kind}`,
      message,
      coverage,
      at(openedAt),
      state === "ACKNOWLEDGED" || (state === "RESOLVED" && resolvedAt !== null) ? at(openedAt + 2 * HOUR_MS) : null,
      state === "ACKNOWLEDGED" || (state === "RESOLVED" && resolvedAt !== null) ? analystId : null,
      state === "RESOLVED" ? at(resolvedAt ?? openedAt + DAY_MS) : null,
    ]);
  const pct = (bps: number | null) => (bps === null ? "∞" : `${(bps / 100).toFixed(1)}%`);
  const usdText = (micros: bigint) => `$${(Number(micros) / USD).toLocaleString("en-US", { maximumFractionDigits: 2 })}`;

  for (const b of borrowers) {
    const isOpen = b.closedAt === null;
    const debt = new DebtPath(b, isOpen ? now : b.closedAt!);
    const r = randomFor(SEED, `loan-rows:${b.index}`);
    const series: { at: number; coverage: number | null }[] = [];
    const snapshot = (ms: number, collateral: bigint, reason: string) => {
      const d = debt.at(ms).debt;
      const mark = markAt(ms, b.indexAtOrigination);
      const coverage = computeCoverageBps({ collateralMicros: collateral, markPpm: mark, debtMicros: d });
      snapshotRows.push([newId("cs", ms), b.loanId, at(ms), collateral, d, mark, coverage, indexAt(ms), reason]);
      series.push({ at: ms, coverage });
      return coverage;
    };
    let marginCallAt: number | null = null;
    let coverageNow: number | null = null;
    const debtNow = debt.at(isOpen ? now : b.closedAt!);

    if (isOpen) {
      // Snapshot times: activation, end of each day, then `snapshotsPerDay` a day for the last 31 days, the freeze, now.
      const times: { ms: number; reason: string }[] = [{ ms: b.activatedAt, reason: "approval" }];
      const denseFrom = todayStart - DENSE_SNAPSHOT_DAYS * DAY_MS;
      for (let day = dayNumber(b.activatedAt); day * DAY_MS + DAY_MS - 60_000 < Math.min(denseFrom, now); day++) times.push({ ms: day * DAY_MS + DAY_MS - 60_000, reason: "monitor" });
      for (let ms = Math.max(denseFrom, Math.ceil(b.activatedAt / stepMs) * stepMs); ms < now; ms += stepMs) if (ms > b.activatedAt) times.push({ ms, reason: "monitor" });
      if (b.freezeAt !== null) times.push({ ms: b.freezeAt + 40, reason: "freeze" });
      times.sort((x, y) => x.ms - y.ms);
      let spent = 0;
      let e = 0;
      for (const t of times) {
        while (e < b.eventTimes.length && b.eventTimes[e] < t.ms) spent += b.eventCosts[e++];
        snapshot(t.ms, b.activationCollateral - BigInt(spent), t.reason);
      }
      while (e < b.eventTimes.length) spent += b.eventCosts[e++];
      const collateralNow = b.activationCollateral - BigInt(spent);
      const lotsCollateral = ledger.lots(b.orgId).filter((lot) => lot.loanId === b.loanId).reduce((s, lot) => s + lot.remainingMicros, 0n);
      if (lotsCollateral !== collateralNow) throw new Error(`${b.reference}: snapshots say ${collateralNow} µUSD of collateral, the lots ${lotsCollateral}`);
      coverageNow = snapshot(now, collateralNow, "monitor");
      // The margin call opened where coverage last fell below maintenance.
      if (b.plannedMarginCallAt !== null) {
        for (let i = series.length - 1; i > 0; i--) {
          if (series[i].at > (b.freezeAt ?? now) + 1_000) continue;
          if ((series[i].coverage ?? Infinity) < MAINTENANCE_BPS && (series[i - 1].coverage ?? Infinity) >= MAINTENANCE_BPS) {
            marginCallAt = series[i].at;
            break;
          }
        }
        marginCallAt ??= b.plannedMarginCallAt;
      }
      const state = STATE_OF[b.category];
      const c = coverageNow ?? Infinity;
      const fits =
        b.category === "healthy" ? c >= 14_000 : b.category === "early" ? c >= MAINTENANCE_BPS && c < 14_000 : b.category === "delinquent" ? c >= MAINTENANCE_BPS : state === "MARGIN_CALL" ? c < MAINTENANCE_BPS : true;
      if (!fits) stateMismatches.push(`${b.reference} ${state} (${b.category}) at ${pct(coverageNow)}`);
    } else {
      // A closed loan's last month, for its chart: coverage easing from ~150% (repaid) or falling to ~105% (liquidated).
      const from = Math.max(b.activatedAt, b.closedAt! - 30 * DAY_MS);
      for (let ms = from; ms <= b.closedAt!; ms += DAY_MS) {
        const t = (ms - from) / Math.max(1, b.closedAt! - from);
        const bps = b.category === "repaid" ? 15_000 + Math.round(2_000 * t) : Math.round(13_200 - 2_800 * t);
        const d = debt.at(ms).debt;
        if (d === 0n) break;
        snapshot(ms, collateralFor(bps, d, markAt(ms, b.indexAtOrigination)), "monitor");
      }
      marginCallAt = b.plannedMarginCallAt;
    }
    finalCoverage.set(b, coverageNow);

    // Installments and payments (a liquidation's proceeds pay like a payment, oldest first).
    const paidBySeq = new Map(debt.payments.map((p) => [p.seq, p]));
    let installments = b.schedule.map((row) => ({ seq: row.seq, dueDate: row.dueDate, amountMicros: row.amountMicros, paidMicros: paidBySeq.get(row.seq)?.amount ?? 0n }));
    let debtAfter = isOpen ? debtNow.debt : 0n;
    let lossMicros = 0n;
    const payments = debt.payments.map((p) => [newId("pay", p.at), b.loanId, `bench:payment:${b.reference}:${p.seq}`, p.amount, p.interest, p.principal, at(p.at), adminId] as Value[]);
    if (b.category === "liquidated") {
      const proceeds = (debtNow.debt * BigInt(Math.round(b.recoveryShare * 10_000))) / 10_000n;
      const interest = minBig(proceeds, debtNow.interest);
      const principal = proceeds - interest;
      lossMicros = debtNow.principal - principal;
      payments.push([newId("pay", b.closedAt!), b.loanId, `bench:liquidation:${b.reference}`, proceeds, interest, principal, at(b.closedAt!), null]);
      const allocations = new Map(allocatePaymentToInstallments(installments, proceeds).map((a) => [a.seq, a.paidMicros]));
      installments = installments.map((row) => ({ ...row, paidMicros: allocations.get(row.seq) ?? row.paidMicros }));
      debtAfter = 0n;
    }
    const statuses = installmentStatuses(installments, now, GRACE_DAYS, { debtMicros: debtAfter });
    for (const row of installments) {
      const payment = paidBySeq.get(row.seq);
      let status: string = statuses.get(row.seq)!;
      // A full liquidation with a loss writes off what its proceeds did not pay.
      if (b.category === "liquidated" && lossMicros > 0n && row.paidMicros < row.amountMicros) status = INSTALLMENT_WRITTEN_OFF;
      const planned = b.schedule[row.seq - 1];
      installmentRows.push([newId("ins", row.dueDate.getTime()), b.loanId, row.seq, row.dueDate, planned.amountMicros, planned.principalMicros, planned.interestMicros, row.paidMicros, status, payment ? at(payment.at) : row.paidMicros > 0n ? at(b.closedAt ?? now) : null]);
    }
    paymentRows.push(...payments);

    const state = STATE_OF[b.category];
    const cureDeadline = marginCallAt !== null ? marginCallAt + CURE_HOURS * HOUR_MS : null;
    const isInMarginCall = state === "MARGIN_CALL" || state === "FROZEN" || b.category === "liquidated";
    loanRows.push([
      b.loanId,
      b.reference,
      b.orgId,
      lender.id,
      facilities[b.facility].id,
      state,
      b.principal,
      b.multiplierBps,
      b.termMonths,
      b.pledged,
      b.purpose,
      b.aprBps,
      b.indexAtOrigination,
      isOpen ? debtNow.principal : 0n,
      isOpen ? debtNow.interest : 0n,
      at(isOpen ? now : b.closedAt!),
      isOpen ? debtNow.remainder : 0n,
      b.plannedBurnMicrosPerDay,
      isOpen ? coverageNow : series.at(-1)?.coverage ?? null,
      at(isOpen ? now : series.at(-1)?.at ?? b.closedAt!),
      lossMicros,
      isInMarginCall && marginCallAt !== null ? at(marginCallAt) : null,
      isInMarginCall && cureDeadline !== null ? at(cureDeadline) : null,
      at(b.activatedAt - 4 * DAY_MS - 5 * HOUR_MS),
      at(b.activatedAt - 10 * 60_000),
      adminId,
      at(b.activatedAt),
      b.closedAt === null ? null : at(b.closedAt),
      at(b.activatedAt - 4 * DAY_MS - 6 * HOUR_MS),
      at(isOpen ? now : b.closedAt!),
    ]);
    audit(platform.id, adminId, "user", "loan.disbursed", b.loanId, { reference: b.reference, principalMicros: b.principal.toString(), multiplierBps: b.multiplierBps, aprBps: b.aprBps }, b.activatedAt);

    // Alerts where the history crossed the thresholds.
    const crossing = (level: number) => {
      for (let i = series.length - 1; i > 0; i--) if ((series[i].coverage ?? Infinity) < level && (series[i - 1].coverage ?? Infinity) >= level) return series[i];
      return null;
    };
    if (isOpen) {
      const c = coverageNow ?? Infinity;
      for (const [kind, level] of [["EARLY_WARNING_1", 14_000], ["EARLY_WARNING_2", 13_000]] as const) {
        const crossed = crossing(level);
        if (c < level && crossed) {
          const escalated = c < MAINTENANCE_BPS || b.category === "delinquent";
          alert(b, kind, "warning", escalated || r.chance(0.3) ? "ACKNOWLEDGED" : "OPEN", crossed.at, `Coverage fell below the ${level / 100}% early-warning level (then ${pct(crossed.coverage)}).`, crossed.coverage);
        }
      }
      if (c >= 14_000 && r.chance(0.2)) {
        const openedAt = b.activatedAt + r.int(5, 30) * DAY_MS;
        alert(b, "EARLY_WARNING_1", "warning", "RESOLVED", openedAt, "Coverage fell below the 140% early-warning level.", 13_900, openedAt + r.int(1, 6) * DAY_MS);
      }
      if (marginCallAt !== null) {
        const coverageThen = series.find((s) => s.at >= marginCallAt!)?.coverage ?? coverageNow;
        alert(b, "MARGIN_CALL", "critical", state === "FROZEN" || r.chance(0.3) ? "ACKNOWLEDGED" : "OPEN", marginCallAt, `Coverage fell below the 125% maintenance level: margin call, cure by ${new Date(cureDeadline!).toISOString().slice(0, 16).replace("T", " ")} UTC.`, coverageThen);
      }
      const liquidation = crossing(LIQUIDATION_BPS);
      if (c < LIQUIDATION_BPS && liquidation) alert(b, "LIQUIDATION_ZONE", "critical", "OPEN", liquidation.at, `Coverage fell below the 110% liquidation level (now ${pct(coverageNow)}).`, liquidation.coverage);
      if (b.category === "delinquent" && b.unpaidFromSeq !== null) {
        const overdue = b.schedule[b.unpaidFromSeq - 1];
        const openedAt = overdue.dueDate.getTime() + (GRACE_DAYS + 1) * DAY_MS + 60_000;
        alert(b, "PAYMENT_OVERDUE", "critical", r.chance(0.4) ? "ACKNOWLEDGED" : "OPEN", openedAt, `Installment ${overdue.seq} (${usdText(overdue.amountMicros)}) is unpaid ${GRACE_DAYS} days past its due date.`, series.find((s) => s.at >= openedAt)?.coverage ?? coverageNow);
      }
      if (b.plannedBurnMicrosPerDay !== null) {
        const recent = b.budgets.slice(-8, -1).reduce((s, v) => s + v, 0) / 7;
        if (recent > Number(b.plannedBurnMicrosPerDay)) alert(b, "BURN_ABOVE_PLAN", "info", "OPEN", now - r.int(2, 60) * HOUR_MS, `7-day burn ${usdText(BigInt(Math.round(recent)))}/day is above the planned ${usdText(b.plannedBurnMicrosPerDay)}/day.`, coverageNow);
      }
      if (b.freezeAt !== null) {
        const latencyMs = r.int(25, 90);
        const mode = b.category === "frozenFull" ? "FULL" : "AMOUNT";
        const reason = "Cure window expired with coverage below maintenance.";
        freezeRows.push([newId("frz", b.freezeAt), b.loanId, "FREEZE", mode, mode === "AMOUNT" ? b.frozen : null, b.frozen, analystId, "user", reason, at(b.freezeAt), at(b.freezeAt + latencyMs), latencyMs]);
        alert(b, "FROZEN", "critical", "OPEN", b.freezeAt + latencyMs, `Collateral frozen by ${DESK_LENDER.orgName}: ${usdText(b.frozen)}.`, series.find((s) => s.at >= b.freezeAt!)?.coverage ?? coverageNow);
        audit(lender.id, analystId, "user", "collateral.freeze", b.loanId, { mode, amountMicros: b.frozen.toString(), reason, latencyMs }, b.freezeAt + latencyMs);
      }
    } else if (b.category === "liquidated") {
      const closedAt = b.closedAt!;
      alert(b, "MARGIN_CALL", "critical", "RESOLVED", b.plannedMarginCallAt!, "Coverage fell below the 125% maintenance level: margin call.", 12_400, closedAt);
      alert(b, "FROZEN", "critical", "RESOLVED", b.freezeAt!, `Collateral frozen by ${DESK_LENDER.orgName}.`, 11_300, closedAt);
      const latencyMs = r.int(25, 90);
      freezeRows.push([newId("frz", b.freezeAt!), b.loanId, "FREEZE", "FULL", null, collateralFor(11_300, debtNow.debt, markAt(b.freezeAt!, b.indexAtOrigination)), analystId, "user", "Cure window expired.", at(b.freezeAt!), at(b.freezeAt! + latencyMs), latencyMs]);
      audit(lender.id, analystId, "user", "collateral.liquidate", b.loanId, { scope: "FULL", lossMicros: lossMicros.toString() }, closedAt);
    } else {
      audit(platform.id, null, "system", "loan.repaid", b.loanId, { reference: b.reference }, b.closedAt!);
    }
  }

  await loader.insert("Loan", LOAN_COLUMNS, loanRows);
  log("Ledger accounts, transfers, entries and lots…");
  await loader.insert("LedgerAccount", ACCOUNT_COLUMNS, ledger.accountRows());
  await loader.insert("LedgerTransfer", TRANSFER_COLUMNS, ledger.transfers);
  await loader.insert("LedgerEntry", ENTRY_COLUMNS, ledger.entries);
  await loader.insert("CreditLot", LOT_COLUMNS, ledger.lotRows());
  await loader.insert("Installment", INSTALLMENT_COLUMNS, installmentRows);
  await loader.insert("Payment", PAYMENT_COLUMNS, paymentRows);
  log(`${snapshotRows.length.toLocaleString("en-US")} coverage snapshots…`);
  // In id (= time) order, so the primary key grows at its right edge instead of loan by loan.
  snapshotRows.sort((x, y) => ((x[0] as string) < (y[0] as string) ? -1 : 1));
  await loader.insert("CoverageSnapshot", SNAPSHOT_COLUMNS, snapshotRows);
  await loader.insert("Alert", ALERT_COLUMNS, alertRows);
  await loader.insert("FreezeEvent", FREEZE_COLUMNS, freezeRows);
  await loader.insert("AuditLog", AUDIT_COLUMNS, auditRows);
  log("Rebuilding the deferred indexes…");
  await loader.restoreIndexes();
  if (topUps > 0) log(`note: ${topUps} borrower-days needed a credit top-up`);

  const open = borrowers.filter((b) => b.closedAt === null);
  const worst = [...open].sort((x, y) => (finalCoverage.get(x) ?? Infinity) - (finalCoverage.get(y) ?? Infinity))[0];
  const targets = open.filter((b) => b.category === "healthy").slice(0, options.freezeTargets);
  return {
    lender: { orgId: lender.id, email: DESK_LENDER.email, password: DESK_LENDER.password, name: DESK_LENDER.name },
    lenderApiToken: lenderToken,
    probeModel: PROBE_MODEL,
    freezeTargets: targets.map((b) => ({ loanId: b.loanId, reference: b.reference, startupOrgId: b.orgId, startupName: b.name, apiKey: b.apiKey.plaintext, coverageBps: finalCoverage.get(b) ?? null })),
    worstLoan: { loanId: worst.loanId, reference: worst.reference, state: STATE_OF[worst.category], coverageBps: finalCoverage.get(worst) ?? null },
    loansByState: byState,
    counts: Object.fromEntries(loader.counts),
    stateMismatches,
  };
}
