// The financing server actions — the startup's beside its screens (app/startup/financing) and the
// admin's beside theirs (app/admin/applications, app/admin/payments) — against real SQLite and PostgreSQL
// with the real guard: only the session (next-auth) and Next's cache are stubbed. TENANT ISOLATION
// matrix: a startup acts only on its own loans (another startup's loan is "not found"), only an
// admin decides applications or records a payment (a startup or a lender gets 403), nobody
// anonymous gets anything (401). A startup has no action that records a payment at all.
import { expect, it, vi } from "vitest";
import { microsToUsdDecimal } from "@/lib/domain/money/decimal";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { issueCredits, openStartupAccounts } from "@/lib/server/ledger/ledger";
import { createLender, createUser, type Lender } from "@/test/collateral-world";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const startupActionModules = {
  apply: await import("@/app/startup/financing/apply-action"),
  withdraw: await import("@/app/startup/financing/withdraw-action"),
  pledge: await import("@/app/startup/financing/[loanId]/pledge-action"),
  declarePayment: await import("@/app/startup/financing/[loanId]/declare-payment-action"),
  withdrawNotice: await import("@/app/startup/financing/[loanId]/withdraw-notice-action"),
  requestPurchase: await import("@/app/startup/financing/[loanId]/request-purchase-action"),
  withdrawPurchase: await import("@/app/startup/financing/[loanId]/withdraw-purchase-action"),
};
const applyForLoan = startupActionModules.apply.applyAction;
const withdrawApplication = startupActionModules.withdraw.withdrawApplicationAction;
/** The pledge form sends dollars; these tests speak µUSD. */
const pledgeMoreCredits = (input: { loanId: string; amountMicros: string }) =>
  startupActionModules.pledge.pledgeAction({ loanId: input.loanId, amountUsd: microsToUsdDecimal(BigInt(input.amountMicros)) });
const { approveApplicationAction } = await import("@/app/admin/applications/[loanId]/approve-action");
const { rejectApplicationAction: rejectApplication } = await import("@/app/admin/applications/[loanId]/reject-action");
const { recordPaymentAction } = await import("@/app/admin/payments/record-payment-action");

let requestKeys = 0;
/** The approve form sends a fresh key per submission; a double click resends the same one. */
const approveApplication = (input: { loanId: string; terms: Record<string, unknown> }, requestKey = `approve-${++requestKeys}`) =>
  approveApplicationAction({ ...input, requestKey } as Parameters<typeof approveApplicationAction>[0]);
const recordPaymentAsAdmin = (input: { loanId: string; amountUsd: string; idempotencyKey: string }) => recordPaymentAction({ ...input, reference: "WIRE-1" });

const USD = 1_000_000n;

