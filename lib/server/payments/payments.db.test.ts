// Repayment notices and credit purchases against real SQLite and PostgreSQL: a startup only
// declares, nothing moves until an admin confirms; confirming records the payment interest-first
// (or issues a PURCHASED lot) and marks the row in one transaction, once, however often it is
// clicked; refusing moves nothing; another startup's loan or request is "not found".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import type { LoanCaller } from "@/lib/server/loans/queries";
import { createLender, createLoan, VALUATION_NOW, type Lender } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { createPlatformAdmin, refusal } from "@/test/loan-desk";
import { confirmPaymentNotice, declarePaymentNotice, refusePaymentNotice, withdrawPaymentNotice } from "./notices";
import { confirmCreditPurchase, refuseCreditPurchase, requestCreditPurchase, withdrawCreditPurchase } from "./purchases";
import { recordReceivedPayment } from "./record-received";
import { listCreditPurchasesOfStartup, listPaymentNoticesOfStartup } from "./startup-queries";

const USD = 1_000_000n;
const NOW = VALUATION_NOW; // 2026-03-01T12:00Z: the test loans have accrued interest through this instant.

async function moneyState(db: Db, loanId: string, orgId: string) {
  const loan = await db.loan.findUniqueOrThrow({ where: { id: loanId } });
  return {
    principalOutstandingMicros: loan.principalOutstandingMicros,
    interestAccruedMicros: loan.interestAccruedMicros,
    state: loan.state,
    payments: await db.payment.count({ where: { loanId } }),
    transfers: await db.ledgerTransfer.count(),
    lots: await db.creditLot.count({ where: { orgId } }),
    spendableMicros: (await getCreditBalances(db, orgId)).spendableMicros,
  };
}

