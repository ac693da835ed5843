// The financing workflow's rules against real SQLite and PostgreSQL: what each service refuses
// (precisely, and with nothing written), one application at a time, idempotent approval under 50
// concurrent clicks, idempotent payments, pledges, tenant isolation, repayment of a frozen loan,
// and a property check of the cash and ledger invariants over random payment sequences.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freezeLoanCollateral } from "@/lib/server/collateral/freeze";
import type { Db } from "@/lib/server/db/client";
import { toApiError } from "@/lib/server/http/errors";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getCreditBalances, issueCredits, openStartupAccounts, recordUsageBatch } from "@/lib/server/ledger/ledger";
import { declarePaymentNotice } from "@/lib/server/payments/notices";
import { createLoan, createUser, VALUATION_NOW, type Lender } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { createLoanDesk, refusal } from "@/test/loan-desk";
import { applyForLoan, type ApplicationInput } from "./apply";
import { approveApplication, type ApprovalTerms } from "./approve";
import { markOverdueInstallments } from "./delinquency";
import { recordLoanPayment, recordLoanPaymentInTx } from "./payments";
import { pledgeMoreCredits } from "./pledge";
import { getLoanForCallerOrThrow, getPayoffQuote, type LoanCaller } from "./queries";
import { rejectApplication } from "./reject";
import { withdrawApplication } from "./withdraw";

const USD = 1_000_000n;
const APPLIED_AT = new Date("2026-01-10T09:00:00.000Z");
const APPROVED_AT = new Date("2026-01-15T14:20:00.000Z");
const DAY_MS = 86_400_000;

async function rowCounts(db: Db) {
  return {
    loans: await db.loan.count(),
    lots: await db.creditLot.count(),
    transfers: await db.ledgerTransfer.count(),
    installments: await db.installment.count(),
    payments: await db.payment.count(),
    audits: await db.auditLog.count(),
    snapshots: await db.coverageSnapshot.count(),
  };
}

