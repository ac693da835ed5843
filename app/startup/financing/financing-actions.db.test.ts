// The startup's Financing screens against real SQLite and PostgreSQL, with the real guard (only the
// session and Next's cache are stubbed): the Apply preview is exactly what the approval disburses,
// the least pledge reaches the initial threshold to the µUSD, a repayment is only declared (the debt
// moves once an admin confirms), a credit purchase is only requested, a startup can never record a
// payment, the lender's payment instructions reach the borrower, and TENANT ISOLATION: another
// startup's loan, notice or request is "not found" and nothing about it changes.
import { expect, it, vi } from "vitest";
import { previewApplication } from "@/lib/domain/loans/application-preview";
import type { Db } from "@/lib/server/db/client";
import { toApiError } from "@/lib/server/http/errors";
import { issueCredits, openStartupAccounts } from "@/lib/server/ledger/ledger";
import { approveApplication } from "@/lib/server/loans/approve";
import { recordLoanPayment } from "@/lib/server/loans/payments";
import type { LoanCaller } from "@/lib/server/loans/queries";
import { confirmPaymentNotice } from "@/lib/server/payments/notices";
import { getStartupFinancing, getStartupLoanPageOrThrow } from "@/lib/server/queries/startup-financing";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { createLender, createUser, type Lender } from "@/test/collateral-world";
import { describeEachProvider } from "@/test/databases";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { applyAction } = await import("./apply-action");
const { withdrawApplicationAction } = await import("./withdraw-action");
const { pledgeAction } = await import("./[loanId]/pledge-action");
const { declarePaymentAction } = await import("./[loanId]/declare-payment-action");
const { withdrawNoticeAction } = await import("./[loanId]/withdraw-notice-action");
const { requestPurchaseAction } = await import("./[loanId]/request-purchase-action");
const { withdrawPurchaseAction } = await import("./[loanId]/withdraw-purchase-action");
const { setPaymentInstructionsAction } = await import("@/app/lender/settings/set-payment-instructions-action");

const USD = 1_000_000n;