await describeEachProvider("payments: notices and purchases", (provider) => {
  let test: TestDatabase;
  let db: Db;
  let lender: Lender;
  let admin: LoanCaller;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    db = test.db;
    lender = await createLender(db);
    admin = await createPlatformAdmin(db);
  });
  afterAll(async () => {
    await test?.drop();
  });

  /** $100,000 outstanding at 12% with $1,000 of interest accrued through NOW: debt $101,000. */
  async function openLoan() {
    const { loan, startupOrgId, startupUserId } = await createLoan(db, {
      lender,
      principalMicros: 100_000n * USD,
      interestAccruedMicros: 1_000n * USD,
      aprBps: 1_200,
      financedMicros: 150_000n * USD,
      pledgedMicros: 30_000n * USD,
    });
    const startup: LoanCaller = { role: "startup", userId: startupUserId, orgId: startupOrgId };
    return { loan, startup };
  }

  const declare = (caller: LoanCaller, loanId: string, overrides: Partial<{ amountMicros: string; sentOn: string; reference: string }> = {}) =>
    declarePaymentNotice(db, { caller, loanId, notice: { amountMicros: (5_000n * USD).toString(), sentOn: "2026-02-28", reference: "WIRE-0001", ...overrides }, now: NOW });

  describe("repayment notices", () => {
    it("a declared notice moves nothing until confirmed; confirming records it interest first, the debt falls, the notice is CONFIRMED and audited", async () => {
      const { loan, startup } = await openLoan();
      const before = await moneyState(db, loan.id, startup.orgId);
      const notice = await declare(startup, loan.id);
      expect(notice).toMatchObject({ status: "PENDING", amountMicros: 5_000n * USD, sentOn: "2026-02-28", reference: "WIRE-0001", declaredById: startup.userId, paymentId: null });
      expect(await moneyState(db, loan.id, startup.orgId)).toEqual(before);

      const result = await confirmPaymentNotice(db, { caller: admin, noticeId: notice.id, now: NOW });
      expect(result.isReplay).toBe(false);
      expect(result.payment).toMatchObject({ amountMicros: 5_000n * USD, interestMicros: 1_000n * USD, principalMicros: 4_000n * USD, recordedById: admin.userId });
      expect(result.debtAfterMicros).toBe(96_000n * USD);
      expect(result.notice).toMatchObject({ status: "CONFIRMED", decidedById: admin.userId, paymentId: result.payment.id });
      const after = await db.loan.findUniqueOrThrow({ where: { id: loan.id } });
      expect({ principal: after.principalOutstandingMicros, interest: after.interestAccruedMicros }).toEqual({ principal: 96_000n * USD, interest: 0n });
      // The cash moved through the ledger; the startup's credits did not.
      expect(await db.ledgerTransfer.count({ where: { loanId: loan.id, kind: { in: ["PAYMENT_IN", "PAYMENT_INTEREST", "PAYMENT_PRINCIPAL", "RECEIVABLE_REPAID"] } } })).toBe(4);
      expect((await getCreditBalances(db, startup.orgId)).spendableMicros).toBe(before.spendableMicros);

      const audit = await db.auditLog.findFirstOrThrow({ where: { action: "payment_notice.confirm", targetId: notice.id } });
      expect(audit.actorUserId).toBe(admin.userId);
      const detail = JSON.parse(audit.detailJson);
      expect(detail).toMatchObject({ paymentId: result.payment.id, amountMicros: "5000000000", interestMicros: "1000000000", principalMicros: "4000000000", debtAfterMicros: "96000000000" });
      expect(detail.before).toMatchObject({ status: "PENDING", paymentId: null });
      expect(detail.after).toMatchObject({ status: "CONFIRMED", paymentId: result.payment.id });
      expect(await db.auditLog.count({ where: { action: "payment_notice.declare", targetId: notice.id } })).toBe(1);
      expect(await db.auditLog.count({ where: { action: "loan.payment", targetId: loan.id } })).toBe(1);
      expect((await checkLedgerHealth(db)).violations).toEqual([]);
    });

    it("confirming twice, or twice at once, records one payment", async () => {
      const { loan, startup } = await openLoan();
      const first = await declare(startup, loan.id, { reference: "WIRE-A" });
      const one = await confirmPaymentNotice(db, { caller: admin, noticeId: first.id, now: NOW });
      const again = await confirmPaymentNotice(db, { caller: admin, noticeId: first.id, now: NOW });
      expect(again).toMatchObject({ isReplay: true, notice: { status: "CONFIRMED", paymentId: one.payment.id } });
      expect(again.payment.id).toBe(one.payment.id);

      const second = await declare(startup, loan.id, { reference: "WIRE-B", amountMicros: (1_000n * USD).toString() });
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => confirmPaymentNotice(db, { caller: admin, noticeId: second.id, now: NOW })));
      // SQLite's single writer may refuse a racing click as busy; none may record a second payment.
      const fulfilled = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof confirmPaymentNotice>>>).value);
      expect(fulfilled.length).toBeGreaterThan(0);
      expect(new Set(fulfilled.map((r) => r.payment.id)).size).toBe(1);
      expect(fulfilled.filter((r) => !r.isReplay)).toHaveLength(1);

      expect(await db.payment.count({ where: { loanId: loan.id } })).toBe(2);
      const after = await db.loan.findUniqueOrThrow({ where: { id: loan.id } });
      expect(after.principalOutstandingMicros + after.interestAccruedMicros).toBe(101_000n * USD - 6_000n * USD);
      expect(await db.auditLog.count({ where: { action: "payment_notice.confirm", targetId: { in: [first.id, second.id] } } })).toBe(2);
      expect((await checkLedgerHealth(db)).violations).toEqual([]);
    });

    it("refusing needs a reason and moves nothing; a refused notice cannot be confirmed", async () => {
      const { loan, startup } = await openLoan();
      const notice = await declare(startup, loan.id);
      const before = await moneyState(db, loan.id, startup.orgId);
      expect(await refusal(refusePaymentNotice(db, { caller: admin, noticeId: notice.id, reason: "  ", now: NOW }))).toMatchObject({ status: 400, param: "reason" });
      expect((await db.paymentNotice.findUniqueOrThrow({ where: { id: notice.id } })).status).toBe("PENDING");

      const refused = await refusePaymentNotice(db, { caller: admin, noticeId: notice.id, reason: "No wire with this reference reached the account.", now: NOW });
      expect(refused).toMatchObject({ status: "REFUSED", refusalReason: "No wire with this reference reached the account.", decidedById: admin.userId, paymentId: null });
      expect(await moneyState(db, loan.id, startup.orgId)).toEqual(before);
      const audit = JSON.parse((await db.auditLog.findFirstOrThrow({ where: { action: "payment_notice.refuse", targetId: notice.id } })).detailJson);
      expect(audit).toMatchObject({ reason: "No wire with this reference reached the account.", before: { status: "PENDING" }, after: { status: "REFUSED" } });

      expect(await refusal(confirmPaymentNotice(db, { caller: admin, noticeId: notice.id, now: NOW }))).toMatchObject({ status: 409, code: "notice_not_pending" });
      expect(await moneyState(db, loan.id, startup.orgId)).toEqual(before);
      // The startup reads the reason.
      expect((await listPaymentNoticesOfStartup(db, startup.orgId))[0]).toMatchObject({ id: notice.id, status: "REFUSED", refusalReason: "No wire with this reference reached the account." });
    });

    it("another startup cannot declare on a loan that is not its own, nor withdraw its notice; a startup cannot confirm", async () => {
      const { loan, startup } = await openLoan();
      const other = await openLoan();
      const notices = await db.paymentNotice.count();
      expect(await refusal(declare(other.startup, loan.id))).toMatchObject({ status: 404, code: "loan_not_found" });
      expect(await db.paymentNotice.count()).toBe(notices);

      const notice = await declare(startup, loan.id);
      expect(await refusal(withdrawPaymentNotice(db, { caller: other.startup, noticeId: notice.id, now: NOW }))).toMatchObject({ status: 404, code: "notice_not_found" });
      expect(await refusal(confirmPaymentNotice(db, { caller: startup, noticeId: notice.id, now: NOW }))).toMatchObject({ status: 403 });
      expect(await refusal(declare(admin, loan.id))).toMatchObject({ status: 403 });
      expect((await db.paymentNotice.findUniqueOrThrow({ where: { id: notice.id } })).status).toBe("PENDING");
    });

    it.each([
      ["an amount of 0", { amountMicros: "0" }, 400, "amountMicros"],
      ["an amount above the debt", { amountMicros: (101_000n * USD + 1n).toString() }, 422, "amountMicros"],
      ["a day in the future", { sentOn: "2026-03-03" }, 400, "sentOn"],
      ["a day that does not exist", { sentOn: "2026-02-30" }, 400, "sentOn"],
      ["a day before the loan was disbursed", { sentOn: "2025-12-01" }, 400, "sentOn"],
      ["a blank reference", { reference: "   " }, 400, "reference"],
    ])("refuses a notice with %s, writing nothing", async (_label, overrides, status, param) => {
      const { loan, startup } = await openLoan();
      const before = { notices: await db.paymentNotice.count(), audits: await db.auditLog.count() };
      expect(await refusal(declare(startup, loan.id, overrides))).toMatchObject({ status, param });
      expect({ notices: await db.paymentNotice.count(), audits: await db.auditLog.count() }).toEqual(before);
    });

    it("accepts the whole debt, but pending notices together never declare more than the loan owes", async () => {
      const { loan, startup } = await openLoan();
      await declare(startup, loan.id, { amountMicros: (100_000n * USD).toString() });
      const refused = await refusal(declare(startup, loan.id, { amountMicros: (1_000n * USD + 1n).toString() }));
      expect(refused).toMatchObject({ status: 422, code: "amount_exceeds_debt" });
      expect(refused.message).toContain("declare at most $1,000.000000");
      // Today in Auckland is still a day that may be declared.
      expect(await declare(startup, loan.id, { amountMicros: (1_000n * USD).toString(), sentOn: "2026-03-02" })).toMatchObject({ status: "PENDING" });
    });

    it("the startup withdraws its own pending notice; it can then not be confirmed", async () => {
      const { loan, startup } = await openLoan();
      const notice = await declare(startup, loan.id);
      const withdrawn = await withdrawPaymentNotice(db, { caller: startup, noticeId: notice.id, now: NOW });
      expect(withdrawn).toMatchObject({ status: "WITHDRAWN", decidedById: startup.userId });
      expect(await refusal(withdrawPaymentNotice(db, { caller: startup, noticeId: notice.id, now: NOW }))).toMatchObject({ status: 409, code: "notice_not_pending" });
      expect(await refusal(confirmPaymentNotice(db, { caller: admin, noticeId: notice.id, now: NOW }))).toMatchObject({ status: 409, code: "notice_not_pending" });
      expect(await db.payment.count({ where: { loanId: loan.id } })).toBe(0);
    });

    it("a notice the loan no longer owes (paid meanwhile) is not recorded; the admin is told to refuse it", async () => {
      const { loan, startup } = await openLoan();
      const notice = await declare(startup, loan.id, { amountMicros: (100_000n * USD).toString() });
      await recordReceivedPayment(db, { caller: admin, loanId: loan.id, received: { amountMicros: (50_000n * USD).toString(), reference: "WIRE-DIRECT", idempotencyKey: "direct-0001" }, now: NOW });
      const before = await moneyState(db, loan.id, startup.orgId);
      expect(await refusal(confirmPaymentNotice(db, { caller: admin, noticeId: notice.id, now: NOW }))).toMatchObject({ status: 422, code: "notice_exceeds_debt" });
      expect(await moneyState(db, loan.id, startup.orgId)).toEqual(before);
      expect((await db.paymentNotice.findUniqueOrThrow({ where: { id: notice.id } })).status).toBe("PENDING");
    });

    it("a payment recorded directly (a wire without a notice) keeps its reference and records once per key", async () => {
      const { loan, startup } = await openLoan();
      const received = { amountMicros: (2_000n * USD).toString(), reference: "FED-REF-77", idempotencyKey: "6f1c2a70-aaaa-4bbb-8ccc-000000000001" };
      const first = await recordReceivedPayment(db, { caller: admin, loanId: loan.id, received, now: NOW });
      const again = await recordReceivedPayment(db, { caller: admin, loanId: loan.id, received, now: NOW });
      expect(first).toMatchObject({ isReplay: false, debtAfterMicros: 99_000n * USD, notice: { status: "CONFIRMED", reference: "FED-REF-77", sentOn: "2026-03-01" } });
      expect(first.payment).toMatchObject({ interestMicros: 1_000n * USD, principalMicros: 1_000n * USD });
      expect(again).toMatchObject({ isReplay: true, notice: { id: first.notice.id } });
      expect(await db.payment.count({ where: { loanId: loan.id } })).toBe(1);
      expect(await db.auditLog.count({ where: { action: "payment.record", targetId: first.notice.id } })).toBe(1);
      expect(await refusal(recordReceivedPayment(db, { caller: startup, loanId: loan.id, received: { ...received, idempotencyKey: "other-key-1" }, now: NOW }))).toMatchObject({ status: 403 });
      expect((await checkLedgerHealth(db)).violations).toEqual([]);
    });
  });

  describe("credit purchases", () => {
    async function newStartup(): Promise<LoanCaller> {
      const { loan: _loan, startup } = await openLoan();
      return startup;
    }

    it("a request adds nothing; confirming issues a PURCHASED lot, spendable rises by the amount, once however often it is clicked", async () => {
      const startup = await newStartup();
      const spendable0 = (await getCreditBalances(db, startup.orgId)).spendableMicros;
      const lots0 = await db.creditLot.count({ where: { orgId: startup.orgId } });
      const request = await requestCreditPurchase(db, { caller: startup, purchase: { amountMicros: (25_000n * USD).toString(), reference: "PO-2026-03" }, now: NOW });
      expect(request).toMatchObject({ status: "PENDING", amountMicros: 25_000n * USD, lotId: null });
      expect((await getCreditBalances(db, startup.orgId)).spendableMicros).toBe(spendable0);

      const results = await Promise.allSettled([1, 2, 3].map(() => confirmCreditPurchase(db, { caller: admin, purchaseId: request.id, now: NOW })));
      const fulfilled = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof confirmCreditPurchase>>>).value);
      expect(fulfilled.filter((r) => !r.isReplay)).toHaveLength(1);
      const confirmed = fulfilled.find((r) => !r.isReplay)!;
      expect(confirmed).toMatchObject({ spendableBeforeMicros: spendable0, spendableAfterMicros: spendable0 + 25_000n * USD });
      expect(await confirmCreditPurchase(db, { caller: admin, purchaseId: request.id, now: NOW })).toMatchObject({ isReplay: true });

      const row = await db.creditPurchaseRequest.findUniqueOrThrow({ where: { id: request.id } });
      expect(row).toMatchObject({ status: "CONFIRMED", decidedById: admin.userId });
      const lot = await db.creditLot.findUniqueOrThrow({ where: { id: row.lotId! } });
      expect(lot).toMatchObject({ orgId: startup.orgId, kind: "PURCHASED", originalMicros: 25_000n * USD, remainingMicros: 25_000n * USD, loanId: null });
      expect(await db.creditLot.count({ where: { orgId: startup.orgId } })).toBe(lots0 + 1);
      expect((await getCreditBalances(db, startup.orgId)).spendableMicros).toBe(spendable0 + 25_000n * USD);
      const audit = JSON.parse((await db.auditLog.findFirstOrThrow({ where: { action: "credit_purchase.confirm", targetId: request.id } })).detailJson);
      expect(audit).toMatchObject({ lotId: lot.id, before: { status: "PENDING", spendableMicros: spendable0.toString() }, after: { status: "CONFIRMED", spendableMicros: (spendable0 + 25_000n * USD).toString() } });
      expect((await checkLedgerHealth(db)).violations).toEqual([]);
    });

    it("refusing needs a reason and moves nothing; withdrawing is the startup's own; another startup's request is not found", async () => {
      const startup = await newStartup();
      const other = await newStartup();
      const a = await requestCreditPurchase(db, { caller: startup, purchase: { amountMicros: (10_000n * USD).toString(), reference: "PO-A" }, now: NOW });
      const b = await requestCreditPurchase(db, { caller: startup, purchase: { amountMicros: (5_000n * USD).toString(), reference: "PO-B" }, now: NOW });
      const before = { balances: await getCreditBalances(db, startup.orgId), lots: await db.creditLot.count(), transfers: await db.ledgerTransfer.count() };

      expect(await refusal(refuseCreditPurchase(db, { caller: admin, purchaseId: a.id, reason: "", now: NOW }))).toMatchObject({ status: 400, param: "reason" });
      expect(await refuseCreditPurchase(db, { caller: admin, purchaseId: a.id, reason: "The payment was returned by the bank.", now: NOW })).toMatchObject({ status: "REFUSED", refusalReason: "The payment was returned by the bank." });
      expect(await refusal(confirmCreditPurchase(db, { caller: admin, purchaseId: a.id, now: NOW }))).toMatchObject({ status: 409, code: "purchase_not_pending" });

      expect(await refusal(withdrawCreditPurchase(db, { caller: other, purchaseId: b.id, now: NOW }))).toMatchObject({ status: 404, code: "purchase_not_found" });
      expect(await withdrawCreditPurchase(db, { caller: startup, purchaseId: b.id, now: NOW })).toMatchObject({ status: "WITHDRAWN" });
      expect(await refusal(confirmCreditPurchase(db, { caller: admin, purchaseId: b.id, now: NOW }))).toMatchObject({ status: 409 });

      expect({ balances: await getCreditBalances(db, startup.orgId), lots: await db.creditLot.count(), transfers: await db.ledgerTransfer.count() }).toEqual(before);
      expect((await listCreditPurchasesOfStartup(db, startup.orgId)).map((r) => r.status).sort()).toEqual(["REFUSED", "WITHDRAWN"]);
    });

    it.each([
      ["an amount below $1", { amountMicros: "999999" }, "amountMicros"],
      ["an amount above $10,000,000", { amountMicros: (10_000_000n * USD + 1n).toString() }, "amountMicros"],
      ["a blank reference", { reference: "" }, "reference"],
    ])("refuses a purchase request with %s, writing nothing", async (_label, overrides, param) => {
      const startup = await newStartup();
      const count = await db.creditPurchaseRequest.count();
      expect(await refusal(requestCreditPurchase(db, { caller: startup, purchase: { amountMicros: (1_000n * USD).toString(), reference: "PO-1", ...overrides }, now: NOW }))).toMatchObject({ status: 400, param });
      expect(await db.creditPurchaseRequest.count()).toBe(count);
    });

    it("an admin cannot ask to buy credits, a startup cannot confirm", async () => {
      const startup = await newStartup();
      expect(await refusal(requestCreditPurchase(db, { caller: admin, purchase: { amountMicros: "1000000", reference: "x" }, now: NOW }))).toMatchObject({ status: 403 });
      const request = await requestCreditPurchase(db, { caller: startup, purchase: { amountMicros: "1000000", reference: "PO-S" }, now: NOW });
      expect(await refusal(confirmCreditPurchase(db, { caller: startup, purchaseId: request.id, now: NOW }))).toMatchObject({ status: 403 });
    });
  });
});
