// The loan lifecycle as a pure state machine. `transition()` takes the loan's state, an event, who
// causes it and `now`, and returns the next state plus the Loan columns to write — or throws an
// IllegalTransitionError. It never returns "nothing happened": an event that is not allowed from
// the current state, or not for this actor, is a bug or a race the caller must hear about.
//
// Derived transitions (coverage crossings, overdue installments, cures, repaid in full) are caused
// by "system": the service that recomputes after someone's payment or pledge acts as the system for
// them, and the audit log names the user action that triggered the recompute.

import { PERMISSIONS, type Role } from "../auth/permissions";

// ───────────────────────────── States ─────────────────────────────

export const LOAN_STATES = ["SUBMITTED", "WITHDRAWN", "REJECTED", "ACTIVE", "MARGIN_CALL", "DELINQUENT", "FROZEN", "REPAID", "LIQUIDATED"] as const;
export type LoanState = (typeof LOAN_STATES)[number];

/** What each state means; the README's diagram and the UI's tooltips say the same. */
export const LOAN_STATE_DESCRIPTIONS = {
  SUBMITTED: "The startup has applied; an admin has not decided yet. Nothing is disbursed.",
  WITHDRAWN: "The startup withdrew its application before an admin decided. Closed.",
  REJECTED: "An admin rejected the application, with a reason. Closed.",
  ACTIVE: "Disbursed; coverage is at or above maintenance and no installment is past its grace period.",
  MARGIN_CALL: "Coverage fell below maintenance: a cure window is open (cureDeadline). Leaving it needs coverage ≥ maintenance + 5 points.",
  DELINQUENT: "An installment is unpaid past its grace period (coverage is fine, else the loan would be in MARGIN_CALL).",
  FROZEN: "The lender (or auto-freeze) froze collateral. Stays frozen until the lender unfreezes, liquidates, or the loan is repaid.",
  REPAID: "The debt reached zero. Closed: the remaining credits are the startup's own again.",
  LIQUIDATED: "The lender or an admin liquidated the frozen collateral and closed the loan (a shortfall is a recorded loss). Closed.",
} as const satisfies Record<LoanState, string>;

/** Disbursed and not closed: the "active loan" a startup may have at most one of. */
export const OPEN_LOAN_STATES = ["ACTIVE", "MARGIN_CALL", "DELINQUENT", "FROZEN"] as const satisfies readonly LoanState[];
export const TERMINAL_LOAN_STATES = ["WITHDRAWN", "REJECTED", "REPAID", "LIQUIDATED"] as const satisfies readonly LoanState[];
export type OpenLoanState = (typeof OPEN_LOAN_STATES)[number];

export function isLoanState(value: string): value is LoanState {
  return (LOAN_STATES as readonly string[]).includes(value);
}

/** A disbursed loan that is not closed: what "a startup has at most one active loan" counts. */
export function isOpenLoanState(state: string): state is OpenLoanState {
  return (OPEN_LOAN_STATES as readonly string[]).includes(state);
}

/**
 * Are the loan's FINANCED and PLEDGED lots still collateral (restricted, counted in coverage,
 * freezable)? The same set as the open states today; a separate name because the two questions
 * differ (REPAID releases the credits to the startup, LIQUIDATED returns the unsold rest).
 */
export function isCollateralLive(state: string): boolean {
  return isOpenLoanState(state);
}

export function isTerminalLoanState(state: string): boolean {
  return (TERMINAL_LOAN_STATES as readonly string[]).includes(state);
}

/** A startup may not apply while it has a pending application or an open loan. */
export function blocksNewApplication(state: string): boolean {
  return state === "SUBMITTED" || isOpenLoanState(state);
}

// ───────────────────────────── Facts that decide an open loan's state ─────────────────────────────

/** DESIGN.md: leaving MARGIN_CALL needs coverage ≥ maintenance + 5 points. */
export const MARGIN_CALL_HYSTERESIS_BPS = 500;
export const DEFAULT_CURE_WINDOW_HOURS = 72;
const HOUR_MS = 3_600_000;

/** An installment past its grace period, as `overdueInstallments()` in ./schedule returns it. */
export type OverdueRef = { seq: number; daysPastDue: number };

export type OpenLoanFacts = {
  /** null = infinite (no debt). */
  coverageBps: number | null;
  maintenanceBps: number;
  /** Installments unpaid past grace; empty when the loan is current. */
  overdue: readonly OverdueRef[];
};

/**
 * Is a margin call in force? Opening one needs coverage < maintenance; an open one stays until
 * coverage ≥ maintenance + 500 bps, so coverage hovering at the threshold does not flap.
 */
