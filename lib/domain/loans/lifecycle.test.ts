import { describe, expect, test } from "vitest";
import {
  availableEvents,
  blocksNewApplication,
  derivedEventForFacts,
  IllegalTransitionError,
  isCollateralLive,
  isLoanState,
  isMarginCallDue,
  isOpenLoanState,
  isTerminalLoanState,
  LOAN_EVENT_TYPES,
  LOAN_STATE_DESCRIPTIONS,
  LOAN_STATES,
  settledOpenState,
  transition,
  TRANSITIONS,
  type LoanActorRole,
  type LoanEvent,
  type LoanEventType,
  type LoanState,
  type OpenLoanFacts,
  type TransitionRule,
} from "./lifecycle";

const NOW = Date.UTC(2026, 3, 21, 9, 30); // 2026-04-21T09:30Z
const at = new Date(NOW);
const HOUR_MS = 3_600_000;

const startup = { role: "startup", userId: "u-startup" } as const;
const lender = { role: "lender", userId: "u-lender" } as const;
const admin = { role: "admin", userId: "u-admin" } as const;
const system = { role: "system" } as const;
const actorFor = (role: LoanActorRole) => ({ startup, lender, admin, system })[role];

const healthy: OpenLoanFacts = { coverageBps: 15_000, maintenanceBps: 12_500, overdue: [] };
const OVERDUE_3 = [{ seq: 3, daysPastDue: 6 }];

/** One event of each type that carries facts supporting it, for the "from which states" tables. */
const SAMPLE_EVENT: Record<LoanEventType, LoanEvent> = {
  submit: { type: "submit" },
  withdraw: { type: "withdraw" },
  approve: { type: "approve" },
  reject: { type: "reject", reason: "Pledge too small for 150% initial coverage." },
  coverageBelowMaintenance: { type: "coverageBelowMaintenance", coverageBps: 12_000, maintenanceBps: 12_500, cureWindowHours: 72 },
  coverageRestored: { type: "coverageRestored", coverageBps: 13_000, maintenanceBps: 12_500, overdue: [] },
  installmentOverdue: { type: "installmentOverdue", overdue: OVERDUE_3 },
  paymentCured: { type: "paymentCured", overdue: [] },
  freeze: { type: "freeze", coverageBps: 10_500, liquidationBps: 11_000 },
  unfreeze: { type: "unfreeze", facts: healthy, isMarginCallOpen: false, cureWindowHours: 72 },
  liquidate: { type: "liquidate", scope: "full" },
  repaidInFull: { type: "repaidInFull", debtMicros: 0n },
};

const rule = (type: LoanEventType): TransitionRule => TRANSITIONS[type];
const firstRole = (type: LoanEventType) => actorFor(rule(type).roles[0]);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof IllegalTransitionError) return error.code;
    throw error;
  }
  return "no error";
}

describe("states", () => {
  test("the seed's stored states are all known, plus WITHDRAWN and DELINQUENT", () => {
    for (const seeded of ["SUBMITTED", "REJECTED", "ACTIVE", "MARGIN_CALL", "FROZEN", "REPAID", "LIQUIDATED"]) expect(isLoanState(seeded)).toBe(true);
    expect([...LOAN_STATES].sort()).toEqual(["ACTIVE", "DELINQUENT", "FROZEN", "LIQUIDATED", "MARGIN_CALL", "REJECTED", "REPAID", "SUBMITTED", "WITHDRAWN"]);
  });

  test("every state is documented", () => {
    expect(Object.keys(LOAN_STATE_DESCRIPTIONS).sort()).toEqual([...LOAN_STATES].sort());
  });

  test.each<[LoanState | "LIQUIDATING" | "DRAFT", boolean, boolean, boolean, boolean]>([
    // state,        open,  collateral live, terminal, blocks a new application
    ["SUBMITTED", false, false, false, true],
    ["WITHDRAWN", false, false, true, false],
    ["REJECTED", false, false, true, false],
    ["ACTIVE", true, true, false, true],
    ["MARGIN_CALL", true, true, false, true],
    ["DELINQUENT", true, true, false, true],
    ["FROZEN", true, true, false, true],
    ["REPAID", false, false, true, false],
    ["LIQUIDATED", false, false, true, false],
    ["LIQUIDATING", false, false, false, false],
    ["DRAFT", false, false, false, false],
  ])("%s: open %s, collateral live %s, terminal %s, blocks a new application %s", (state, open, live, terminal, blocks) => {
    expect([isOpenLoanState(state), isCollateralLive(state), isTerminalLoanState(state), blocksNewApplication(state)]).toEqual([open, live, terminal, blocks]);
  });
});