function unwrap<T>(result: { ok: true; data: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(`action refused: ${result.error.message}`);
  return result.data;
}

async function counts(db: Db) {
  return {
    loans: await db.loan.count(),
    lots: await db.creditLot.count(),
    transfers: await db.ledgerTransfer.count(),
    payments: await db.payment.count(),
    notices: await db.paymentNotice.count(),
    purchases: await db.creditPurchaseRequest.count(),
  };
}

await describeEachProvider("startup financing screens", (provider) => {
  let lender: Lender;
  let facilityId: string;
  let admin: LoanCaller;

  const test = useActionDatabase(provider, {
    async setUp(db) {
      // The actions run at the real clock: a fix dated before today is the index at origination.
      await db.gpuIndexFix.create({ data: { day: "2020-01-01", priceMicrosPerGpuHour: 2_000_000n, source: "seed" } });
      lender = await createLender(db);
      facilityId = (await db.lenderFacility.create({ data: { lenderOrgId: lender.orgId, name: "Fund I", limitMicros: 10_000_000n * USD, defaultAprBps: 1_200 } })).id;
      const platform = await createUser(db, "PLATFORM");
      admin = { role: "admin", userId: platform.userId, orgId: platform.orgId };
    },
  });

  async function newStartup(ownUsd = 60_000n) {
    const user = await createUser(test.db, "STARTUP");
    await openStartupAccounts(test.db, user.orgId);
    await issueCredits(test.db, { orgId: user.orgId, amountMicros: ownUsd * USD, idempotencyKey: `own:${user.orgId}` });
    return { ...user, caller: { role: "startup", userId: user.userId, orgId: user.orgId } as LoanCaller };
  }

  const application = { principalMicros: (100_000n * USD).toString(), multiplierBps: 13_000, termMonths: 12, pledgedMicros: (50_000n * USD).toString(), purpose: "Inference for the launch." };

  async function activeLoanOf(startup: { userId: string }, now = new Date()) {
    signInAs(startup.userId);
    const applied = unwrap(await applyAction(application));
    const { loan } = await approveApplication(test.db, { caller: admin, loanId: applied.id, terms: { facilityId, aprBps: 1_200, multiplierBps: 13_000 }, now });
    return loan;
  }

  it("the Apply preview is exactly what the approval disburses: credits, initial coverage, every installment", async () => {
    const startup = await newStartup();
    const now = new Date();
    const { apply } = await getStartupFinancing(test.db, startup.orgId, now);
    expect(apply).toMatchObject({ blockedBy: null, ownPledgeableMicros: (60_000n * USD).toString(), indicativeAprBps: 1_200, initialThresholdBps: 15_000, indexMicros: "2000000" });
    const preview = previewApplication({
      principalMicros: 100_000n * USD,
      multiplierBps: 13_000,
      termMonths: 12,
      pledgedMicros: 50_000n * USD,
      indicativeAprBps: apply.indicativeAprBps,
      redistributionFeeBps: apply.redistributionFeeBps,
      initialThresholdBps: apply.initialThresholdBps,
      indexMicros: BigInt(apply.indexMicros!),
      now,
    });

    signInAs(startup.userId);
    const applied = unwrap(await applyAction(application));
    expect(applied).toMatchObject({ state: "SUBMITTED", principalMicros: "100000000000", pledgedMicros: "50000000000" });
    expect((await getStartupFinancing(test.db, startup.orgId, now)).apply.blockedBy).toEqual({ id: applied.id, reference: applied.reference, state: "SUBMITTED" });
    const approved = await approveApplication(test.db, { caller: admin, loanId: applied.id, terms: { facilityId, aprBps: apply.indicativeAprBps, multiplierBps: 13_000 }, now });

    expect({ financed: approved.disbursement!.financedMicros, coverage: approved.disbursement!.initialCoverageBps, installment: approved.disbursement!.levelPaymentMicros }).toEqual({
      financed: preview.financedMicros,
      coverage: preview.initialCoverageBps,
      installment: preview.installmentMicros,
    });
    // 130,000 financed + 50,000 pledged at 0.85 over 100,000: 153%.
    expect(preview.initialCoverageBps).toBe(15_300);
    const installments = await test.db.installment.findMany({ where: { loanId: applied.id }, orderBy: { seq: "asc" } });
    expect(installments.map((row) => [row.seq, row.dueDate.toISOString(), row.amountMicros, row.interestMicros, row.principalMicros])).toEqual(
      preview.schedule.map((row) => [row.seq, row.dueDate.toISOString(), row.amountMicros, row.interestMicros, row.principalMicros]),
    );
    const page = await getStartupLoanPageOrThrow(test.db, startup.orgId, applied.id, now);
    expect(page.figures).toMatchObject({ collateralMicros: (preview.collateralMicros).toString(), debtMicros: "100000000000" });
    expect(page.installments).toHaveLength(12);
  });

  it("the least pledge reaches the initial threshold exactly: approved at 150.00%; one µUSD less is refused", async () => {
    const now = new Date();
    const { apply } = await getStartupFinancing(test.db, (await newStartup()).orgId, now);
    const terms = { principalMicros: 40_000n * USD, multiplierBps: 15_000, termMonths: 6, pledgedMicros: 0n };
    const least = previewApplication({ ...terms, indicativeAprBps: apply.indicativeAprBps, redistributionFeeBps: apply.redistributionFeeBps, initialThresholdBps: apply.initialThresholdBps, indexMicros: 2_000_000n, now }).leastPledgeMicros!;
    // ⌈1.5 × 40,000 / 0.85⌉ − 60,000 = 10,588.235295.
    expect(least).toBe(10_588_235_295n);
    const send = async (pledgedMicros: bigint) => {
      const startup = await newStartup();
      signInAs(startup.userId);
      return unwrap(await applyAction({ principalMicros: terms.principalMicros.toString(), multiplierBps: terms.multiplierBps, termMonths: terms.termMonths, pledgedMicros: pledgedMicros.toString(), purpose: "Exactly enough." }));
    };
    const short = await send(least - 1n);
    const refused = await approveApplication(test.db, { caller: admin, loanId: short.id, terms: { facilityId, aprBps: 1_200, multiplierBps: 15_000 }, now }).catch((error: unknown) => toApiError(error));
    expect(refused).toMatchObject({ status: 409, code: "initial_coverage_too_low" });
    expect((await test.db.loan.findUniqueOrThrow({ where: { id: short.id } })).state).toBe("SUBMITTED");

    const enough = await send(least);
    const approved = await approveApplication(test.db, { caller: admin, loanId: enough.id, terms: { facilityId, aprBps: 1_200, multiplierBps: 15_000 }, now });
    expect({ state: approved.loan.state, coverage: approved.disbursement!.initialCoverageBps }).toEqual({ state: "ACTIVE", coverage: 15_000 });
  });

  it("withdraws a submitted application (then it can apply again); an application already decided cannot be withdrawn", async () => {
    const startup = await newStartup();
    signInAs(startup.userId);
    const first = unwrap(await applyAction(application));
    expect(await applyAction(application)).toMatchObject({ ok: false, error: { code: "application_pending" } });
    expect(unwrap(await withdrawApplicationAction({ loanId: first.id }))).toMatchObject({ state: "WITHDRAWN" });
    const second = unwrap(await applyAction(application));
    await approveApplication(test.db, { caller: admin, loanId: second.id, terms: { facilityId, aprBps: 1_200, multiplierBps: 13_000 } });
    signInAs(startup.userId);
    expect(await withdrawApplicationAction({ loanId: second.id })).toMatchObject({ ok: false, error: { code: "illegal_transition" } });
  });

  it("declares a repayment: pending, the debt does not move until an admin confirms; a pending notice can be withdrawn", async () => {
    const startup = await newStartup();
    const loan = await activeLoanOf(startup);
    const today = new Date().toISOString().slice(0, 10);
    const before = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });

    signInAs(startup.userId);
    const notice = unwrap(await declarePaymentAction({ loanId: loan.id, amountUsd: "5,000", sentOn: today, reference: "WIRE-STARTUP-1" }));
    expect(notice).toMatchObject({ status: "PENDING", amountMicros: "5000000000", sentOn: today, reference: "WIRE-STARTUP-1" });
    // Nothing moved: the loan, its payments and the ledger are as they were.
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toEqual(before);
    expect(await test.db.payment.count({ where: { loanId: loan.id } })).toBe(0);
    const page = await getStartupLoanPageOrThrow(test.db, startup.orgId, loan.id);
    expect({ pending: page.pendingDeclaredMicros, notices: page.notices.map((n) => [n.reference, n.status]) }).toEqual({ pending: "5000000000", notices: [["WIRE-STARTUP-1", "PENDING"]] });
    expect(page.paymentInstructions).toMatchObject({ isFallback: true });

    // Bad input is a field error; nothing is written.
    const written = await counts(test.db);
    expect(await declarePaymentAction({ loanId: loan.id, amountUsd: "5.0000001", sentOn: today, reference: "X" })).toMatchObject({ ok: false, error: { code: "invalid_request", field: "amountUsd" } });
    expect(await declarePaymentAction({ loanId: loan.id, amountUsd: "1", sentOn: "2999-01-01", reference: "X" })).toMatchObject({ ok: false, error: { code: "invalid_request", field: "sentOn" } });
    expect(await counts(test.db)).toEqual(written);

    expect(unwrap(await withdrawNoticeAction({ noticeId: notice.id }))).toMatchObject({ status: "WITHDRAWN" });
    expect(await withdrawNoticeAction({ noticeId: notice.id })).toMatchObject({ ok: false, error: { code: "notice_not_pending" } });

    // Declared again and confirmed by the admin: only now does the debt fall.
    const again = unwrap(await declarePaymentAction({ loanId: loan.id, amountUsd: "5000", sentOn: today, reference: "WIRE-STARTUP-2" }));
    await confirmPaymentNotice(test.db, { caller: admin, noticeId: again.id });
    const after = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    expect(after.principalOutstandingMicros + after.interestAccruedMicros).toBeLessThan(before.principalOutstandingMicros + before.interestAccruedMicros);
    expect((await getStartupLoanPageOrThrow(test.db, startup.orgId, loan.id)).payments).toHaveLength(1);
  });

  it("requests a credit purchase: pending, no credits until an admin confirms; a pending request can be withdrawn", async () => {
    const startup = await newStartup();
    const lotsBefore = await test.db.creditLot.count({ where: { orgId: startup.orgId } });
    signInAs(startup.userId);
    const purchase = unwrap(await requestPurchaseAction({ amountUsd: "25,000", reference: "PO-1" }));
    expect(purchase).toMatchObject({ status: "PENDING", amountMicros: "25000000000", reference: "PO-1" });
    expect(await test.db.creditLot.count({ where: { orgId: startup.orgId } })).toBe(lotsBefore);
    expect(await requestPurchaseAction({ amountUsd: "0.50", reference: "PO-2" })).toMatchObject({ ok: false, error: { field: "amountUsd" } });
    expect(unwrap(await withdrawPurchaseAction({ purchaseId: purchase.id }))).toMatchObject({ status: "WITHDRAWN" });
  });

  it("pledges own credits at once: the pledged lot grows and coverage is recomputed", async () => {
    const startup = await newStartup(70_000n);
    const loan = await activeLoanOf(startup);
    signInAs(startup.userId);
    expect(unwrap(await pledgeAction({ loanId: loan.id, amountUsd: "10,000" }))).toMatchObject({ pledgedMicros: "10000000000", pledgedTotalMicros: "60000000000" });
    expect(await pledgeAction({ loanId: loan.id, amountUsd: "10,000.000001" })).toMatchObject({ ok: false, error: { code: "insufficient_own_credits", field: "amountMicros" } });
    const page = await getStartupLoanPageOrThrow(test.db, startup.orgId, loan.id);
    expect(page.figures.collateralMicros).toBe((190_000n * USD).toString());
  });

  it("a startup caller cannot record a payment on its own loan (403), and nothing moves", async () => {
    const startup = await newStartup();
    const loan = await activeLoanOf(startup);
    const before = await counts(test.db);
    const loanBefore = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    const refused = await recordLoanPayment(test.db, { caller: startup.caller, loanId: loan.id, payment: { amountMicros: "1000000000", idempotencyKey: "self-pay-0001" } }).catch((error: unknown) => toApiError(error));
    expect(refused).toMatchObject({ status: 403, code: "forbidden", message: "Declare the payment you sent; an admin records it once received." });
    expect(await counts(test.db)).toEqual(before);
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toEqual(loanBefore);
  });

  it("TENANT ISOLATION: another startup's loan, notice and purchase request read as not found; nothing changes", async () => {
    const a = await newStartup();
    const loan = await activeLoanOf(a);
    signInAs(a.userId);
    const today = new Date().toISOString().slice(0, 10);
    const notice = unwrap(await declarePaymentAction({ loanId: loan.id, amountUsd: "1000", sentOn: today, reference: "A-1" }));
    const purchase = unwrap(await requestPurchaseAction({ amountUsd: "1000", reference: "A-PO" }));

    const b = await newStartup();
    signInAs(b.userId);
    const before = await counts(test.db);
    const notFound = { ok: false, error: { code: "loan_not_found", field: "loanId", message: `No loan ${loan.id} here.` } };
    expect(await pledgeAction({ loanId: loan.id, amountUsd: "1" })).toEqual(notFound);
    expect(await declarePaymentAction({ loanId: loan.id, amountUsd: "1", sentOn: today, reference: "B-1" })).toEqual(notFound);
    expect(await withdrawApplicationAction({ loanId: loan.id })).toEqual(notFound);
    expect(await withdrawNoticeAction({ noticeId: notice.id })).toMatchObject({ ok: false, error: { code: "notice_not_found" } });
    expect(await withdrawPurchaseAction({ purchaseId: purchase.id })).toMatchObject({ ok: false, error: { code: "purchase_not_found" } });
    await expect(getStartupLoanPageOrThrow(test.db, b.orgId, loan.id)).rejects.toMatchObject({ status: 404, code: "loan_not_found" });
    expect((await getStartupFinancing(test.db, b.orgId)).loans).toEqual([]);
    expect(await counts(test.db)).toEqual(before);
    expect((await test.db.paymentNotice.findUniqueOrThrow({ where: { id: notice.id } })).status).toBe("PENDING");
  });

  it("the lender's payment instructions reach its borrower's loan page; a blank clears them; audited; a startup cannot set them", async () => {
    const startup = await newStartup();
    const loan = await activeLoanOf(startup);
    signInAs(lender.userId);
    const text = "Wire to Fund I LP\nIBAN GB00 TEST 0000 0000 0000 00\nQuote your loan reference.";
    expect(unwrap(await setPaymentInstructionsAction({ instructions: `  ${text}  ` }))).toEqual({ instructions: text });
    expect((await getStartupLoanPageOrThrow(test.db, startup.orgId, loan.id)).paymentInstructions).toEqual({ text, isFallback: false });
    const audit = await test.db.auditLog.findFirstOrThrow({ where: { action: "lender.payment_instructions.update", targetId: lender.orgId }, orderBy: { at: "desc" } });
    expect(JSON.parse(audit.detailJson)).toEqual({ before: { paymentInstructions: null }, after: { paymentInstructions: text } });
    expect(await setPaymentInstructionsAction({ instructions: "x".repeat(2_001) })).toMatchObject({ ok: false, error: { code: "invalid_request", field: "instructions" } });

    expect(unwrap(await setPaymentInstructionsAction({ instructions: "   " }))).toEqual({ instructions: null });
    const fallback = (await getStartupLoanPageOrThrow(test.db, startup.orgId, loan.id)).paymentInstructions;
    expect(fallback.isFallback).toBe(true);
    expect(fallback.text).toContain(loan.reference);

    signInAs(startup.userId);
    expect(await setPaymentInstructionsAction({ instructions: "Pay me instead." })).toEqual({ ok: false, error: { code: "forbidden", field: null, message: "Your role does not allow this." } });
  });

  it.each([
    ["a lender applies", "lender", () => applyAction(application)],
    ["a lender declares a payment", "lender", () => declarePaymentAction({ loanId: "x", amountUsd: "1", sentOn: "2026-01-01", reference: "X" })],
    ["an admin declares a payment", "admin", () => declarePaymentAction({ loanId: "x", amountUsd: "1", sentOn: "2026-01-01", reference: "X" })],
    ["an admin requests a purchase", "admin", () => requestPurchaseAction({ amountUsd: "1", reference: "X" })],
    ["an admin pledges", "admin", () => pledgeAction({ loanId: "x", amountUsd: "1" })],
  ])("%s: 403", async (_label, role, call) => {
    signInAs(role === "lender" ? lender.userId : admin.userId!);
    expect(await call()).toEqual({ ok: false, error: { code: "forbidden", field: null, message: "Your role does not allow this." } });
  });
});
