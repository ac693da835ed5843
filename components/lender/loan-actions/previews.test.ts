import { describe, expect, test } from "vitest";
import type { LenderLoanDetailDto } from "@/lib/server/queries/lender-loans";
import { admissionText, defaultFreezeMode, disabledReasons, parseTypedUsd, previewFreeze, previewUnfreeze } from "./previews";

const USD = 1_000_000n;
const s = (micros: bigint) => micros.toString();

/** The fields of LenderLoanDetailDto the dialogs read. */
function loanOf(spec: { state?: string; coverageBps?: number | null; collateral: bigint; frozen: bigint; spendable: bigint; borrowerFrozen?: bigint; protective: bigint; isClosed?: boolean; hasDebt?: boolean }): LenderLoanDetailDto {
  const unfrozen = spec.collateral - spec.frozen;
  return {
    id: "loan_1",
    reference: "BL-1",
    state: spec.state ?? "ACTIVE",
    coverageBps: spec.coverageBps ?? 13_000,
    thresholds: { maintenanceBps: 12_500, hysteresisBps: 500 },
    collateral: spec.isClosed
      ? null
      : { totalMicros: s(spec.collateral), frozenMicros: s(spec.frozen), unfrozenMicros: s(unfrozen), freezableNowMicros: s(unfrozen < spec.spendable ? unfrozen : spec.spendable), protectiveFreezeMicros: s(spec.protective), protectiveDebtMicros: "0" },
    borrowerCredits: spec.isClosed ? null : { spendableMicros: s(spec.spendable), heldMicros: "0", frozenMicros: s(spec.borrowerFrozen ?? spec.frozen) },
    liquidationPreview: spec.hasDebt === false || spec.isClosed ? null : { partial: {}, full: {} },
  } as unknown as LenderLoanDetailDto;
}

describe("parseTypedUsd: what the amount field holds, exactly", () => {
  test.each([
    ["blank is not typed yet", "  ", { micros: null, error: null }],
    ["$40.000001 is 40,000,001 µUSD", "$40.000001", { micros: 40_000_001n, error: null }],
    ["1,250.50 is 1,250,500,000 µUSD", "1,250.50", { micros: 1_250_500_000n, error: null }],
    ["0 is refused", "0", { micros: null, error: "Enter an amount above $0." }],
  ])("%s", (_label, text, expected) => {
    expect(parseTypedUsd(text)).toEqual(expected);
  });

  test("7 decimals are refused with the parser's own message", () => {
    expect(parseTypedUsd("1.1234567").error).toContain("7 decimals");
  });
});

describe("previewFreeze: the server's freeze rule over the loan's figures, and the routing API afterwards", () => {
  // $100 of collateral, none frozen; the borrower has only the loan's credits; protective target $70.
  const loan = loanOf({ collateral: 100n * USD, frozen: 0n, spendable: 100n * USD, protective: 70n * USD });

  test("protective: $70 frozen, $30 still spendable, the API still admits", () => {
    const preview = previewFreeze(loan, "PROTECTIVE", null)!;
    expect(preview.plan).toMatchObject({ amountMicros: 70n * USD, spendableAfterMicros: 30n * USD });
    expect(preview.admissionAfter).toEqual({ isAdmitted: true, spendableMicros: 30n * USD });
    expect(preview.refusal).toBeNull();
  });

  test("full: nothing left to spend, the API refuses with 402 credits_frozen", () => {
    const preview = previewFreeze(loan, "FULL", null)!;
    expect(preview.plan.amountMicros).toBe(100n * USD);
    expect(preview.admissionAfter).toMatchObject({ isAdmitted: false, status: 402, code: "credits_frozen" });
  });

  test("full with $7 of own credits outside the loan: the API still admits, on those $7", () => {
    const withOwn = loanOf({ collateral: 100n * USD, frozen: 0n, spendable: 107n * USD, protective: 70n * USD });
    expect(previewFreeze(withOwn, "FULL", null)!.admissionAfter).toEqual({ isAdmitted: true, spendableMicros: 7n * USD });
  });

  test("a typed amount above what can be frozen now is a refusal, in words", () => {
    expect(previewFreeze(loan, "AMOUNT", 101n * USD)!.refusal).toContain("refused");
    expect(previewFreeze(loan, "AMOUNT", null)).toBeNull();
  });

  test("the dialog opens on protective when it has something to add, else on everything", () => {
    expect(defaultFreezeMode(loan)).toBe("PROTECTIVE");
    expect(defaultFreezeMode(loanOf({ collateral: 100n * USD, frozen: 80n * USD, spendable: 20n * USD, protective: 70n * USD }))).toBe("FULL");
  });
});