export function isMarginCallDue(coverageBps: number | null, maintenanceBps: number, isMarginCallOpen: boolean): boolean {
  if (coverageBps === null) return false;
  return coverageBps < maintenanceBps + (isMarginCallOpen ? MARGIN_CALL_HYSTERESIS_BPS : 0);
}

/**
 * Where an open, unfrozen loan belongs given its facts. Precedence: MARGIN_CALL over DELINQUENT over
 * ACTIVE — a margin call carries the deadline the startup must act on; an overdue installment
 * stays visible on the installment itself (and as a PAYMENT_OVERDUE alert).
 */
export function settledOpenState(facts: OpenLoanFacts, isMarginCallOpen: boolean): "ACTIVE" | "MARGIN_CALL" | "DELINQUENT" {
  if (isMarginCallDue(facts.coverageBps, facts.maintenanceBps, isMarginCallOpen)) return "MARGIN_CALL";
  return facts.overdue.length > 0 ? "DELINQUENT" : "ACTIVE";
}

// ───────────────────────────── Events ─────────────────────────────

export type LoanEvent =
  | { type: "submit" }
  | { type: "withdraw" }
  | { type: "approve" }
  | { type: "reject"; reason: string }
  | { type: "coverageBelowMaintenance"; coverageBps: number; maintenanceBps: number; cureWindowHours: number }
  | { type: "coverageRestored"; coverageBps: number | null; maintenanceBps: number; overdue: readonly OverdueRef[] }
  | { type: "installmentOverdue"; overdue: readonly OverdueRef[] }
  | { type: "paymentCured"; overdue: readonly OverdueRef[] }
  /** A lender's freeze needs no figures; auto-freeze (system) must show coverage < liquidation. */
  | { type: "freeze"; coverageBps?: number | null; liquidationBps?: number }
  /** `isPartial`: some collateral stays frozen, so the loan stays FROZEN. */
  | { type: "unfreeze"; isPartial?: boolean; facts: OpenLoanFacts; isMarginCallOpen: boolean; cureWindowHours: number }
  | { type: "liquidate"; scope: "partial" | "full" }
  | { type: "repaidInFull"; debtMicros: bigint };

export type LoanEventType = LoanEvent["type"];

export type LoanActorRole = Role | "system";
export type LoanActor = { role: LoanActorRole; userId?: string | null };

/** The Loan columns a transition writes (names as in prisma/schema.prisma); absent = unchanged. */
export type LoanEffects = {
  submittedAt?: Date;
  decidedAt?: Date;
  decidedById?: string | null;
  rejectionReason?: string;
  activatedAt?: Date;
  marginCallAt?: Date | null;
  cureDeadline?: Date | null;
  closedAt?: Date;
};

export type TransitionResult = { state: LoanState; effects: LoanEffects };

export type TransitionRule = {
  /** States the event may start from; null = no loan yet (only `submit`). */
  from: readonly (LoanState | null)[];
  /** Every state it may lead to (which one can depend on the facts the event carries). */
  to: readonly LoanState[];
  roles: readonly LoanActorRole[];
  /** The Loan columns it writes. */
  records: readonly (keyof LoanEffects)[];
  /** The action, with {loan} where the loan goes: "approve {loan}" → "Cannot approve a loan that is ACTIVE." */
  verb: string;
  description: string;
};

const OPEN_UNFROZEN = ["ACTIVE", "MARGIN_CALL", "DELINQUENT"] as const satisfies readonly LoanState[];