describe("margin-call hysteresis and the settled state of an open loan", () => {
  test.each<[string, number | null, boolean, boolean]>([
    ["12,499 bps with no margin call open: opens one", 12_499, false, true],
    ["exactly maintenance (12,500) with none open: no margin call", 12_500, false, false],
    ["12,999 bps with one open: stays (needs 13,000)", 12_999, true, true],
    ["exactly maintenance + 500 (13,000) with one open: lifts", 13_000, true, false],
    ["infinite coverage (no debt) never calls", null, true, false],
  ])("%s", (_label, coverageBps, isOpen, expected) => {
    expect(isMarginCallDue(coverageBps, 12_500, isOpen)).toBe(expected);
  });

  test.each<[string, OpenLoanFacts, boolean, ReturnType<typeof settledOpenState>]>([
    ["healthy and current", healthy, false, "ACTIVE"],
    ["below maintenance", { ...healthy, coverageBps: 12_000 }, false, "MARGIN_CALL"],
    ["overdue only", { ...healthy, overdue: OVERDUE_3 }, false, "DELINQUENT"],
    ["below maintenance and overdue: the margin call outranks", { ...healthy, coverageBps: 12_000, overdue: OVERDUE_3 }, false, "MARGIN_CALL"],
    ["in the hysteresis band with a margin call open", { ...healthy, coverageBps: 12_800 }, true, "MARGIN_CALL"],
    ["in the hysteresis band with none open", { ...healthy, coverageBps: 12_800 }, false, "ACTIVE"],
  ])("%s → %s", (_label, facts, isOpen, expected) => {
    expect(settledOpenState(facts, isOpen)).toBe(expected);
  });
});

