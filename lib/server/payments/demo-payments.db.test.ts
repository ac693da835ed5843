// The demo world's payments, seeded small into real SQLite and PostgreSQL, as the admin's payments
// screen reads them: what waits (pending first, oldest first), the split the confirm dialog shows
// equal to what confirming records, a refusal that moves nothing, Vectorly's purchase credited,
// and the ledger healthy afterwards.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import type { LoanCaller } from "@/lib/server/loans/queries";
import { countPendingPayments, getAdminPaymentsScreen } from "@/lib/server/queries/admin-payments";
import { seedDemoWorld } from "@/lib/server/seed/demo-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { confirmPaymentNotice, refusePaymentNotice } from "./notices";
import { confirmCreditPurchase } from "./purchases";

const NOW = new Date("2026-11-25T10:26:41.343Z");
const LATER = new Date(NOW.getTime() + 5 * 60_000);

await describeEachProvider("demo world payments", (provider) => {
  let test: TestDatabase;
  let db: Db;
  let admin: LoanCaller;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
    db = test.db;
    await seedDemoWorld(db, { now: NOW, scale: 0.02 });
    const user = await db.user.findUniqueOrThrow({ where: { email: "admin@blockable.dev" } });
    admin = { role: "admin", userId: user.id, orgId: user.orgId };
  });
  afterAll(async () => {
    await test?.drop();
  });

  it("seeds two notices and one purchase waiting, pending first and oldest first, then the decided history", async () => {
    expect(await countPendingPayments(db)).toBe(3);
    const screen = await getAdminPaymentsScreen(db, NOW);
    const pending = screen.notices.filter((n) => n.status === "PENDING");
    expect(pending.map((n) => [n.startupName, n.amountMicros, n.reference])).toEqual([
      ["Lumen Labs", "12000000000", "LUMEN-ACH-20931"],
      ["Acme AI", "25000000000", "ACME-WIRE-88213"],
    ]);
    expect(screen.notices.slice(0, 2).map((n) => n.status)).toEqual(["PENDING", "PENDING"]);
    expect(new Set(screen.notices.slice(2).map((n) => n.status))).toEqual(new Set(["CONFIRMED", "REFUSED", "WITHDRAWN"]));
    for (const notice of screen.notices.filter((n) => n.status === "CONFIRMED")) {
      // Each confirmed notice points at a payment of its amount.
      const payment = await db.payment.findUniqueOrThrow({ where: { id: notice.paymentId! } });
      expect(payment.amountMicros.toString()).toBe(notice.amountMicros);
      expect(BigInt(notice.interestPaidMicros!) + BigInt(notice.principalPaidMicros!)).toBe(payment.amountMicros);
    }
    expect(screen.purchases.filter((p) => p.status === "PENDING").map((p) => [p.startupName, p.amountMicros, p.openLoan?.state])).toEqual([["Vectorly", "25000000000", "MARGIN_CALL"]]);
    expect(screen.summary).toMatchObject({ pendingNotices: 2, pendingNoticesMicros: "37000000000", pendingPurchases: 1, pendingPurchasesMicros: "25000000000" });
    expect(screen.loans.map((l) => l.startupName).sort()).toEqual(["Acme AI", "Halcyon Voice", "Lumen Labs", "Parsec Robotics", "Vectorly"]);
  });

  it("confirming Acme AI's notice records exactly the split the dialog showed; refusing Lumen Labs' moves nothing", async () => {
    const screen = await getAdminPaymentsScreen(db, LATER);
    const acme = screen.notices.find((n) => n.status === "PENDING" && n.startupName === "Acme AI")!;
    const lumen = screen.notices.find((n) => n.status === "PENDING" && n.startupName === "Lumen Labs")!;
    const preview = acme.preview!;
    expect(preview.isOverDebt).toBe(false);
    expect(BigInt(preview.interestPaidMicros!) + BigInt(preview.principalPaidMicros!)).toBe(25_000_000_000n);

    const result = await confirmPaymentNotice(db, { caller: admin, noticeId: acme.id, now: LATER });
    expect({ interest: result.payment.interestMicros.toString(), principal: result.payment.principalMicros.toString(), debtAfter: result.debtAfterMicros?.toString() }).toEqual({
      interest: preview.interestPaidMicros,
      principal: preview.principalPaidMicros,
      debtAfter: preview.debtAfterMicros,
    });
    const loan = await db.loan.findUniqueOrThrow({ where: { id: acme.loanId } });
    expect((loan.principalOutstandingMicros + loan.interestAccruedMicros).toString()).toBe(preview.debtAfterMicros);
    expect(BigInt(preview.debtAfterMicros!)).toBeLessThan(BigInt(preview.debtMicros));

    const lumenBefore = await db.loan.findUniqueOrThrow({ where: { id: lumen.loanId } });
    const payments = await db.payment.count();
    await refusePaymentNotice(db, { caller: admin, noticeId: lumen.id, reason: "No ACH credit with this reference arrived.", now: LATER });
    const lumenAfter = await db.loan.findUniqueOrThrow({ where: { id: lumen.loanId } });
    expect({ p: lumenAfter.principalOutstandingMicros, i: lumenAfter.interestAccruedMicros }).toEqual({ p: lumenBefore.principalOutstandingMicros, i: lumenBefore.interestAccruedMicros });
    expect(await db.payment.count()).toBe(payments);
    expect(await countPendingPayments(db)).toBe(1);
    expect((await checkLedgerHealth(db)).violations).toEqual([]);
  });

  it("confirming Vectorly's purchase credits a PURCHASED lot: spendable rises by $25,000", async () => {
    const vectorly = await db.organization.findUniqueOrThrow({ where: { slug: "vectorly" } });
    const request = await db.creditPurchaseRequest.findFirstOrThrow({ where: { orgId: vectorly.id, status: "PENDING" } });
    const before = (await getCreditBalances(db, vectorly.id)).spendableMicros;
    await confirmCreditPurchase(db, { caller: admin, purchaseId: request.id, now: LATER });
    expect((await getCreditBalances(db, vectorly.id)).spendableMicros).toBe(before + 25_000_000_000n);
    expect(await countPendingPayments(db)).toBe(0);
    expect((await checkLedgerHealth(db)).violations).toEqual([]);
  });
});