/** The lifecycle as data: docs and tests read it, `transition()` enforces it. */
export const TRANSITIONS = {
  submit: {
    from: [null],
    to: ["SUBMITTED"],
    roles: PERMISSIONS["loan.apply"],
    records: ["submittedAt"],
    verb: "submit {loan}",
    description: "The startup applies (principal, multiplier, term, pledge, purpose).",
  },
  withdraw: {
    from: ["SUBMITTED"],
    to: ["WITHDRAWN"],
    roles: PERMISSIONS["loan.apply"],
    records: ["closedAt"],
    verb: "withdraw {loan}",
    description: "The startup takes its application back before an admin decides.",
  },
  approve: {
    from: ["SUBMITTED"],
    to: ["ACTIVE"],
    roles: PERMISSIONS["application.decide"],
    records: ["decidedAt", "decidedById", "activatedAt"],
    verb: "approve {loan}",
    description: "An admin approves with terms; the service disburses (FINANCED and PLEDGED lots) in the same transaction.",
  },
  reject: {
    from: ["SUBMITTED"],
    to: ["REJECTED"],
    roles: PERMISSIONS["application.decide"],
    records: ["decidedAt", "decidedById", "rejectionReason", "closedAt"],
    verb: "reject {loan}",
    description: "An admin rejects, with a reason the startup sees.",
  },
  coverageBelowMaintenance: {
    from: ["ACTIVE", "DELINQUENT"],
    to: ["MARGIN_CALL"],
    roles: ["system"],
    records: ["marginCallAt", "cureDeadline"],
    verb: "put {loan} in margin call",
    description: "Coverage < maintenance: a margin call opens, cureDeadline = now + cureWindowHours.",
  },
  coverageRestored: {
    from: ["MARGIN_CALL"],
    to: ["ACTIVE", "DELINQUENT"],
    roles: ["system"],
    records: ["marginCallAt", "cureDeadline"],
    verb: "lift the margin call on {loan}",
    description: "Coverage ≥ maintenance + 500 bps: the margin call closes (both columns cleared); an overdue installment leaves the loan DELINQUENT.",
  },
  installmentOverdue: {
    from: ["ACTIVE"],
    to: ["DELINQUENT"],
    roles: ["system"],
    records: [],
    verb: "mark {loan} as delinquent",
    description: "An installment is unpaid past its grace period.",
  },
  paymentCured: {
    from: ["DELINQUENT"],
    to: ["ACTIVE"],
    roles: ["system"],
    records: [],
    verb: "cure the delinquency of {loan}",
    description: "No installment is past grace any more.",
  },
  freeze: {
    from: [...OPEN_UNFROZEN, "FROZEN"],
    to: ["FROZEN"],
    roles: [...PERMISSIONS["loan.freeze"], "system"],
    records: [],
    verb: "freeze {loan}",
    description: "The lender freezes collateral (all, an amount or the protective amount); the system only below the liquidation threshold (auto-freeze). Freezing more of a FROZEN loan is allowed.",
  },
  unfreeze: {
    from: ["FROZEN"],
    to: ["FROZEN", ...OPEN_UNFROZEN],
    roles: PERMISSIONS["loan.unfreeze"],
    records: ["marginCallAt", "cureDeadline"],
    verb: "unfreeze {loan}",
    description: "A partial release keeps the loan FROZEN; a full one returns it to the state its facts dictate (opening or closing the margin call as needed).",
  },
  liquidate: {
    from: ["FROZEN"],
    to: ["FROZEN", "LIQUIDATED"],
    roles: PERMISSIONS["loan.liquidate"],
    records: ["closedAt"],
    verb: "liquidate {loan}",
    description: "Frozen credits are sold at mark. Partial: restores maintenance, the loan stays FROZEN. Full: the loan closes.",
  },
  repaidInFull: {
    from: [...OPEN_UNFROZEN, "FROZEN"],
    to: ["REPAID"],
    roles: ["system"],
    records: ["closedAt"],
    verb: "mark {loan} as repaid",
    description: "The debt reached zero (a frozen loan may still be repaid). The loan closes.",
  },
} as const satisfies Record<LoanEventType, TransitionRule>;

export const LOAN_EVENT_TYPES = Object.keys(TRANSITIONS) as LoanEventType[];

// ───────────────────────────── Errors ─────────────────────────────

export type IllegalTransitionCode = "ILLEGAL_TRANSITION" | "ROLE_NOT_ALLOWED" | "CONDITION_NOT_MET" | "INVALID_EVENT" | "UNKNOWN_STATE";

export class IllegalTransitionError extends Error {
  constructor(
    readonly code: IllegalTransitionCode,
    message: string,
    readonly from: string | null = null,
    readonly eventType: string | null = null,
  ) {
    super(message);
    this.name = "IllegalTransitionError";
  }
}

// ───────────────────────────── transition() ─────────────────────────────

function toDate(now: Date | number): Date {
  const ms = typeof now === "number" ? now : now instanceof Date ? now.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`now must be a Date or epoch milliseconds, got ${String(now)}.`);
  return new Date(ms);
}

function phrase(rule: TransitionRule, loan: string): string {
  return rule.verb.replace("{loan}", loan);
}

function listRoles(roles: readonly string[]): string {
  return roles.length === 1 ? roles[0] : `${roles.slice(0, -1).join(", ")} or ${roles[roles.length - 1]}`;
}

function assertBps(name: string, value: unknown, eventType: string) {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new IllegalTransitionError("INVALID_EVENT", `${eventType}: ${name} must be a non-negative integer of basis points, got ${String(value)}.`, null, eventType);
  }
}

function assertCureWindow(hours: unknown, eventType: string) {
  if (typeof hours !== "number" || !Number.isSafeInteger(hours) || hours <= 0) {
    throw new IllegalTransitionError("INVALID_EVENT", `${eventType}: cureWindowHours must be a positive whole number of hours, got ${String(hours)}.`, null, eventType);
  }
}