describe("transition: every legal move, with what it records", () => {
  const cureDeadline72h = new Date(NOW + 72 * HOUR_MS);
  test.each<[string, LoanState | null, LoanEvent, LoanActorRole, LoanState, Record<string, unknown>]>([
    ["a startup submits", null, { type: "submit" }, "startup", "SUBMITTED", { submittedAt: at }],
    ["the startup withdraws its application", "SUBMITTED", { type: "withdraw" }, "startup", "WITHDRAWN", { closedAt: at }],
    ["an admin approves: decided and activated now, by the admin", "SUBMITTED", { type: "approve" }, "admin", "ACTIVE", { decidedAt: at, decidedById: "u-admin", activatedAt: at }],
    ["an admin rejects with a (trimmed) reason", "SUBMITTED", { type: "reject", reason: "  Too little collateral.  " }, "admin", "REJECTED", { decidedAt: at, decidedById: "u-admin", rejectionReason: "Too little collateral.", closedAt: at }],
    ["coverage below maintenance opens a margin call: deadline = now + 72 h", "ACTIVE", SAMPLE_EVENT.coverageBelowMaintenance, "system", "MARGIN_CALL", { marginCallAt: at, cureDeadline: cureDeadline72h }],
    ["a delinquent loan can also be margin-called (the call outranks)", "DELINQUENT", { type: "coverageBelowMaintenance", coverageBps: 11_000, maintenanceBps: 12_500, cureWindowHours: 24 }, "system", "MARGIN_CALL", { marginCallAt: at, cureDeadline: new Date(NOW + 24 * HOUR_MS) }],
    ["coverage back at maintenance + 500 lifts the margin call", "MARGIN_CALL", { type: "coverageRestored", coverageBps: 13_000, maintenanceBps: 12_500, overdue: [] }, "system", "ACTIVE", { marginCallAt: null, cureDeadline: null }],
    ["infinite coverage lifts it too", "MARGIN_CALL", { type: "coverageRestored", coverageBps: null, maintenanceBps: 12_500, overdue: [] }, "system", "ACTIVE", { marginCallAt: null, cureDeadline: null }],
    ["lifting the call with an installment past grace lands in DELINQUENT", "MARGIN_CALL", { type: "coverageRestored", coverageBps: 14_000, maintenanceBps: 12_500, overdue: OVERDUE_3 }, "system", "DELINQUENT", { marginCallAt: null, cureDeadline: null }],
    ["an installment past grace makes an active loan delinquent", "ACTIVE", SAMPLE_EVENT.installmentOverdue, "system", "DELINQUENT", {}],
    ["no installment past grace any more cures it", "DELINQUENT", SAMPLE_EVENT.paymentCured, "system", "ACTIVE", {}],
    ["the lender freezes an active loan", "ACTIVE", { type: "freeze" }, "lender", "FROZEN", {}],
    ["the lender freezes a loan in margin call", "MARGIN_CALL", { type: "freeze" }, "lender", "FROZEN", {}],
    ["the lender freezes a delinquent loan", "DELINQUENT", { type: "freeze" }, "lender", "FROZEN", {}],
    ["the lender freezes more of a frozen loan", "FROZEN", { type: "freeze" }, "lender", "FROZEN", {}],
    ["auto-freeze below the liquidation threshold", "MARGIN_CALL", { type: "freeze", coverageBps: 10_999, liquidationBps: 11_000 }, "system", "FROZEN", {}],
    ["a partial unfreeze keeps the loan frozen", "FROZEN", { type: "unfreeze", isPartial: true, facts: healthy, isMarginCallOpen: true, cureWindowHours: 72 }, "lender", "FROZEN", {}],
    ["a full unfreeze of a healthy loan: ACTIVE (no call was open)", "FROZEN", SAMPLE_EVENT.unfreeze, "lender", "ACTIVE", {}],
    ["a full unfreeze at 13,000 bps closes the open margin call", "FROZEN", { type: "unfreeze", facts: { ...healthy, coverageBps: 13_000 }, isMarginCallOpen: true, cureWindowHours: 72 }, "lender", "ACTIVE", { marginCallAt: null, cureDeadline: null }],
    ["a full unfreeze at 12,900 bps keeps the open margin call and its deadline", "FROZEN", { type: "unfreeze", facts: { ...healthy, coverageBps: 12_900 }, isMarginCallOpen: true, cureWindowHours: 72 }, "lender", "MARGIN_CALL", {}],
    ["a full unfreeze below maintenance with no call open opens one", "FROZEN", { type: "unfreeze", facts: { ...healthy, coverageBps: 12_000 }, isMarginCallOpen: false, cureWindowHours: 48 }, "lender", "MARGIN_CALL", { marginCallAt: at, cureDeadline: new Date(NOW + 48 * HOUR_MS) }],
    ["a full unfreeze of a healthy but overdue loan: DELINQUENT", "FROZEN", { type: "unfreeze", facts: { ...healthy, overdue: OVERDUE_3 }, isMarginCallOpen: false, cureWindowHours: 72 }, "lender", "DELINQUENT", {}],
    ["a partial liquidation keeps the loan open and frozen", "FROZEN", { type: "liquidate", scope: "partial" }, "lender", "FROZEN", {}],
    ["a full liquidation by the lender closes it", "FROZEN", { type: "liquidate", scope: "full" }, "lender", "LIQUIDATED", { closedAt: at }],
    ["an admin may liquidate too", "FROZEN", { type: "liquidate", scope: "full" }, "admin", "LIQUIDATED", { closedAt: at }],
    ["repaid in full from ACTIVE", "ACTIVE", SAMPLE_EVENT.repaidInFull, "system", "REPAID", { closedAt: at }],
    ["repaid in full from MARGIN_CALL", "MARGIN_CALL", SAMPLE_EVENT.repaidInFull, "system", "REPAID", { closedAt: at }],
    ["repaid in full from DELINQUENT", "DELINQUENT", SAMPLE_EVENT.repaidInFull, "system", "REPAID", { closedAt: at }],
    ["a frozen loan may still be repaid", "FROZEN", SAMPLE_EVENT.repaidInFull, "system", "REPAID", { closedAt: at }],
  ])("%s", (_label, from, event, role, state, effects) => {
    const result = transition(from, event, actorFor(role), NOW);
    expect(result).toEqual({ state, effects });
    expect(rule(event.type).to).toContain(result.state);
    for (const column of Object.keys(result.effects)) expect(rule(event.type).records).toContain(column);
  });

  test("now may be a Date or epoch ms", () => {
    expect(transition("SUBMITTED", { type: "approve" }, admin, at)).toEqual(transition("SUBMITTED", { type: "approve" }, admin, NOW));
  });

  test("an approval without a user id records decidedById null, not undefined", () => {
    expect(transition("SUBMITTED", { type: "approve" }, { role: "admin" }, NOW).effects.decidedById).toBeNull();
  });
});

