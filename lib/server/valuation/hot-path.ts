import "@/lib/server/server-only";
import { coverageAlertLevels } from "@/lib/domain/alerts";
import { OPEN_LOAN_STATES, isCollateralLive } from "@/lib/domain/loans/lifecycle";
import { BPS_DENOMINATOR, ceilDiv } from "@/lib/domain/money";
import { resolveMark, type MarkInput, type MarkRatio } from "@/lib/domain/valuation";
import { earlyWarningLevels } from "@/lib/server/alerts/evaluate";
import type { Db } from "@/lib/server/db/client";
import { databaseKey, processWide } from "@/lib/server/process-wide";
import { loadLoanFigures } from "@/lib/server/loans/figures";
import type { LoanRow } from "@/lib/server/loans/transition";
import { recomputeCoverage } from "./coverage";

// "Coverage is recomputed on every settled request of the borrower" (DESIGN.md) without slowing
// the routing API: the gateway calls noteBorrowerSpend() after each settlement and does not wait.
//
// - An organisation without an open loan costs one Set lookup: the set of borrowers is reloaded
//   (one query for all of them) at most every BORROWERS_TTL_MS.
// - For a borrower, an in-memory watch per open loan holds collateral, frozen credits, debt and
//   mark (reloaded at most every LOAN_TTL_MS) and the collateral level below which coverage would
//   cross the next threshold under the one last recorded (early warnings, maintenance,
//   liquidation): with the exact mark m = n/d, coverage < T ⇔ ⌊C·n·10⁴ / (D·d)⌋ < T ⇔
//   C < ⌈T·D·d / (10⁴·n)⌉. Each spend subtracts
//   from the estimate (usage consumes the loan's financed and pledged lots first, never frozen
//   ones), and one bigint comparison says whether a threshold was crossed.
// - Only a crossing, or TIME_BUDGET_MS since the last recorded coverage, schedules a real
//   recomputeCoverage (snapshot, alerts, margin call, auto-freeze) — one in flight per loan,
//   spends during it are carried over, a failure waits RETRY_AFTER_FAILURE_MS.
// Each process keeps its own watches; the database stays the truth (the recompute reads it).

export const BORROWERS_TTL_MS = 5_000;
export const LOAN_TTL_MS = 5_000;
export const TIME_BUDGET_MS = 60_000;
export const RETRY_AFTER_FAILURE_MS = 5_000;

type LoanWatch = {
  loanId: string;
  collateralMicros: bigint;
  frozenMicros: bigint;
  debtMicros: bigint;
  /** The exact mark (the trigger must cross where the recompute will). */
  mark: MarkRatio;
  levelsBps: number[];
  /** Estimated collateral below this crosses the next threshold; null = no threshold left to cross. */
  triggerBelowMicros: bigint | null;
  lastRecordedAtMs: number;
  isInFlight: boolean;
  spentDuringFlightMicros: bigint;
  retryAtMs: number;
};

type OrgWatch = { loans: LoanWatch[]; loadedAtMs: number; isLoading: boolean };

type Hook = {
  borrowers: Set<string>;
  borrowersLoadedAtMs: number;
  isLoadingBorrowers: boolean;
  orgs: Map<string, OrgWatch>;
  pending: Set<Promise<unknown>>;
  recomputes: number;
};

const hooks = processWide("coverageHooks", () => new WeakMap<object, Hook>());

function hookFor(db: Db): Hook {
  let hook = hooks.get(databaseKey(db));
  if (!hook) {
    hook = { borrowers: new Set(), borrowersLoadedAtMs: -Infinity, isLoadingBorrowers: false, orgs: new Map(), pending: new Set(), recomputes: 0 };
    hooks.set(databaseKey(db), hook);
  }
  return hook;
}

function track(hook: Hook, promise: Promise<unknown>) {
  hook.pending.add(promise);
  void promise.finally(() => hook.pending.delete(promise));
}

/**
 * The collateral below which coverage falls under the highest threshold the recorded coverage is
 * still at or above. null when coverage is infinite (no debt: spend cannot cross anything), the
 * mark is 0, or it is already below every threshold.
 */
export function collateralTriggerMicros(input: { levelsBps: readonly number[]; recordedCoverageBps: number | null; debtMicros: bigint } & MarkInput): bigint | null {
  const mark = resolveMark(input);
  if (input.debtMicros === 0n || mark.numerator === 0n) return null;
  const recorded = input.recordedCoverageBps;
  const next = input.levelsBps.find((level) => recorded === null || recorded >= level);
  if (next === undefined) return null;
  return ceilDiv(BigInt(next) * input.debtMicros * mark.denominator, BPS_DENOMINATOR * mark.numerator);
}