function assertFacts(facts: OpenLoanFacts, eventType: string) {
  if (facts.coverageBps !== null) assertBps("coverageBps", facts.coverageBps, eventType);
  assertBps("maintenanceBps", facts.maintenanceBps, eventType);
  if (!Array.isArray(facts.overdue)) throw new IllegalTransitionError("INVALID_EVENT", `${eventType}: overdue must be a list of installments past grace.`, null, eventType);
}

function formatOverdue(overdue: readonly OverdueRef[]): string {
  return overdue.map((o) => `#${o.seq} (${o.daysPastDue} days past due)`).join(", ");
}

function openMarginCall(now: Date, cureWindowHours: number): LoanEffects {
  return { marginCallAt: now, cureDeadline: new Date(now.getTime() + cureWindowHours * HOUR_MS) };
}

function conditionNotMet(message: string, current: LoanState | null, type: string): never {
  throw new IllegalTransitionError("CONDITION_NOT_MET", message, current, type);
}

const CLOSE_MARGIN_CALL: LoanEffects = { marginCallAt: null, cureDeadline: null };

/**
 * The loan's next state and the columns to write, or an IllegalTransitionError. Checks, in order:
 * the state is known, the actor's role may cause the event, the event may start from this state,
 * and the facts the event carries support it.
 */
export function transition(current: LoanState | null, event: LoanEvent, actor: LoanActor, now: Date | number): TransitionResult {
  const at = toDate(now);
  const type = event?.type as string;
  if (!Object.hasOwn(TRANSITIONS, type)) {
    throw new IllegalTransitionError("INVALID_EVENT", `Unknown loan event "${String(type)}".`, current, String(type));
  }
  const rule: TransitionRule = TRANSITIONS[type as LoanEventType];
  // States come from the database as strings: an unknown one must not be treated as any known one.
  if (current !== null && !isLoanState(current)) {
    throw new IllegalTransitionError("UNKNOWN_STATE", `Unknown loan state "${String(current)}".`, current, type);
  }
  if (!rule.roles.includes(actor.role)) {
    const who = actor.role === "system" ? "The system" : `A ${actor.role}`;
    throw new IllegalTransitionError("ROLE_NOT_ALLOWED", `${who} cannot ${phrase(rule, "a loan")}: only ${listRoles(rule.roles)} may.`, current, type);
  }
  if (!rule.from.includes(current)) {
    const what = current === null ? "a loan that does not exist yet" : `a loan that is ${current}`;
    throw new IllegalTransitionError("ILLEGAL_TRANSITION", `Cannot ${phrase(rule, what)}.`, current, type);
  }
  const refuse = (message: string) => conditionNotMet(message, current, type);
  const decidedById = actor.userId ?? null;

  switch (event.type) {
    case "submit":
      return { state: "SUBMITTED", effects: { submittedAt: at } };
    case "withdraw":
      return { state: "WITHDRAWN", effects: { closedAt: at } };
    case "approve":
      return { state: "ACTIVE", effects: { decidedAt: at, decidedById, activatedAt: at } };
    case "reject": {
      const reason = typeof event.reason === "string" ? event.reason.trim() : "";
      if (reason === "") throw new IllegalTransitionError("INVALID_EVENT", "A rejection needs a reason the startup can act on.", current, type);
      return { state: "REJECTED", effects: { decidedAt: at, decidedById, rejectionReason: reason, closedAt: at } };
    }
    case "coverageBelowMaintenance": {
      assertBps("coverageBps", event.coverageBps, type);
      assertBps("maintenanceBps", event.maintenanceBps, type);
      assertCureWindow(event.cureWindowHours, type);
      if (!isMarginCallDue(event.coverageBps, event.maintenanceBps, false)) {
        refuse(`Coverage ${event.coverageBps} bps is not below maintenance ${event.maintenanceBps} bps: no margin call.`);
      }
      return { state: "MARGIN_CALL", effects: openMarginCall(at, event.cureWindowHours) };
    }
    case "coverageRestored": {
      assertFacts(event, type);
      if (isMarginCallDue(event.coverageBps, event.maintenanceBps, true)) {
        refuse(`Coverage ${event.coverageBps} bps is below maintenance + ${MARGIN_CALL_HYSTERESIS_BPS} bps (${event.maintenanceBps + MARGIN_CALL_HYSTERESIS_BPS} bps): the margin call stays.`);
      }
      return { state: event.overdue.length > 0 ? "DELINQUENT" : "ACTIVE", effects: { ...CLOSE_MARGIN_CALL } };
    }
    case "installmentOverdue":
      if (!Array.isArray(event.overdue) || event.overdue.length === 0) refuse("No installment is past its grace period: the loan is not delinquent.");
      return { state: "DELINQUENT", effects: {} };
    case "paymentCured":
      if (!Array.isArray(event.overdue)) throw new IllegalTransitionError("INVALID_EVENT", "paymentCured: overdue must be a list of installments past grace.", current, type);
      if (event.overdue.length > 0) refuse(`Installments are still past their grace period: ${formatOverdue(event.overdue)}.`);
      return { state: "ACTIVE", effects: {} };
    case "freeze":
      if (actor.role === "system") {
        // Auto-freeze acts on figures, never on its own: DESIGN.md lets it fire only below liquidation.
        if (event.liquidationBps === undefined) throw new IllegalTransitionError("INVALID_EVENT", "An auto-freeze must carry coverageBps and liquidationBps.", current, type);
        assertBps("liquidationBps", event.liquidationBps, type);
        const coverageBps = event.coverageBps;
        if (coverageBps === undefined || coverageBps === null) return refuse("Coverage is infinite (no debt): nothing to auto-freeze.");
        assertBps("coverageBps", coverageBps, type);
        if (coverageBps >= event.liquidationBps) refuse(`Coverage ${coverageBps} bps is not below liquidation ${event.liquidationBps} bps: no auto-freeze.`);
      }
      return { state: "FROZEN", effects: {} };
    case "unfreeze": {
      if (event.isPartial) return { state: "FROZEN", effects: {} };
      assertFacts(event.facts, type);
      const state = settledOpenState(event.facts, event.isMarginCallOpen);
      if (state === "MARGIN_CALL") {
        // A margin call still open keeps its original deadline; coverage below maintenance with none open starts one.
        if (event.isMarginCallOpen) return { state, effects: {} };
        assertCureWindow(event.cureWindowHours, type);
        return { state, effects: openMarginCall(at, event.cureWindowHours) };
      }
      return { state, effects: event.isMarginCallOpen ? { ...CLOSE_MARGIN_CALL } : {} };
    }
    case "liquidate":
      if (event.scope === "partial") return { state: "FROZEN", effects: {} };
      if (event.scope === "full") return { state: "LIQUIDATED", effects: { closedAt: at } };
      throw new IllegalTransitionError("INVALID_EVENT", `liquidate: scope must be "partial" or "full", got ${String((event as { scope: unknown }).scope)}.`, current, type);
    case "repaidInFull":
      if (typeof event.debtMicros !== "bigint") throw new IllegalTransitionError("INVALID_EVENT", "repaidInFull must carry the debt in µUSD (bigint).", current, type);
      if (event.debtMicros !== 0n) refuse(`The debt is ${event.debtMicros} µUSD, not zero: the loan is not repaid.`);
      return { state: "REPAID", effects: { closedAt: at } };
  }
}