describe("transition: every illegal state × event pair throws", () => {
  const illegalPairs = [null, ...LOAN_STATES].flatMap((state) =>
    LOAN_EVENT_TYPES.filter((type) => !rule(type).from.includes(state)).map((type) => [`${type} from ${state ?? "no loan"}`, state, type] as const),
  );

  test("the table covers 10 states (no loan + 9) × 12 events minus the 19 legal pairs", () => {
    // Legal: submit 1, withdraw 1, approve 1, reject 1, margin call 2, lifted 1, overdue 1, cured 1,
    // freeze 4, unfreeze 1, liquidate 1, repaid 4 = 19.
    const legal = LOAN_EVENT_TYPES.reduce((sum, type) => sum + rule(type).from.length, 0);
    expect(legal).toBe(19);
    expect(illegalPairs).toHaveLength(10 * 12 - 19);
  });

  test.each(illegalPairs)("%s", (_label, state, type) => {
    expect(() => transition(state, SAMPLE_EVENT[type], firstRole(type), NOW)).toThrow(IllegalTransitionError);
    expect(codeOf(() => transition(state, SAMPLE_EVENT[type], firstRole(type), NOW))).toBe("ILLEGAL_TRANSITION");
  });

  test.each<[string, LoanState | null, LoanEvent, LoanActorRole, string]>([
    ["approving an active loan", "ACTIVE", { type: "approve" }, "admin", "Cannot approve a loan that is ACTIVE."],
    ["liquidating a loan that is not frozen", "MARGIN_CALL", { type: "liquidate", scope: "full" }, "lender", "Cannot liquidate a loan that is MARGIN_CALL."],
    ["unfreezing an active loan", "ACTIVE", SAMPLE_EVENT.unfreeze, "lender", "Cannot unfreeze a loan that is ACTIVE."],
    ["marking a frozen loan delinquent", "FROZEN", SAMPLE_EVENT.installmentOverdue, "system", "Cannot mark a loan that is FROZEN as delinquent."],
    ["repaying a closed loan", "REPAID", SAMPLE_EVENT.repaidInFull, "system", "Cannot mark a loan that is REPAID as repaid."],
    ["freezing before there is a loan", null, { type: "freeze" }, "lender", "Cannot freeze a loan that does not exist yet."],
    ["submitting twice", "SUBMITTED", { type: "submit" }, "startup", "Cannot submit a loan that is SUBMITTED."],
  ])("the message names the action and the state: %s", (_label, state, event, role, message) => {
    expect(() => transition(state, event, actorFor(role), NOW)).toThrow(message);
  });
});