await describeEachProvider("loan actions", (provider) => {
  let lender: Lender;
  let facilityId: string;
  let adminUserId: string;

  const test = useActionDatabase(provider, {
    async setUp(db) {
      // The actions value at the clock: a fix dated today or earlier.
      await db.gpuIndexFix.create({ data: { day: "2020-01-01", priceMicrosPerGpuHour: 2_000_000n, source: "seed" } });
      lender = await createLender(db);
      facilityId = (await db.lenderFacility.create({ data: { lenderOrgId: lender.orgId, name: "Fund I", limitMicros: 10_000_000n * USD, defaultAprBps: 1_200 } })).id;
      adminUserId = (await createUser(db, "PLATFORM")).userId;
    },
  });

  const as = signInAs;

  async function newStartup() {
    const user = await createUser(test.db, "STARTUP");
    await openStartupAccounts(test.db, user.orgId);
    await issueCredits(test.db, { orgId: user.orgId, amountMicros: 60_000n * USD, idempotencyKey: `own:${user.orgId}` });
    return user;
  }

  const application = { principalMicros: "100000000000", multiplierBps: 13_000, termMonths: 12, pledgedMicros: "50000000000", purpose: "Inference for the launch." };
  const terms = () => ({ facilityId, aprBps: 1_200, multiplierBps: 13_000 });

  async function approvedLoanOf(startup: { userId: string }) {
    as(startup.userId);
    const applied = await applyForLoan(application);
    if (!applied.ok) throw new Error(applied.error.message);
    as(adminUserId);
    const approved = await approveApplication({ loanId: applied.data.id, terms: terms() });
    if (!approved.ok) throw new Error(approved.error.message);
    return { id: applied.data.id };
  }

  it("a startup applies, an admin approves, the startup pledges, an admin records a wire: every answer carries money as strings", async () => {
    const startup = await newStartup();
    as(startup.userId);
    const applied = await applyForLoan(application);
    expect(applied).toMatchObject({ ok: true, data: { state: "SUBMITTED", principalMicros: "100000000000", pledgedMicros: "50000000000", lenderOrgId: null } });
    if (!applied.ok) throw new Error("unreachable");

    as(adminUserId);
    const approved = await approveApplication({ loanId: applied.data.id, terms: terms() }, "approve-double-click");
    // financed ⌊100,000,000,000 × 13,000 / 10,000⌋ = 130,000,000,000; coverage 180,000 × 0.85 / 100,000 = 153% = 15,300 bps.
    expect(approved).toMatchObject({ ok: true, data: { isReplay: false, state: "ACTIVE", financedMicros: "130000000000", initialCoverageBps: 15_300 } });
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: applied.data.id } })).toMatchObject({ lenderOrgId: lender.orgId, principalOutstandingMicros: 100_000n * USD });
    // A second click: the same loan, nothing disbursed again.
    expect(await approveApplication({ loanId: applied.data.id, terms: terms() }, "approve-double-click")).toMatchObject({ ok: true, data: { isReplay: true, financedMicros: null } });

    as(startup.userId);
    expect(await pledgeMoreCredits({ loanId: applied.data.id, amountMicros: "5000000000" })).toMatchObject({ ok: true, data: { pledgedMicros: "5000000000", pledgedTotalMicros: "55000000000" } });

    as(adminUserId);
    const wire = { loanId: applied.data.id, amountUsd: "2,000", idempotencyKey: "wire-0000001" };
    expect(await recordPaymentAsAdmin(wire)).toMatchObject({ ok: true, data: { isReplay: false, amountMicros: "2000000000" } });
    expect(await recordPaymentAsAdmin(wire)).toMatchObject({ ok: true, data: { isReplay: true } });
    expect(await test.db.payment.findMany({ where: { loanId: applied.data.id } })).toMatchObject([{ amountMicros: 2_000n * USD, recordedById: adminUserId }]);
    expect((await checkLedgerHealth(test.db)).violations).toEqual([]);
  });

  it("a startup has no server action that records a payment: it declares one and an admin confirms receipt", () => {
    const exported = Object.values(startupActionModules).flatMap((module) => Object.keys(module));
    expect(exported.sort()).toEqual(["applyAction", "declarePaymentAction", "pledgeAction", "requestPurchaseAction", "withdrawApplicationAction", "withdrawNoticeAction", "withdrawPurchaseAction"]);
  });

  it("a startup withdraws its application; an admin rejects one with a reason", async () => {
    const startup = await newStartup();
    as(startup.userId);
    const first = await applyForLoan(application);
    if (!first.ok) throw new Error(first.error.message);
    expect(await withdrawApplication({ loanId: first.data.id })).toMatchObject({ ok: true, data: { state: "WITHDRAWN" } });
    const second = await applyForLoan(application);
    if (!second.ok) throw new Error(second.error.message);
    as(adminUserId);
    expect(await rejectApplication({ loanId: second.data.id, reason: "" })).toMatchObject({ ok: false, error: { code: "invalid_request", field: "reason" } });
    expect(await rejectApplication({ loanId: second.data.id, reason: "Pledge more." })).toMatchObject({ ok: true, data: { state: "REJECTED", rejectionReason: "Pledge more." } });
  });

  it("TENANT ISOLATION: startup B cannot pledge to or withdraw startup A's loan (not found), and nothing is written", async () => {
    const a = await newStartup();
    const loan = await approvedLoanOf(a);
    as(a.userId);
    const pending = await newStartup();
    as(pending.userId);
    const pendingApplication = await applyForLoan(application);
    if (!pendingApplication.ok) throw new Error(pendingApplication.error.message);

    const b = await newStartup();
    as(b.userId);
    const payments = await test.db.payment.count();
    const notFound = (id: string) => ({ ok: false, error: { code: "loan_not_found", field: "loanId", message: `No loan ${id} here.` } });
    expect(await pledgeMoreCredits({ loanId: loan.id, amountMicros: "1000000" })).toEqual(notFound(loan.id));
    expect(await withdrawApplication({ loanId: pendingApplication.data.id })).toEqual(notFound(pendingApplication.data.id));
    expect(await test.db.payment.count()).toBe(payments);
    expect((await test.db.loan.findUniqueOrThrow({ where: { id: pendingApplication.data.id } })).state).toBe("SUBMITTED");
    expect((await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).pledgedMicros).toBe(50_000n * USD);
  });

  it.each([
    ["a startup approves", "startup", () => approveApplication({ loanId: "x", terms: { facilityId: "f", aprBps: 1_200, multiplierBps: 13_000 } })],
    ["a startup rejects", "startup", () => rejectApplication({ loanId: "x", reason: "no" })],
    ["a startup records a payment", "startup", () => recordPaymentAsAdmin({ loanId: "x", amountUsd: "1", idempotencyKey: "key-0000001" })],
    ["a lender applies", "lender", () => applyForLoan(application)],
    ["a lender records a payment", "lender", () => recordPaymentAsAdmin({ loanId: "x", amountUsd: "1", idempotencyKey: "key-0000001" })],
    ["a lender approves", "lender", () => approveApplication({ loanId: "x", terms: { facilityId: "f", aprBps: 1_200, multiplierBps: 13_000 } })],
    ["an admin applies", "admin", () => applyForLoan(application)],
    ["an admin pledges", "admin", () => pledgeMoreCredits({ loanId: "x", amountMicros: "1" })],
  ])("%s: 403, before any input is read", async (_label, role, call) => {
    as(role === "startup" ? (await newStartup()).userId : role === "lender" ? lender.userId : adminUserId);
    expect(await call()).toEqual({ ok: false, error: { code: "forbidden", field: null, message: "Your role does not allow this." } });
  });

  it("anonymous callers get 401", async () => {
    as(null);
    expect(await applyForLoan(application)).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
  });

  it.each([
    ["a payment of a fraction of a micro-dollar", () => recordPaymentAsAdmin({ loanId: "x", amountUsd: "1.0000001", idempotencyKey: "key-0000001" }), "admin", "amountUsd"],
    ["a multiplier of 2×", () => applyForLoan({ ...application, multiplierBps: 20_000 }), "startup", "multiplierBps"],
    ["thresholds out of order", () => approveApplication({ loanId: "x", terms: { facilityId: "f", aprBps: 1_200, multiplierBps: 13_000, maintenanceCoverageBps: 10_500 } }), "admin", "terms.maintenanceCoverageBps"],
  ])("bad input: %s is a field error", async (_label, call, role, field) => {
    as(role === "startup" ? (await newStartup()).userId : adminUserId);
    expect(await call()).toMatchObject({ ok: false, error: { code: "invalid_request", field } });
  });
});