/** The events `role` may cause from `state` (ignoring the facts they must carry): e.g. which buttons to show. */
export function availableEvents(state: LoanState | null, role: LoanActorRole): LoanEventType[] {
  return LOAN_EVENT_TYPES.filter((type) => {
    const rule: TransitionRule = TRANSITIONS[type];
    return rule.from.includes(state) && rule.roles.includes(role);
  });
}

/**
 * The derived event (if any) that moves an open, unfrozen loan to where its facts point: what the
 * coverage monitor and the overdue sweep call before `transition()`. FROZEN and closed loans have
 * none (a freeze is the lender's decision, undone only by the lender). Margin-call state is the
 * loan's state: MARGIN_CALL ⇔ a margin call is open.
 */
export function derivedEventForFacts(state: LoanState, facts: OpenLoanFacts, options: { cureWindowHours: number }): LoanEvent | null {
  if (state !== "ACTIVE" && state !== "MARGIN_CALL" && state !== "DELINQUENT") return null;
  const target = settledOpenState(facts, state === "MARGIN_CALL");
  if (target === state) return null;
  if (target === "MARGIN_CALL") {
    return { type: "coverageBelowMaintenance", coverageBps: facts.coverageBps!, maintenanceBps: facts.maintenanceBps, cureWindowHours: options.cureWindowHours };
  }
  if (state === "MARGIN_CALL") return { type: "coverageRestored", coverageBps: facts.coverageBps, maintenanceBps: facts.maintenanceBps, overdue: facts.overdue };
  return target === "DELINQUENT" ? { type: "installmentOverdue", overdue: facts.overdue } : { type: "paymentCured", overdue: facts.overdue };
}