describe("transition: the wrong role throws, whatever the state", () => {
  const roles: LoanActorRole[] = ["startup", "lender", "admin", "system"];
  const wrongRolePairs = LOAN_EVENT_TYPES.flatMap((type) =>
    roles.filter((role) => !rule(type).roles.includes(role)).map((role) => [`${role} may not ${type}`, type, role] as const),
  );

  test.each(wrongRolePairs)("%s", (_label, type, role) => {
    const legalFrom = rule(type).from[0];
    expect(codeOf(() => transition(legalFrom, SAMPLE_EVENT[type], actorFor(role), NOW))).toBe("ROLE_NOT_ALLOWED");
  });

  test.each<[string, LoanEventType, LoanActorRole[]]>([
    ["submit and withdraw: the startup (loan.apply)", "submit", ["startup"]],
    ["withdraw", "withdraw", ["startup"]],
    ["approve: admin (application.decide)", "approve", ["admin"]],
    ["reject: admin", "reject", ["admin"]],
    ["freeze: lender (loan.freeze) or the auto-freeze", "freeze", ["lender", "system"]],
    ["unfreeze: lender (loan.unfreeze)", "unfreeze", ["lender"]],
    ["liquidate: lender or admin (loan.liquidate)", "liquidate", ["lender", "admin"]],
    ["derived: margin call", "coverageBelowMaintenance", ["system"]],
    ["derived: margin call lifted", "coverageRestored", ["system"]],
    ["derived: delinquent", "installmentOverdue", ["system"]],
    ["derived: cured", "paymentCured", ["system"]],
    ["derived: repaid", "repaidInFull", ["system"]],
  ])("%s", (_label, type, expected) => {
    expect([...rule(type).roles].sort()).toEqual([...expected].sort());
  });

  test("the message says who may", () => {
    expect(() => transition("SUBMITTED", { type: "approve" }, startup, NOW)).toThrow("A startup cannot approve a loan: only admin may.");
    expect(() => transition("FROZEN", { type: "liquidate", scope: "full" }, startup, NOW)).toThrow("A startup cannot liquidate a loan: only lender or admin may.");
    expect(() => transition("FROZEN", SAMPLE_EVENT.unfreeze, system, NOW)).toThrow("The system cannot unfreeze a loan: only lender may.");
  });
});

describe("transition: the facts an event carries must support it", () => {
  test.each<[string, LoanState, LoanEvent, LoanActorRole, string]>([
    ["a margin call at exactly maintenance", "ACTIVE", { type: "coverageBelowMaintenance", coverageBps: 12_500, maintenanceBps: 12_500, cureWindowHours: 72 }, "system", "CONDITION_NOT_MET"],
    ["lifting a margin call inside the hysteresis band (12,999 < 13,000)", "MARGIN_CALL", { type: "coverageRestored", coverageBps: 12_999, maintenanceBps: 12_500, overdue: [] }, "system", "CONDITION_NOT_MET"],
    ["delinquency with nothing past grace", "ACTIVE", { type: "installmentOverdue", overdue: [] }, "system", "CONDITION_NOT_MET"],
    ["a cure while an installment is still past grace", "DELINQUENT", { type: "paymentCured", overdue: OVERDUE_3 }, "system", "CONDITION_NOT_MET"],
    ["repaid in full with 1 µUSD still owed", "ACTIVE", { type: "repaidInFull", debtMicros: 1n }, "system", "CONDITION_NOT_MET"],
    ["auto-freeze at exactly the liquidation threshold", "MARGIN_CALL", { type: "freeze", coverageBps: 11_000, liquidationBps: 11_000 }, "system", "CONDITION_NOT_MET"],
    ["auto-freeze with no debt (infinite coverage)", "ACTIVE", { type: "freeze", coverageBps: null, liquidationBps: 11_000 }, "system", "CONDITION_NOT_MET"],
    ["auto-freeze without figures", "ACTIVE", { type: "freeze" }, "system", "INVALID_EVENT"],
    ["a rejection without a reason", "SUBMITTED", { type: "reject", reason: "   " }, "admin", "INVALID_EVENT"],
    ["a margin call with a zero-hour cure window", "ACTIVE", { type: "coverageBelowMaintenance", coverageBps: 12_000, maintenanceBps: 12_500, cureWindowHours: 0 }, "system", "INVALID_EVENT"],
    ["a fractional coverage", "ACTIVE", { type: "coverageBelowMaintenance", coverageBps: 12_000.5, maintenanceBps: 12_500, cureWindowHours: 72 }, "system", "INVALID_EVENT"],
    ["an unknown liquidation scope", "FROZEN", { type: "liquidate", scope: "most" as "full" }, "lender", "INVALID_EVENT"],
    ["an unknown event", "ACTIVE", { type: "explode" } as unknown as LoanEvent, "admin", "INVALID_EVENT"],
  ])("refuses %s", (_label, state, event, role, code) => {
    expect(codeOf(() => transition(state, event, actorFor(role), NOW))).toBe(code);
  });

  test("an unknown stored state is refused, not treated as a known one", () => {
    expect(codeOf(() => transition("LIQUIDATING" as LoanState, { type: "liquidate", scope: "full" }, lender, NOW))).toBe("UNKNOWN_STATE");
  });

  test("the hysteresis message names the bar to clear", () => {
    expect(() => transition("MARGIN_CALL", { type: "coverageRestored", coverageBps: 12_999, maintenanceBps: 12_500, overdue: [] }, system, NOW)).toThrow(
      "Coverage 12999 bps is below maintenance + 500 bps (13000 bps): the margin call stays.",
    );
  });

  test("an invalid now is refused", () => {
    expect(() => transition("SUBMITTED", { type: "approve" }, admin, Number.NaN)).toThrow(RangeError);
  });
});