function levelsOf(loan: LoanRow): number[] {
  return coverageAlertLevels({ earlyWarningBps: earlyWarningLevels(loan), maintenanceBps: loan.maintenanceCoverageBps, liquidationBps: loan.liquidationCoverageBps }).map((level) => level.thresholdBps);
}

function refreshBorrowers(db: Db, hook: Hook, nowMs: number) {
  hook.isLoadingBorrowers = true;
  track(
    hook,
    db.loan
      .findMany({ where: { state: { in: [...OPEN_LOAN_STATES] } }, select: { startupOrgId: true }, distinct: ["startupOrgId"] })
      .then((rows) => {
        hook.borrowers = new Set(rows.map((row) => row.startupOrgId));
        for (const orgId of hook.orgs.keys()) if (!hook.borrowers.has(orgId)) hook.orgs.delete(orgId);
      })
      .catch((error) => console.error("coverage hook: loading borrowers failed", error))
      .finally(() => {
        hook.borrowersLoadedAtMs = nowMs;
        hook.isLoadingBorrowers = false;
      }),
  );
}

function refreshOrg(db: Db, hook: Hook, orgId: string, org: OrgWatch, now: Date) {
  org.isLoading = true;
  const nowMs = now.getTime();
  track(
    hook,
    (async () => {
      const loans = await db.loan.findMany({ where: { startupOrgId: orgId, state: { in: [...OPEN_LOAN_STATES] } }, orderBy: { id: "asc" } });
      const previous = new Map(org.loans.map((watch) => [watch.loanId, watch]));
      const watches: LoanWatch[] = [];
      for (const loan of loans) {
        const figures = await loadLoanFigures(db, loan, now);
        const kept = previous.get(loan.id);
        const levelsBps = levelsOf(loan);
        const watch: LoanWatch = {
          loanId: loan.id,
          collateralMicros: figures.collateralMicros,
          frozenMicros: figures.frozenCollateralMicros,
          debtMicros: figures.debtMicros,
          mark: figures.mark,
          levelsBps,
          triggerBelowMicros: collateralTriggerMicros({ levelsBps, recordedCoverageBps: loan.lastCoverageBps, debtMicros: figures.debtMicros, mark: figures.mark }),
          lastRecordedAtMs: loan.lastCoverageAt?.getTime() ?? -Infinity,
          isInFlight: kept?.isInFlight ?? false,
          spentDuringFlightMicros: kept?.spentDuringFlightMicros ?? 0n,
          retryAtMs: kept?.retryAtMs ?? -Infinity,
        };
        watches.push(watch);
        // Coverage may have crossed a threshold since it was recorded (interest, a fix, spend elsewhere).
        if (isDue(watch, nowMs, false)) scheduleRecompute(db, hook, orgId, watch, now);
      }
      org.loans = watches;
    })()
      .catch((error) => console.error(`coverage hook: loading the loans of ${orgId} failed`, error))
      .finally(() => {
        org.loadedAtMs = nowMs;
        org.isLoading = false;
      }),
  );
}

function isDue(watch: LoanWatch, nowMs: number, hasSpent: boolean): boolean {
  if (watch.isInFlight || nowMs < watch.retryAtMs) return false;
  if (watch.triggerBelowMicros !== null && watch.collateralMicros < watch.triggerBelowMicros) return true;
  return hasSpent && nowMs - watch.lastRecordedAtMs >= TIME_BUDGET_MS;
}

function scheduleRecompute(db: Db, hook: Hook, orgId: string, watch: LoanWatch, now: Date) {
  watch.isInFlight = true;
  watch.spentDuringFlightMicros = 0n;
  hook.recomputes++;
  const nowMs = now.getTime();
  track(
    hook,
    recomputeCoverage(db, { loanId: watch.loanId, reason: "settle", now })
      .then((result) => {
        const frozen = result.autoFreeze ? result.autoFreeze.frozenMicros : result.frozenMicros;
        const collateral = result.collateralMicros - watch.spentDuringFlightMicros;
        watch.collateralMicros = collateral > frozen ? collateral : frozen;
        watch.frozenMicros = frozen;
        watch.debtMicros = result.debtMicros;
        watch.mark = result.mark;
        watch.lastRecordedAtMs = nowMs;
        watch.triggerBelowMicros = collateralTriggerMicros({ levelsBps: watch.levelsBps, recordedCoverageBps: result.coverageBps, debtMicros: result.debtMicros, mark: result.mark });
        watch.isInFlight = false;
        const org = hook.orgs.get(orgId);
        if (!isCollateralLive(result.autoFreeze?.state ?? result.state) && org) org.loadedAtMs = -Infinity;
        // Spent across another threshold while the recompute ran: one follow-up.
        else if (isDue(watch, nowMs, false)) scheduleRecompute(db, hook, orgId, watch, now);
      })
      .catch((error) => {
        console.error(`coverage hook: recompute of loan ${watch.loanId} failed`, error);
        watch.isInFlight = false;
        watch.retryAtMs = nowMs + RETRY_AFTER_FAILURE_MS;
      }),
  );
}