await describeEachProvider("loans: workflow rules", (provider) => {
  let test: TestDatabase;
  let db: Db;
  let lender: Lender;
  let facilityId: string;
  let admin: LoanCaller;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    db = test.db;
    ({ lender, facilityId, admin } = await createLoanDesk(db));
  });
  afterAll(async () => {
    await test?.drop();
  });

  /** A startup holding `ownUsd` of its own (purchased) credits. */
  async function newStartup(ownUsd = 60_000n): Promise<LoanCaller> {
    const user = await createUser(db, "STARTUP");
    await openStartupAccounts(db, user.orgId);
    if (ownUsd > 0n) await issueCredits(db, { orgId: user.orgId, amountMicros: ownUsd * USD, idempotencyKey: `own:${user.orgId}` });
    return { role: "startup", userId: user.userId, orgId: user.orgId };
  }

  // $100,000 at 1.3× with $50,000 pledged: initial coverage 15,300 bps (see golden.db.test.ts).
  const application = (overrides: Partial<ApplicationInput> = {}): ApplicationInput => ({
    principalMicros: (100_000n * USD).toString(),
    multiplierBps: 13_000,
    termMonths: 12,
    pledgedMicros: (50_000n * USD).toString(),
    purpose: "Inference for the launch.",
    ...overrides,
  });
  const terms = (overrides: Partial<ApprovalTerms> = {}): ApprovalTerms => ({ facilityId, aprBps: 1_200, multiplierBps: 13_000, ...overrides });
  const apply = (caller: LoanCaller, overrides: Partial<ApplicationInput> = {}) => applyForLoan(db, { caller, application: application(overrides), now: APPLIED_AT });
  const approve = (loanId: string, overrides: Partial<ApprovalTerms> = {}, now = APPROVED_AT) => approveApplication(db, { caller: admin, loanId, terms: terms(overrides), now });
  const pay = (caller: LoanCaller, loanId: string, amountMicros: bigint | string, idempotencyKey: string, now: Date) =>
    recordLoanPayment(db, { caller, loanId, payment: { amountMicros: amountMicros.toString(), idempotencyKey }, now });

  async function activeLoan(ownUsd = 60_000n) {
    const startup = await newStartup(ownUsd);
    const applied = await apply(startup);
    const { loan } = await approve(applied.id);
    return { startup, loan };
  }

  describe("apply", () => {
    it.each([
      ["a principal of 0", { principalMicros: "0" }, "principalMicros", "principalMicros: must be more than $0."],
      ["a principal with decimals", { principalMicros: "12.5" }, "principalMicros", 'principalMicros: give whole micro-dollars as a string of digits, like "1000000" for $1.'],
      ["a negative principal", { principalMicros: "-5" }, "principalMicros", 'principalMicros: give whole micro-dollars as a string of digits, like "1000000" for $1.'],
      ["a principal above $100,000,000", { principalMicros: "100000000000001" }, "principalMicros", "principalMicros: must be at most $100,000,000.000000."],
      ["a multiplier below 1.25×", { multiplierBps: 12_499 }, "multiplierBps", "multiplierBps: must be at least 12500 (1.25×)."],
      ["a multiplier above 1.5×", { multiplierBps: 15_001 }, "multiplierBps", "multiplierBps: must be at most 15000 (1.5×)."],
      ["a fractional multiplier", { multiplierBps: 13_000.5 }, "multiplierBps", "multiplierBps: give the multiplier in whole basis points, e.g. 13000 for 1.3×."],
      ["a term of 0 months", { termMonths: 0 }, "termMonths", "termMonths: must be at least 1 month."],
      ["a term of 37 months", { termMonths: 37 }, "termMonths", "termMonths: must be at most 36 months."],
      ["a blank purpose", { purpose: "   " }, "purpose", "purpose: say what the financing is for."],
      ["a purpose of 501 characters", { purpose: "x".repeat(501) }, "purpose", "purpose: keep it to 500 characters."],
      ["a planned burn of 0", { plannedBurnMicrosPerDay: "0" }, "plannedBurnMicrosPerDay", "plannedBurnMicrosPerDay: must be more than $0."],
    ])("refuses %s as a 400 on the field, writing nothing", async (_label, overrides, param, message) => {
      const startup = await newStartup();
      const before = await rowCounts(db);
      expect(await refusal(apply(startup, overrides as Partial<ApplicationInput>))).toEqual({ status: 400, code: "invalid_request", param, message });
      expect(await rowCounts(db)).toEqual(before);
    });

    it("refuses a pledge larger than the startup's own spendable credits (422), writing nothing", async () => {
      const startup = await newStartup(60_000n);
      const before = await rowCounts(db);
      expect(await refusal(apply(startup, { pledgedMicros: "60000000001" }))).toEqual({
        status: 422,
        code: "insufficient_own_credits",
        param: "pledgedMicros",
        message: "pledgedMicros: you can pledge at most $60,000.000000 of your own spendable credits; $60,000.000001 is more.",
      });
      expect(await rowCounts(db)).toEqual(before);
    });

    it("refuses a lender or an admin (403)", async () => {
      expect(await refusal(applyForLoan(db, { caller: admin, application: application() }))).toMatchObject({ status: 403, code: "forbidden" });
      // A lender's user dressed up as a startup caller: the organisation decides.
      expect(await refusal(applyForLoan(db, { caller: { role: "startup", userId: lender.userId, orgId: lender.orgId }, application: application() }))).toMatchObject({ status: 403, code: "forbidden" });
    });

    it("allows one pending application or open loan per startup; withdrawing frees the slot; references count up", async () => {
      const startup = await newStartup();
      const first = await apply(startup, { plannedBurnMicrosPerDay: "250000000" });
      expect(first).toMatchObject({ state: "SUBMITTED", submittedAt: APPLIED_AT, principalMicros: 100_000n * USD, pledgedMicros: 50_000n * USD, plannedBurnMicrosPerDay: 250n * USD, lenderOrgId: null });
      expect(first.reference).toMatch(/^BL-2026-\d{4}$/);
      expect(await refusal(apply(startup))).toEqual({ status: 409, code: "application_pending", param: null, message: `Application ${first.reference} is still waiting for a decision; withdraw it before applying again.` });

      const withdrawn = await withdrawApplication(db, { caller: startup, loanId: first.id, now: new Date("2026-01-11T00:00:00Z") });
      expect(withdrawn).toMatchObject({ state: "WITHDRAWN", closedAt: new Date("2026-01-11T00:00:00Z") });
      expect(await refusal(withdrawApplication(db, { caller: startup, loanId: first.id }))).toMatchObject({ status: 409, code: "illegal_transition", message: "Cannot withdraw a loan that is WITHDRAWN." });

      const second = await apply(startup);
      // The next number: one more than the highest ever issued.
      expect(Number(second.reference.slice(-4))).toBe(Number(first.reference.slice(-4)) + 1);
      await approve(second.id);
      expect(await refusal(apply(startup))).toMatchObject({ status: 409, code: "loan_open", message: `Loan ${second.reference} is still open (ACTIVE); a startup has one financing at a time.` });
      expect(await refusal(withdrawApplication(db, { caller: startup, loanId: second.id }))).toMatchObject({ status: 409, code: "illegal_transition", message: "Cannot withdraw a loan that is ACTIVE." });
      expect(await db.auditLog.count({ where: { targetId: first.id, action: { in: ["loan.submit", "loan.withdraw"] } } })).toBe(2);
    });

    it("gives concurrent applicants distinct, consecutive references; one startup clicking five times gets one application", async () => {
      const startups = await Promise.all(Array.from({ length: 8 }, () => newStartup()));
      const loans = await Promise.all(startups.map((startup) => apply(startup)));
      const numbers = loans.map((loan) => Number(loan.reference.slice(-4))).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(8);
      expect(numbers[7] - numbers[0]).toBe(7);

      const clicker = await newStartup();
      const clicks = await Promise.allSettled(Array.from({ length: 5 }, () => apply(clicker)));
      expect(clicks.filter((c) => c.status === "fulfilled")).toHaveLength(1);
      for (const click of clicks.filter((c) => c.status === "rejected")) expect(toApiError((click as PromiseRejectedResult).reason)).toMatchObject({ status: 409, code: "application_pending" });
      expect(await db.loan.count({ where: { startupOrgId: clicker.orgId } })).toBe(1);
    });
  });

  describe("reject", () => {
    it("needs a reason; closes the application with it; nothing can be approved or withdrawn afterwards", async () => {
      const startup = await newStartup();
      const applied = await apply(startup);
      expect(await refusal(rejectApplication(db, { caller: admin, loanId: applied.id, reason: "  " }))).toEqual({ status: 400, code: "invalid_request", param: "reason", message: "reason: say why, so the startup can act on it." });
      // A startup cannot decide its own application: the lifecycle refuses the role.
      expect(await refusal(rejectApplication(db, { caller: startup, loanId: applied.id, reason: "no" }))).toMatchObject({ status: 403, code: "role_not_allowed" });
      const at = new Date("2026-01-12T10:00:00Z");
      const rejected = await rejectApplication(db, { caller: admin, loanId: applied.id, reason: " Pledge more own credits. ", now: at });
      expect(rejected).toMatchObject({ state: "REJECTED", rejectionReason: "Pledge more own credits.", decidedById: admin.userId, decidedAt: at, closedAt: at });
      expect(await refusal(approve(applied.id))).toEqual({ status: 409, code: "application_already_decided", param: null, message: `Application ${applied.reference} is REJECTED: there is nothing left to approve.` });
      expect(await refusal(withdrawApplication(db, { caller: startup, loanId: applied.id }))).toMatchObject({ status: 409, message: "Cannot withdraw a loan that is REJECTED." });
      expect(await db.creditLot.count({ where: { loanId: applied.id } })).toBe(0);
    });
  });

  describe("approve", () => {
    it.each([
      ["maintenance not above liquidation", { maintenanceCoverageBps: 11_000 }, 400, "invalid_request", "maintenanceCoverageBps", "maintenanceCoverageBps: must be above the liquidation threshold (11000)."],
      ["initial not above maintenance", { initialCoverageBps: 15_000, maintenanceCoverageBps: 15_000, earlyWarningBps: [] }, 400, "invalid_request", "initialCoverageBps", "initialCoverageBps: must be above the maintenance threshold (15000)."],
      ["liquidation at 100%", { liquidationCoverageBps: 10_000 }, 400, "invalid_request", "liquidationCoverageBps", "liquidationCoverageBps: must be above 10000 (100%): below it the collateral no longer covers the debt."],
      ["an initial threshold below 150%", { initialCoverageBps: 14_000 }, 400, "invalid_request", "initialCoverageBps", "initialCoverageBps: must be at least 15000 (150%)."],
      ["an early warning below maintenance", { earlyWarningBps: [14_000, 12_000] }, 400, "invalid_request", "earlyWarningBps", "earlyWarningBps: each level must be above maintenance (12500) and at most the initial threshold (15000); 12000 is not."],
      ["a negative APR", { aprBps: -1 }, 400, "invalid_request", "aprBps", "aprBps: cannot be negative."],
      ["a multiplier of 1.6×", { multiplierBps: 16_000 }, 400, "invalid_request", "multiplierBps", "multiplierBps: must be at most 15000 (1.5×)."],
      ["an unknown facility", { facilityId: "nope" }, 422, "facility_not_found", "facilityId", "facilityId: no lender facility nope."],
    ])("refuses %s, leaving the application SUBMITTED and nothing written", async (_label, overrides, status, code, param, message) => {
      const applied = await apply(await newStartup());
      const before = await rowCounts(db);
      expect(await refusal(approve(applied.id, overrides as Partial<ApprovalTerms>))).toEqual({ status, code, param, message });
      expect(await rowCounts(db)).toEqual(before);
      expect((await db.loan.findUniqueOrThrow({ where: { id: applied.id } })).state).toBe("SUBMITTED");
    });

    it("refuses when initial coverage would be below the threshold, naming the pledge that would fix it", async () => {
      const applied = await apply(await newStartup(), { pledgedMicros: "0" });
      const before = await rowCounts(db);
      // Coverage = 130,000,000,000 × 850,000 / (100,000,000,000 × 100) = 11,050 bps (110.50%).
      // Pledge needed for 15,000: ⌈100 × 15,000 × 100,000,000,000 / 850,000⌉ − 130,000,000,000
      //   = ⌈176,470,588,235.29…⌉ − 130,000,000,000 = 46,470,588,236 µUSD.
      expect(await refusal(approve(applied.id))).toEqual({
        status: 409,
        code: "initial_coverage_too_low",
        param: "multiplierBps",
        message:
          "Initial coverage would be 110.50% (($130,000.000000 financed + $0.000000 pledged) × mark 85.00% / $100,000.000000), below the initial threshold of 150.00%. The startup would need to pledge $46,470.588236 more, or ask for less.",
      });
      expect(await rowCounts(db)).toEqual(before);
    });

    it("refuses without a GPU index fix, beyond the facility's headroom, or when the pledge is no longer there", async () => {
      const applied = await apply(await newStartup());
      const before = await rowCounts(db);
      // The only fix is dated 2026-01-01: on 2025-12-31 there is none.
      expect(await refusal(approve(applied.id, {}, new Date("2025-12-31T12:00:00Z")))).toMatchObject({ status: 409, code: "index_unavailable" });
      const small = await db.lenderFacility.create({ data: { lenderOrgId: lender.orgId, name: "Small", limitMicros: 50_000n * USD, defaultAprBps: 1_200 } });
      expect(await refusal(approve(applied.id, { facilityId: small.id }))).toEqual({
        status: 409,
        code: "facility_limit_exceeded",
        param: "facilityId",
        message: 'Facility "Small" has $50,000.000000 left to lend; this application asks for $100,000.000000.',
      });
      // The startup spends 20,000 of its 60,000 own credits after applying: 40,000 < the 50,000 pledged.
      const spender = await newStartup();
      const spent = await apply(spender);
      await recordUsageBatch(db, { orgId: spender.orgId, day: "2026-01-12", amountMicros: 20_000n * USD, now: APPROVED_AT });
      const beforeSpent = await rowCounts(db);
      expect(await refusal(approve(spent.id))).toEqual({
        status: 409,
        code: "pledge_unavailable",
        param: null,
        message: "The startup applied to pledge $50,000.000000 but now has only $40,000.000000 of its own spendable credits; it must top up or reapply.",
      });
      expect(await rowCounts(db)).toEqual(beforeSpent);
      expect((await rowCounts(db)).loans).toBe(before.loans + 1);
    });

    it("refuses a startup (403)", async () => {
      const startup = await newStartup();
      const applied = await apply(startup);
      expect(await refusal(approveApplication(db, { caller: startup, loanId: applied.id, terms: terms() }))).toMatchObject({ status: 403, code: "forbidden" });
    });

    it("50 concurrent approvals of one application disburse exactly once", async () => {
      const startup = await newStartup();
      const applied = await apply(startup);
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => approve(applied.id)));
      const fulfilled = outcomes.filter((o) => o.status === "fulfilled").map((o) => (o as PromiseFulfilledResult<Awaited<ReturnType<typeof approve>>>).value);
      const rejected = outcomes.filter((o) => o.status === "rejected").map((o) => toApiError((o as PromiseRejectedResult).reason));
      // Exactly one disbursed; every other call saw the approved loan (same terms: returned as is) or a 409.
      expect(fulfilled.filter((r) => !r.isReplay)).toHaveLength(1);
      expect(fulfilled.filter((r) => r.isReplay).every((r) => r.loan.id === applied.id && r.loan.state === "ACTIVE" && r.disbursement === null)).toBe(true);
      expect(rejected.every((e) => e.status === 409)).toBe(true);
      expect(fulfilled.length + rejected.length).toBe(50);

      const lots = await db.creditLot.findMany({ where: { loanId: applied.id } });
      expect(lots.map((lot) => [lot.kind, lot.originalMicros]).sort()).toEqual([
        ["FINANCED", 130_000n * USD],
        ["PLEDGED", 50_000n * USD],
      ]);
      expect(await db.installment.count({ where: { loanId: applied.id } })).toBe(12);
      const transfers = await db.ledgerTransfer.findMany({ where: { loanId: applied.id } });
      expect(transfers.map((t) => [t.kind, t.amountMicros]).sort()).toEqual([
        ["FINANCE", 130_000n * USD],
        ["LOAN_DISBURSEMENT", 100_000n * USD],
        ["LOAN_FUNDING", 100_000n * USD],
      ]);
      expect(await db.auditLog.count({ where: { targetId: applied.id, action: "loan.approve" } })).toBe(1);
      expect(await db.auditLog.count({ where: { targetId: applied.id, action: "loan.disbursed" } })).toBe(1);
      expect((await getCreditBalances(db, startup.orgId)).spendableMicros).toBe(190_000n * USD);
      // The same application approved again later with other terms: a 409, not a second disbursement.
      expect(await refusal(approve(applied.id, { aprBps: 1_500 }))).toMatchObject({ status: 409, code: "application_already_decided", message: `Application ${applied.reference} was already approved (now ACTIVE) with other terms: there is nothing left to approve.` });
      expect((await checkLedgerHealth(db)).violations).toEqual([]);
    });

    it("two applications racing for one facility's headroom: one is approved, the other is refused", async () => {
      const facility = await db.lenderFacility.create({ data: { lenderOrgId: lender.orgId, name: "Race", limitMicros: 150_000n * USD, defaultAprBps: 1_200 } });
      const a = await apply(await newStartup());
      const b = await apply(await newStartup());
      const outcomes = await Promise.allSettled([approve(a.id, { facilityId: facility.id }), approve(b.id, { facilityId: facility.id })]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const loser = toApiError((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason);
      // 150,000 − 100,000 = 50,000 left for the second.
      expect(loser).toMatchObject({ status: 409, code: "facility_limit_exceeded", message: 'Facility "Race" has $50,000.000000 left to lend; this application asks for $100,000.000000.' });
    });
  });

  describe("payments", () => {
    it("refuses a startup recording a payment, even on its own loan (403): it declares one, an admin records it; nothing moves", async () => {
      const { startup, loan } = await activeLoan();
      const before = await rowCounts(db);
      const loanBefore = await db.loan.findUniqueOrThrow({ where: { id: loan.id } });
      const forbidden = { status: 403, code: "forbidden", param: null, message: "Declare the payment you sent; an admin records it once received." };
      expect(await refusal(pay(startup, loan.id, 1_000n * USD, "self-pay-0001", new Date("2026-02-01T10:00:00Z")))).toEqual(forbidden);
      expect(await refusal(db.$transaction((tx) => recordLoanPaymentInTx(tx, db, { caller: startup, loanId: loan.id, payment: { amountMicros: "1000000000", idempotencyKey: "self-pay-0002" }, now: new Date("2026-02-01T10:00:00Z") })))).toEqual(forbidden);
      expect(await rowCounts(db)).toEqual(before);
      expect(await db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toEqual(loanBefore);
    });

    it("pays once per idempotency key: a retry returns the first payment, another amount under the same key is a 422", async () => {
      const { loan } = await activeLoan();
      const at = new Date("2026-02-15T10:00:00Z");
      const first = await pay(admin, loan.id, 8_884_878_868n, "key-00000001", at);
      expect(first.isReplay).toBe(false);
      const before = await rowCounts(db);
      const again = await pay(admin, loan.id, 8_884_878_868n, "key-00000001", new Date("2026-02-15T10:05:00Z"));
      expect({ isReplay: again.isReplay, id: again.payment.id }).toEqual({ isReplay: true, id: first.payment.id });
      expect(await refusal(pay(admin, loan.id, 1n * USD, "key-00000001", at))).toEqual({
        status: 422,
        code: "idempotency_conflict",
        param: "idempotencyKey",
        message: "This idempotency key was already used for a payment of $8,884.878868; send a new key for a new payment.",
      });
      expect(await rowCounts(db)).toEqual(before);

      // Ten concurrent retries of a new payment: one payment, one set of cash transfers.
      const racing = await Promise.all(Array.from({ length: 10 }, () => pay(admin, loan.id, 1_000n * USD, "key-00000002", new Date("2026-02-20T10:00:00Z"))));
      expect(racing.filter((r) => !r.isReplay)).toHaveLength(1);
      expect(new Set(racing.map((r) => r.payment.id)).size).toBe(1);
      expect(await db.payment.count({ where: { loanId: loan.id } })).toBe(2);
      expect(await db.ledgerTransfer.count({ where: { loanId: loan.id, kind: "PAYMENT_IN" } })).toBe(2);
      expect((await checkLedgerHealth(db)).violations).toEqual([]);
    });

    it("refuses an overpayment with the exact payoff figure, writing nothing; the payoff itself closes the loan", async () => {
      const { startup, loan } = await activeLoan();
      const at = new Date("2026-02-15T10:00:00Z");
      // Jan 15 → Feb 15 = 31 days: 100,000,000,000 × 1,200 × 31 / 3,650,000 = 1,019,178,082.19 → 1,019,178,082 interest;
      // debt = 101,019,178,082 µUSD.
      expect(await getPayoffQuote(db, startup, loan.id, at)).toMatchObject({ debtMicros: "101019178082", interestAccruedMicros: "1019178082", principalOutstandingMicros: "100000000000" });
      const before = await rowCounts(db);
      expect(await refusal(pay(admin, loan.id, 101_019_178_083n, "over-0001", at))).toEqual({
        status: 422,
        code: "overpayment",
        param: "amountMicros",
        message: `amountMicros: $101,019.178083 is more than loan ${loan.reference} owes. To pay it off, pay exactly $101,019.178082 (101019178082 µUSD: $1,019.178082 interest + $100,000.000000 principal).`,
      });
      expect(await rowCounts(db)).toEqual(before);
      // The accrual written inside the refused transaction was rolled back with it.
      expect((await db.loan.findUniqueOrThrow({ where: { id: loan.id } })).interestAccruedMicros).toBe(0n);
      const paid = await pay(admin, loan.id, 101_019_178_082n, "payoff-0001", at);
      expect({ state: paid.loan.state, interest: paid.payment.interestMicros, principal: paid.payment.principalMicros, released: paid.releasedMicros }).toEqual({ state: "REPAID", interest: 1_019_178_082n, principal: 100_000n * USD, released: 180_000n * USD });
      expect(await refusal(pay(admin, loan.id, 1n, "late-0001", at))).toMatchObject({ status: 409, code: "loan_not_open", message: `Loan ${loan.reference} is REPAID: there is nothing to pay.` });
    });

    it.each([
      ["a zero amount", "0", "key-00000003", "amountMicros", "amountMicros: must be more than $0."],
      ["dollars instead of µUSD", "12.50", "key-00000003", "amountMicros", 'amountMicros: give whole micro-dollars as a string of digits, like "1000000" for $1.'],
      ["a short idempotency key", "1000000", "k", "idempotencyKey", "idempotencyKey: use at least 8 characters (a UUID is ideal)."],
      ["an idempotency key with spaces", "1000000", "key with spaces", "idempotencyKey", "idempotencyKey: use letters, digits and . _ : - only."],
    ])("refuses %s (400), writing nothing", async (_label, amount, key, param, message) => {
      const { loan } = await activeLoan();
      const before = await rowCounts(db);
      expect(await refusal(pay(admin, loan.id, amount, key, new Date("2026-02-01T00:00:00Z")))).toEqual({ status: 400, code: "invalid_request", param, message });
      expect(await rowCounts(db)).toEqual(before);
    });

    it("refuses a payment on an application not yet disbursed", async () => {
      const startup = await newStartup();
      const applied = await apply(startup);
      expect(await refusal(pay(admin, applied.id, 1n * USD, "early-0001", APPROVED_AT))).toEqual({ status: 409, code: "loan_not_open", param: null, message: `Loan ${applied.reference} is not disbursed yet: there is nothing to pay.` });
    });

    it("an admin may record a payment on any startup's loan; it is recorded as theirs", async () => {
      const { loan } = await activeLoan();
      const result = await pay(admin, loan.id, 5_000n * USD, "wire-000001", new Date("2026-02-01T10:00:00Z"));
      expect(result.payment.recordedById).toBe(admin.userId);
      expect(await db.auditLog.count({ where: { targetId: loan.id, action: "loan.payment", actorUserId: admin.userId } })).toBe(1);
    });

    it("a loan disbursed outside the workflow (seeded) gets its disbursement recorded at its first payment, once", async () => {
      // The demo world's shape: an ACTIVE loan with lots but no cash on record. P = 80,000 USD at 0% APR.
      const { loan } = await createLoan(db, { lender, financedMicros: 100_000n * USD, principalMicros: 80_000n * USD });
      await pay(admin, loan.id, 10_000n * USD, "seeded-0001", VALUATION_NOW);
      await pay(admin, loan.id, 5_000n * USD, "seeded-0002", VALUATION_NOW);
      const transfers = await db.ledgerTransfer.findMany({ where: { loanId: loan.id, kind: { in: ["LOAN_FUNDING", "LOAN_DISBURSEMENT", "RECEIVABLE_REPAID"] } }, orderBy: { createdAt: "asc" } });
      // Recorded once, for the 80,000 outstanding at the first payment; then 10,000 and 5,000 of principal repaid: 65,000 left.
      expect(transfers.map((t) => [t.kind, t.amountMicros]).sort()).toEqual(
        [
          ["LOAN_DISBURSEMENT", 80_000n * USD],
          ["LOAN_FUNDING", 80_000n * USD],
          ["RECEIVABLE_REPAID", 10_000n * USD],
          ["RECEIVABLE_REPAID", 5_000n * USD],
        ].sort(),
      );
      const receivable = await db.ledgerAccount.findFirstOrThrow({ where: { type: "LOAN_RECEIVABLE", loanId: loan.id } });
      expect(receivable.balanceMicros).toBe(65_000n * USD);
      expect((await db.loan.findUniqueOrThrow({ where: { id: loan.id } })).principalOutstandingMicros).toBe(65_000n * USD);
      expect((await checkLedgerHealth(db)).violations).toEqual([]);
    });

    it("keeps the cash and ledger invariants over random payment sequences (property)", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ days: fc.integer({ min: 0, max: 45 }), shareBps: fc.integer({ min: 1, max: 10_000 }) }), { minLength: 1, maxLength: 6 }),
          async (steps) => {
            const { startup, loan } = await activeLoan();
            let now = APPROVED_AT.getTime();
            let paid = 0n;
            for (const [index, step] of [...steps, { days: 1, shareBps: 10_000 }].entries()) {
              now += step.days * DAY_MS;
              const quote = await getPayoffQuote(db, startup, loan.id, new Date(now));
              const debt = BigInt(quote.debtMicros);
              if (debt === 0n) break;
              const amount = (debt * BigInt(step.shareBps)) / 10_000n || 1n;
              const result = await pay(admin, loan.id, amount, `prop-${loan.id}-${index}`, new Date(now));
              paid += amount;
              expect(result.payment.interestMicros + result.payment.principalMicros).toBe(amount);
              const row = await db.loan.findUniqueOrThrow({ where: { id: loan.id } });
              const receivable = await db.ledgerAccount.findFirstOrThrow({ where: { type: "LOAN_RECEIVABLE", loanId: loan.id } });
              const lenderCash = await db.ledgerTransfer.aggregate({ where: { loanId: loan.id, kind: { in: ["PAYMENT_INTEREST", "PAYMENT_PRINCIPAL"] } }, _sum: { amountMicros: true } });
              const installments = await db.installment.aggregate({ where: { loanId: loan.id }, _sum: { paidMicros: true } });
              // The receivable is the principal outstanding; the lender received every µUSD paid; installments account for every µUSD.
              expect(receivable.balanceMicros).toBe(row.principalOutstandingMicros);
              expect(lenderCash._sum.amountMicros).toBe(paid);
              expect(installments._sum.paidMicros).toBe(paid);
              expect(row.state).toBe(row.principalOutstandingMicros + row.interestAccruedMicros === 0n ? "REPAID" : "ACTIVE");
            }
            expect((await db.loan.findUniqueOrThrow({ where: { id: loan.id } })).state).toBe("REPAID");
            expect((await checkLedgerHealth(db)).violations).toEqual([]);
          },
        ),
        { numRuns: 6, seed: 20_260_115 },
      );
    });
  });

  describe("pledge more credits", () => {
    it("moves own credits into the loan's PLEDGED lot and recomputes coverage; refuses more than the startup owns", async () => {
      const { startup, loan } = await activeLoan(70_000n);
      const before = await rowCounts(db);
      // 70,000 own − 50,000 pledged = 20,000 left; 20,000.000001 is too much.
      expect(await refusal(pledgeMoreCredits(db, { caller: startup, loanId: loan.id, pledge: { amountMicros: "20000000001" } }))).toEqual({
        status: 422,
        code: "insufficient_own_credits",
        param: "amountMicros",
        message: "amountMicros: you can pledge at most $20,000.000000 of your own spendable credits; $20,000.000001 is more.",
      });
      expect(await rowCounts(db)).toEqual(before);
      const at = new Date("2026-01-20T12:00:00Z");
      const result = await pledgeMoreCredits(db, { caller: startup, loanId: loan.id, pledge: { amountMicros: (20_000n * USD).toString() }, now: at });
      expect({ pledged: result.pledgedMicros, total: result.pledgedTotalMicros }).toEqual({ pledged: 20_000n * USD, total: 70_000n * USD });
      const lots = await db.creditLot.findMany({ where: { orgId: startup.orgId }, orderBy: { priority: "asc" } });
      expect(lots.map((lot) => [lot.kind, lot.remainingMicros])).toEqual([
        ["FINANCED", 130_000n * USD],
        ["PLEDGED", 70_000n * USD],
        ["PURCHASED", 0n],
      ]);
      // Coverage: 200,000,000,000 × 850,000 / debt. Jan 15 → Jan 20 = 5 days: 100,000,000,000 × 1,200 × 5 / 3,650,000
      //   = 164,383,561.64 → 164,383,561; debt 100,164,383,561; ⌊170,000,000,000,000,000 / 10,016,438,356,100⌋ = 16,972 bps.
      expect((await db.coverageSnapshot.findFirst({ where: { loanId: loan.id, reason: "pledge" } }))?.coverageBps).toBe(16_972);
      expect((await checkLedgerHealth(db)).violations).toEqual([]);
    });

    it("refuses a pledge to a loan that is not open", async () => {
      const startup = await newStartup();
      const applied = await apply(startup);
      expect(await refusal(pledgeMoreCredits(db, { caller: startup, loanId: applied.id, pledge: { amountMicros: "1000000" } }))).toMatchObject({ status: 409, code: "loan_not_open" });
    });
  });

  describe("tenant isolation", () => {
    it("startup B cannot see, declare a payment on, pledge to or withdraw startup A's loan: it reads as not found, and nothing is written", async () => {
      const { loan } = await activeLoan();
      const b = await newStartup();
      const aApplication = await apply(await newStartup());
      const before = await rowCounts(db);
      const notFound = (id: string) => ({ status: 404, code: "loan_not_found", param: "loanId", message: `No loan ${id} here.` });
      expect(await refusal(declarePaymentNotice(db, { caller: b, loanId: loan.id, notice: { amountMicros: "1000000", sentOn: "2026-02-01", reference: "STEAL-0001" }, now: new Date("2026-02-01T12:00:00Z") }))).toEqual(notFound(loan.id));
      expect(await refusal(pledgeMoreCredits(db, { caller: b, loanId: loan.id, pledge: { amountMicros: "1000000" } }))).toEqual(notFound(loan.id));
      expect(await refusal(withdrawApplication(db, { caller: b, loanId: aApplication.id }))).toEqual(notFound(aApplication.id));
      expect(await refusal(getLoanForCallerOrThrow(db, b, loan.id))).toEqual(notFound(loan.id));
      expect(await refusal(getPayoffQuote(db, b, loan.id, new Date()))).toEqual(notFound(loan.id));
      expect(await rowCounts(db)).toEqual(before);
    });
  });

  describe("a frozen loan", () => {
    it("marks its overdue installment without leaving FROZEN, and a payoff unfreezes and releases every credit", async () => {
      const { startup, loan } = await activeLoan();
      await freezeLoanCollateral(db, { loanId: loan.id, mode: "AMOUNT", amountMicros: 20_000n * USD, actor: { kind: "user", userId: lender.userId, orgId: lender.orgId }, reason: "watch", requestedAt: new Date(), lenderOrgId: lender.orgId, now: new Date("2026-02-01T00:00:00Z") });
      // #1 due Feb 15, 5 days of grace: past grace on Feb 21. FROZEN outranks DELINQUENT: the state stays.
      expect(await markOverdueInstallments(db, new Date("2026-02-21T08:00:00Z"), { loanIds: [loan.id] })).toEqual({ checkedLoans: 1, markedInstallments: 1, delinquentLoanIds: [] });
      expect((await db.loan.findUniqueOrThrow({ where: { id: loan.id } })).state).toBe("FROZEN");
      // Jan 15 → Feb 22 = 38 days: 100,000,000,000 × 1,200 × 38 / 3,650,000 = 1,249,315,068.49 → 1,249,315,068; payoff 101,249,315,068.
      const at = new Date("2026-02-22T10:00:00Z");
      expect((await getPayoffQuote(db, startup, loan.id, at)).debtMicros).toBe("101249315068");
      const paid = await pay(admin, loan.id, 101_249_315_068n, "payoff-frozen", at);
      expect({ state: paid.loan.state, released: paid.releasedMicros, statuses: [...new Set(paid.installments.map((i) => i.status))] }).toEqual({ state: "REPAID", released: 180_000n * USD, statuses: ["PAID"] });
      expect(await getCreditBalances(db, startup.orgId)).toEqual({ spendableMicros: 190_000n * USD, heldMicros: 0n, frozenMicros: 0n, pledgedMicros: 0n, financedMicros: 0n });
      const unfreeze = await db.freezeEvent.findFirstOrThrow({ where: { loanId: loan.id, action: "UNFREEZE" } });
      expect({ mode: unfreeze.mode, amount: unfreeze.amountMicros, actorKind: unfreeze.actorKind }).toEqual({ mode: "FULL", amount: 20_000n * USD, actorKind: "system" });
      // No alert stays open on a closed loan.
      expect(await db.alert.count({ where: { loanId: loan.id, state: { not: "RESOLVED" } } })).toBe(0);
      expect((await checkLedgerHealth(db)).violations).toEqual([]);
    });
  });
});