describe("the TRANSITIONS table", () => {
  test("closed states have no way out", () => {
    for (const state of ["WITHDRAWN", "REJECTED", "REPAID", "LIQUIDATED"] as const) expect(availableEvents(state, "admin").concat(availableEvents(state, "lender"), availableEvents(state, "startup"), availableEvents(state, "system"))).toEqual([]);
  });

  test("every state is reachable from no loan", () => {
    const reached = new Set<LoanState | null>([null]);
    let size = 0;
    while (reached.size !== size) {
      size = reached.size;
      for (const type of LOAN_EVENT_TYPES) {
        if (rule(type).from.some((state) => reached.has(state))) rule(type).to.forEach((to) => reached.add(to));
      }
    }
    expect([...reached].filter((s) => s !== null).sort()).toEqual([...LOAN_STATES].sort());
  });

  test.each<[string, LoanState | null, LoanActorRole, LoanEventType[]]>([
    ["a startup with no loan may apply", null, "startup", ["submit"]],
    ["an admin on a pending application", "SUBMITTED", "admin", ["approve", "reject"]],
    ["a lender on an active loan", "ACTIVE", "lender", ["freeze"]],
    ["a lender on a frozen loan", "FROZEN", "lender", ["freeze", "unfreeze", "liquidate"]],
    ["an admin on a frozen loan", "FROZEN", "admin", ["liquidate"]],
    ["the system on a loan in margin call", "MARGIN_CALL", "system", ["coverageRestored", "freeze", "repaidInFull"]],
  ])("availableEvents: %s", (_label, state, role, expected) => {
    expect(availableEvents(state, role)).toEqual(expected);
  });
});

describe("derivedEventForFacts: what the monitor fires before transition()", () => {
  const below = { ...healthy, coverageBps: 12_000 };
  test.each<[string, LoanState, OpenLoanFacts, LoanEventType | null]>([
    ["active and healthy: nothing", "ACTIVE", healthy, null],
    ["active, below maintenance: margin call", "ACTIVE", below, "coverageBelowMaintenance"],
    ["active, overdue: delinquent", "ACTIVE", { ...healthy, overdue: OVERDUE_3 }, "installmentOverdue"],
    ["margin call inside the hysteresis band: nothing", "MARGIN_CALL", { ...healthy, coverageBps: 12_900 }, null],
    ["margin call cleared: lifted", "MARGIN_CALL", { ...healthy, coverageBps: 13_000 }, "coverageRestored"],
    ["delinquent, caught up: cured", "DELINQUENT", healthy, "paymentCured"],
    ["delinquent, now below maintenance: margin call", "DELINQUENT", { ...below, overdue: OVERDUE_3 }, "coverageBelowMaintenance"],
    ["frozen: never derived (the lender decides)", "FROZEN", healthy, null],
    ["closed: nothing", "REPAID", below, null],
  ])("%s", (_label, state, facts, expected) => {
    const event = derivedEventForFacts(state, facts, { cureWindowHours: 72 });
    expect(event?.type ?? null).toBe(expected);
    if (event) expect(() => transition(state, event, system, NOW)).not.toThrow();
  });
});