describe("previewUnfreeze", () => {
  const frozen = loanOf({ state: "FROZEN", collateral: 100n * USD, frozen: 100n * USD, spendable: 0n, protective: 70n * USD });

  test("everything: $100 back to spendable, the API admits again, the freeze ends", () => {
    expect(previewUnfreeze(frozen, "FULL", null)).toMatchObject({ releasedMicros: 100n * USD, frozenAfterMicros: 0n, spendableAfterMicros: 100n * USD, isFull: true, admissionAfter: { isAdmitted: true }, refusal: null });
  });

  test("part of it keeps the loan frozen; more than is frozen is a refusal", () => {
    expect(previewUnfreeze(frozen, "AMOUNT", 10n * USD)).toMatchObject({ releasedMicros: 10n * USD, frozenAfterMicros: 90n * USD, isFull: false });
    expect(previewUnfreeze(frozen, "AMOUNT", 101n * USD)!.refusal).toContain("More than is frozen");
  });
});

describe("disabledReasons: each disabled button says why", () => {
  test.each([
    ["an active loan: Unfreeze and Liquidate need a frozen loan", loanOf({ collateral: 100n * USD, frozen: 0n, spendable: 100n * USD, protective: 70n * USD }), { freeze: null, unfreeze: "Unfreeze needs a frozen loan: nothing is frozen.", liquidate: "Liquidate needs a frozen loan: freeze it first." }],
    ["a fully frozen loan: nothing more to freeze", loanOf({ state: "FROZEN", collateral: 100n * USD, frozen: 100n * USD, spendable: 0n, protective: 70n * USD }), { freeze: "All of the collateral is already frozen.", unfreeze: null, liquidate: null }],
    ["a frozen loan that owes nothing: unfreeze it instead", loanOf({ state: "FROZEN", collateral: 100n * USD, frozen: 100n * USD, spendable: 0n, protective: 0n, hasDebt: false }), { freeze: "All of the collateral is already frozen.", unfreeze: null, liquidate: "Nothing is owed: unfreeze instead." }],
  ])("%s", (_label, loan, expected) => {
    expect(disabledReasons(loan)).toEqual(expected);
  });

  test("a closed loan: all three, with its state", () => {
    const reasons = disabledReasons(loanOf({ state: "LIQUIDATED", collateral: 0n, frozen: 0n, spendable: 0n, protective: 0n, isClosed: true }));
    expect(reasons.freeze).toBe("The loan is liquidated: it holds no collateral.");
    expect(reasons.liquidate).toBe(reasons.freeze);
  });
});

describe("admissionText: the enforcement check's verdict", () => {
  const usd = (micros: bigint) => `$${(Number(micros) / 1e6).toFixed(2)}`;
  test.each([
    ["frozen", { isAdmitted: false, status: 402, code: "credits_frozen", spendableMicros: "0" }, 0n, "Refusing: 402 credits_frozen"],
    ["nothing at all", { isAdmitted: false, status: 402, code: "insufficient_credits", spendableMicros: "0" }, 0n, "Refusing: 402 insufficient_credits"],
    ["own credits only", { isAdmitted: true, status: 200, code: null, spendableMicros: "7000000" }, 0n, "Still admitting: $7.00 of own credits"],
    ["unfrozen collateral too", { isAdmitted: true, status: 200, code: null, spendableMicros: "37000000" }, 30n * USD, "Still admitting: $37.00 spendable, $30.00 of it unfrozen collateral"],
  ])("%s", (_label, check, unfrozen, expected) => {
    expect(admissionText(check, usd, unfrozen)).toBe(expected);
  });
});
