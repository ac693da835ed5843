// Approving applications as the approval queue does, against real SQLite and PostgreSQL: four-eyes
// above the platform's threshold (the same admin twice is refused, a second admin disburses, other
// terms are refused), a double click approves once, a rejection carries its reason, and the
// threshold setting is validated and audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { issueCredits, openStartupAccounts } from "@/lib/server/ledger/ledger";
import { FOUR_EYES_THRESHOLD_KEY, getFourEyesSetting, setFourEyesThreshold } from "@/lib/server/settings/platform-settings";
import { createUser } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { createLoanDesk, refusal } from "@/test/loan-desk";
import { applyForLoan } from "./apply";
import { approveApplication, type ApprovalTerms } from "./approve";
import type { LoanCaller } from "./queries";
import { rejectApplication } from "./reject";

const USD = 1_000_000n;
const APPLIED_AT = new Date("2026-01-10T09:00:00.000Z");
const APPROVED_AT = new Date("2026-01-15T14:20:00.000Z");

await describeEachProvider("loans: the approval queue's decisions", (provider) => {
  let test: TestDatabase;
  let db: Db;
  let facilityId: string;
  let admin: LoanCaller;
  let secondAdmin: LoanCaller;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    db = test.db;
    ({ facilityId, admin } = await createLoanDesk(db));
    const second = await db.user.create({ data: { orgId: admin.orgId, email: `ops-${admin.userId}@example.test`, name: "Olu Ops", passwordHash: "x", role: "admin" } });
    secondAdmin = { role: "admin", userId: second.id, orgId: admin.orgId };
    // $50,000: the $100,000 applications below need two admins, the $40,000 ones one.
    await setFourEyesThreshold(db, { actor: { userId: admin.userId!, orgId: admin.orgId, role: "admin" }, thresholdMicros: 50_000n * USD });
  });
  afterAll(async () => {
    await test?.drop();
  });

  /** A startup that applied for `principalUsd` at 1.3× pledging half of it (initial coverage 153%). */
  async function application(principalUsd: bigint) {
    const user = await createUser(db, "STARTUP");
    await openStartupAccounts(db, user.orgId);
    await issueCredits(db, { orgId: user.orgId, amountMicros: principalUsd * USD, idempotencyKey: `own:${user.orgId}` });
    const startup: LoanCaller = { role: "startup", userId: user.userId, orgId: user.orgId };
    const loan = await applyForLoan(db, {
      caller: startup,
      application: { principalMicros: (principalUsd * USD).toString(), multiplierBps: 13_000, termMonths: 12, pledgedMicros: ((principalUsd / 2n) * USD).toString(), purpose: "Inference." },
      now: APPLIED_AT,
    });
    return { loan, startup };
  }
  const terms = (overrides: Partial<ApprovalTerms> = {}): ApprovalTerms => ({ facilityId, aprBps: 1_200, multiplierBps: 13_000, ...overrides });
  const approve = (caller: LoanCaller, loanId: string, requestKey: string, overrides: Partial<ApprovalTerms> = {}) => approveApplication(db, { caller, loanId, terms: terms(overrides), requestKey, now: APPROVED_AT });
  const financedLots = (loanId: string) => db.creditLot.count({ where: { loanId, kind: "FINANCED" } });
  const auditActions = async (loanId: string) => (await db.auditLog.findMany({ where: { targetId: loanId }, orderBy: [{ at: "asc" }, { id: "asc" }] })).map((row) => row.action);

  describe("four-eyes above the threshold", () => {
    it("records the first approval, refuses the same admin, and a second admin approving the same terms disburses", async () => {
      const { loan } = await application(100_000n);
      const first = await approve(admin, loan.id, "click-1");
      expect(first).toMatchObject({ isReplay: false, disbursement: null, awaitingSecondApproval: true, loan: { state: "SUBMITTED", firstApprovedById: admin.userId, firstApprovedAt: APPROVED_AT } });
      expect(JSON.parse(first.loan.firstApprovedTermsJson!)).toMatchObject({ terms: { facilityId, aprBps: 1_200, multiplierBps: 13_000, earlyWarningBps: [14_000, 13_000] }, requestKey: "click-1" });
      expect(await financedLots(loan.id)).toBe(0);
      const firstAudit = await db.auditLog.findFirstOrThrow({ where: { targetId: loan.id, action: "loan.first_approval" } });
      expect(firstAudit.actorUserId).toBe(admin.userId);
      expect(JSON.parse(firstAudit.detailJson)).toMatchObject({ thresholdMicros: (50_000n * USD).toString(), before: { firstApprovedById: null }, after: { firstApprovedById: admin.userId } });

      // The same request again (a double click) is answered as it was; a new one is refused.
      expect(await approve(admin, loan.id, "click-1")).toMatchObject({ isReplay: true, awaitingSecondApproval: true, disbursement: null });
      const refused = await refusal(approve(admin, loan.id, "click-2"));
      expect(refused).toMatchObject({ status: 409, code: "second_approval_required" });
      expect(refused.message).toMatch(/^A second admin must approve BL-\d{4}-\d{4}: you approved it at 2026-01-15 14:20 UTC, and an application above \$50,000 needs two different admins\.$/);

      const second = await approve(secondAdmin, loan.id, "other-admin");
      expect(second).toMatchObject({ isReplay: false, awaitingSecondApproval: false, loan: { state: "ACTIVE", decidedById: secondAdmin.userId, firstApprovedById: admin.userId } });
      expect(second.disbursement!.financedMicros).toBe(130_000n * USD);
      expect(await financedLots(loan.id)).toBe(1);
      const disbursed = await db.auditLog.findFirstOrThrow({ where: { targetId: loan.id, action: "loan.disbursed" } });
      expect(disbursed.actorUserId).toBe(secondAdmin.userId);
      expect(JSON.parse(disbursed.detailJson)).toMatchObject({ firstApprovedById: admin.userId });
      expect(await auditActions(loan.id)).toEqual(["loan.submit", "loan.first_approval", "loan.approve", "loan.disbursed"]);

      // Afterwards either admin's click is the decided loan, unchanged.
      expect(await approve(admin, loan.id, "late-click")).toMatchObject({ isReplay: true, loan: { state: "ACTIVE" } });
      expect(await financedLots(loan.id)).toBe(1);
    });

    it("refuses a second admin's other terms, naming them, and writes nothing", async () => {
      const { loan } = await application(100_000n);
      await approve(admin, loan.id, "a");
      const before = await db.loan.findUniqueOrThrow({ where: { id: loan.id } });
      const refused = await refusal(approve(secondAdmin, loan.id, "b", { aprBps: 1_500, autoFreeze: true }));
      expect(refused).toMatchObject({ status: 409, code: "approval_terms_mismatch", param: "aprBps" });
      expect(refused.message).toMatch(/approved BL-\d{4}-\d{4} with a different APR, auto-freeze\. Approve the same terms to disburse it, or reject the application\.$/);
      expect(await db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toEqual(before);
      // The same terms, early warnings in another order, disburse.
      expect(await approve(secondAdmin, loan.id, "c", { earlyWarningBps: [13_000, 14_000] })).toMatchObject({ loan: { state: "ACTIVE" } });
    });

    it("an application at or below the threshold is disbursed by one admin", async () => {
      const { loan } = await application(40_000n);
      expect(await approve(admin, loan.id, "only")).toMatchObject({ awaitingSecondApproval: false, loan: { state: "ACTIVE", firstApprovedById: null } });
    });

    it("two admins clicking at the same moment: one first approval, then a disbursement, never two", async () => {
      const { loan } = await application(100_000n);
      const results = await Promise.allSettled([approve(admin, loan.id, "x"), approve(secondAdmin, loan.id, "y")]);
      expect(results.every((r) => r.status === "fulfilled")).toBe(true);
      expect((await db.loan.findUniqueOrThrow({ where: { id: loan.id } })).state).toBe("ACTIVE");
      expect(await financedLots(loan.id)).toBe(1);
    });
  });

  describe("a double click approves once", () => {
    it("two concurrent approvals of the same terms: one disbursement, one replay", async () => {
      const { loan } = await application(40_000n);
      const results = await Promise.all([approve(admin, loan.id, "k"), approve(admin, loan.id, "k")]);
      expect(results.map((r) => r.isReplay).sort()).toEqual([false, true]);
      expect(await financedLots(loan.id)).toBe(1);
      expect(await db.installment.count({ where: { loanId: loan.id } })).toBe(12);
      expect((await auditActions(loan.id)).filter((action) => action === "loan.disbursed")).toHaveLength(1);
    });

    it("a first approval clicked twice at once is recorded once", async () => {
      const { loan } = await application(100_000n);
      const results = await Promise.all([approve(admin, loan.id, "same"), approve(admin, loan.id, "same")]);
      expect(results.map((r) => r.isReplay).sort()).toEqual([false, true]);
      expect((await auditActions(loan.id)).filter((action) => action === "loan.first_approval")).toHaveLength(1);
    });
  });

  describe("reject", () => {
    it("closes the application with the reason the startup sees; the same rejection again is a replay, another is refused", async () => {
      const { loan, startup } = await application(40_000n);
      const rejected = await rejectApplication(db, { caller: admin, loanId: loan.id, reason: " Pledge more of your own credits. ", now: APPROVED_AT });
      expect(rejected).toMatchObject({ state: "REJECTED", rejectionReason: "Pledge more of your own credits.", decidedById: admin.userId, closedAt: APPROVED_AT });
      expect(await rejectApplication(db, { caller: admin, loanId: loan.id, reason: "Pledge more of your own credits." })).toMatchObject({ state: "REJECTED", version: rejected.version });
      expect(await refusal(rejectApplication(db, { caller: admin, loanId: loan.id, reason: "Something else." }))).toMatchObject({ status: 409 });
      expect(await refusal(approve(admin, loan.id, "late"))).toMatchObject({ status: 409, code: "application_already_decided" });
      // The startup reads its own application with the reason.
      expect(await db.loan.findFirst({ where: { id: loan.id, startupOrgId: startup.orgId }, select: { rejectionReason: true } })).toEqual({ rejectionReason: "Pledge more of your own credits." });
      expect((await auditActions(loan.id)).filter((action) => action === "loan.reject")).toHaveLength(1);
    });

    it("refuses a blank reason, writing nothing", async () => {
      const { loan } = await application(40_000n);
      expect(await refusal(rejectApplication(db, { caller: admin, loanId: loan.id, reason: "  " }))).toMatchObject({ status: 400, param: "reason" });
      expect((await db.loan.findUniqueOrThrow({ where: { id: loan.id } })).state).toBe("SUBMITTED");
    });

    it("an application waiting for its second approval can still be rejected", async () => {
      const { loan } = await application(100_000n);
      await approve(admin, loan.id, "first");
      expect(await rejectApplication(db, { caller: secondAdmin, loanId: loan.id, reason: "The second reviewer disagrees." })).toMatchObject({ state: "REJECTED" });
    });
  });

  describe("the four-eyes threshold setting", () => {
    const set = (thresholdMicros: string | bigint, actor = admin, role = "admin") => setFourEyesThreshold(db, { actor: { userId: actor.userId!, orgId: actor.orgId, role }, thresholdMicros });

    it.each([
      ["a negative amount", "-1"],
      ["decimals", "12.5"],
      ["words", "lots"],
      ["more than $100,000,000", (100_000_001n * USD).toString()],
    ])("refuses %s as a 400, writing nothing", async (_label, value) => {
      const before = { setting: await getFourEyesSetting(db), audits: await db.auditLog.count() };
      expect(await refusal(set(value))).toMatchObject({ status: 400, code: "invalid_request", param: "thresholdMicros" });
      expect({ setting: await getFourEyesSetting(db), audits: await db.auditLog.count() }).toEqual(before);
    });

    it("refuses anyone but an admin", async () => {
      expect(await refusal(set(1n, admin, "lender"))).toMatchObject({ status: 403 });
    });

    it("stores the new threshold with an audit row of before and after; the same value again writes nothing", async () => {
      const changed = await set(75_000n * USD);
      expect(changed).toMatchObject({ thresholdMicros: 75_000n * USD, changed: true, updatedById: admin.userId });
      const row = await db.auditLog.findFirstOrThrow({ where: { action: "setting.update", targetId: FOUR_EYES_THRESHOLD_KEY }, orderBy: [{ at: "desc" }, { id: "desc" }] });
      expect(JSON.parse(row.detailJson)).toEqual({ key: FOUR_EYES_THRESHOLD_KEY, before: { thresholdMicros: (50_000n * USD).toString(), isDefault: false }, after: { thresholdMicros: (75_000n * USD).toString() } });
      const audits = await db.auditLog.count();
      expect(await set((75_000n * USD).toString())).toMatchObject({ changed: false });
      expect(await db.auditLog.count()).toBe(audits);
      await set(50_000n * USD);
    });

    it("a threshold raised above a waiting application lets the next approval disburse alone", async () => {
      const { loan } = await application(100_000n);
      await approve(admin, loan.id, "first");
      await set(150_000n * USD);
      try {
        expect(await approve(admin, loan.id, "again")).toMatchObject({ loan: { state: "ACTIVE" } });
      } finally {
        await set(50_000n * USD);
      }
    });
  });
});