/**
 * Call after every settled request (fire-and-forget: returns at once, never throws, never waits
 * on the database). `chargedMicros`: what the settlement charged; `now`: its clock.
 */
export function noteBorrowerSpend(db: Db, orgId: string, chargedMicros: bigint, now: Date): void {
  if (chargedMicros <= 0n) return;
  const hook = hookFor(db);
  const nowMs = now.getTime();
  if (nowMs - hook.borrowersLoadedAtMs >= BORROWERS_TTL_MS && !hook.isLoadingBorrowers) refreshBorrowers(db, hook, nowMs);
  if (!hook.borrowers.has(orgId)) return;

  let org = hook.orgs.get(orgId);
  if (!org) hook.orgs.set(orgId, (org = { loans: [], loadedAtMs: -Infinity, isLoading: false }));
  if (nowMs - org.loadedAtMs >= LOAN_TTL_MS && !org.isLoading) refreshOrg(db, hook, orgId, org, now);
  // A startup has at most one open loan; its usage consumes that loan's collateral first.
  const watch = org.loans[0];
  if (!watch) return;
  if (watch.isInFlight) watch.spentDuringFlightMicros += chargedMicros;
  const spendable = watch.collateralMicros - watch.frozenMicros;
  if (spendable > 0n) watch.collateralMicros -= chargedMicros < spendable ? chargedMicros : spendable;
  if (isDue(watch, nowMs, true)) scheduleRecompute(db, hook, orgId, watch, now);
}

/**
 * Forget what the watches know: one borrower's (after a disbursement, payment, pledge or freeze of
 * its loan) or everyone's (after an index fix). The next spend reloads from the database.
 */
export function invalidateCoverageHook(db: Db, orgId?: string) {
  const hook = hooks.get(databaseKey(db));
  if (!hook) return;
  hook.borrowersLoadedAtMs = -Infinity;
  if (orgId === undefined) {
    for (const org of hook.orgs.values()) org.loadedAtMs = -Infinity;
  } else {
    const org = hook.orgs.get(orgId);
    if (org) org.loadedAtMs = -Infinity;
  }
}

/**
 * Loads the set of borrowers and the watches of `orgIds` now and waits for it (instead of on the
 * first spends): at start-up, in tests and in the benchmark.
 */
export async function warmCoverageHook(db: Db, now: Date, orgIds: readonly string[] = []): Promise<void> {
  const hook = hookFor(db);
  if (!hook.isLoadingBorrowers) refreshBorrowers(db, hook, now.getTime());
  await flushCoverageHook(db);
  for (const orgId of orgIds) {
    if (!hook.borrowers.has(orgId)) continue;
    let org = hook.orgs.get(orgId);
    if (!org) hook.orgs.set(orgId, (org = { loans: [], loadedAtMs: -Infinity, isLoading: false }));
    if (!org.isLoading) refreshOrg(db, hook, orgId, org, now);
  }
  await flushCoverageHook(db);
}

/** Waits until nothing the hook started is still running (tests, benchmarks, shutdown). */
export async function flushCoverageHook(db: Db): Promise<void> {
  const hook = hooks.get(databaseKey(db));
  while (hook && hook.pending.size > 0) await Promise.allSettled([...hook.pending]);
}

/** What the hook is doing, for tests and the benchmark. */
export function coverageHookStats(db: Db): { borrowers: number; watchedOrgs: number; recomputes: number; pending: number } {
  const hook = hooks.get(databaseKey(db));
  return { borrowers: hook?.borrowers.size ?? 0, watchedOrgs: hook?.orgs.size ?? 0, recomputes: hook?.recomputes ?? 0, pending: hook?.pending.size ?? 0 };
}
