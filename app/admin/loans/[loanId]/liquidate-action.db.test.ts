// The admin desk's Liquidate action against real SQLite and PostgreSQL, with the real guard (only
// the session and Next's cache are stubbed): an admin liquidates any lender's FROZEN loan, by the
// same service and waterfall as the lender, audited as the admin; a startup, or a lender (even of
// another organisation, even the loan's own lender) cannot act from the admin desk.
import { expect, it, vi } from "vitest";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { createLoan, createTenants, type Tenants } from "@/test/collateral-world";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { adminLiquidateLoanAction } = await import("./liquidate-action");
const { freezeLoanAction } = await import("@/app/lender/loans/[loanId]/freeze-action");

const USD = 1_000_000n;

await describeEachProvider("admin loan liquidation", (provider) => {
  let tenants: Tenants;

  const test = useActionDatabase(provider, {
    async setUp(db) {
      tenants = await createTenants(db);
    },
  });

  /** A loan of lender A (C = 100, D = 80 at a mark of 0.85), frozen by its lender. */
  async function frozenLoan() {
    const world = await createLoan(test.db, { lender: tenants.lenderA, financedMicros: 100n * USD, principalMicros: 80n * USD });
    signInAs(tenants.lenderA.userId);
    expect(await freezeLoanAction({ loanId: world.loan.id, mode: "FULL", reason: "cure window expired" })).toMatchObject({ ok: true });
    return world;
  }

  it("an admin liquidates any lender's frozen loan, as the lender's waterfall, audited as the admin", async () => {
    const { loan } = await frozenLoan();
    signInAs(tenants.admin.userId);
    // ⌈80 / 0.85⌉ = 94,117,648 sold: proceeds pay the 80 owed, the rest of the frozen credits return.
    const result = await adminLiquidateLoanAction({ loanId: loan.id, scope: "FULL", reason: "lender asked the platform" });
    expect(result).toMatchObject({ ok: true, data: { state: "LIQUIDATED", scope: "FULL", soldMicros: "94117648", lossMicros: "0", debtAfterMicros: "0" } });
    const audit = await test.db.auditLog.findFirstOrThrow({ where: { action: "collateral.liquidate", targetId: loan.id } });
    expect(audit).toMatchObject({ orgId: tenants.admin.orgId, actorUserId: tenants.admin.userId, actorKind: "user" });
    expect((await checkLedgerHealth(test.db)).violations).toEqual([]);
  });

  it("a partial liquidation by an admin restores maintenance + 5 points and keeps the loan frozen", async () => {
    const { loan } = await frozenLoan();
    signInAs(tenants.admin.userId);
    const result = await adminLiquidateLoanAction({ loanId: loan.id, scope: "PARTIAL", reason: "restore coverage" });
    expect(result).toMatchObject({ ok: true, data: { state: "FROZEN", scope: "PARTIAL", isTargetRestored: true, lossMicros: "0" } });
    if (!result.ok) throw new Error("unreachable");
    expect(result.data.coverageAfterBps).toBeGreaterThanOrEqual(13_000);
  });

  it("refuses a loan that is not frozen, an unknown loan and a blank reason, and changes nothing", async () => {
    const { loan } = await createLoan(test.db, { lender: tenants.lenderB, financedMicros: 100n * USD, principalMicros: 80n * USD });
    signInAs(tenants.admin.userId);
    expect(await adminLiquidateLoanAction({ loanId: loan.id, scope: "FULL", reason: "x" })).toMatchObject({ ok: false, error: { code: "loan_not_frozen" } });
    expect(await adminLiquidateLoanAction({ loanId: "no-such-loan", scope: "FULL", reason: "x" })).toMatchObject({ ok: false, error: { code: "loan_not_found" } });
    expect(await adminLiquidateLoanAction({ loanId: loan.id, scope: "FULL", reason: "  " })).toMatchObject({ ok: false, error: { code: "invalid_request", field: "reason" } });
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toMatchObject({ state: "ACTIVE", version: loan.version });
  });

  it("a startup, another lender and even the loan's own lender cannot liquidate from the admin desk; anonymous is a 401", async () => {
    const { loan, startupUserId } = await frozenLoan();
    const before = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    signInAs(startupUserId);
    expect(await adminLiquidateLoanAction({ loanId: loan.id, scope: "FULL", reason: "mine" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    signInAs(tenants.lenderB.userId);
    expect(await adminLiquidateLoanAction({ loanId: loan.id, scope: "FULL", reason: "grab" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    signInAs(tenants.lenderA.userId);
    expect(await adminLiquidateLoanAction({ loanId: loan.id, scope: "FULL", reason: "own" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    signInAs(null);
    expect(await adminLiquidateLoanAction({ loanId: loan.id, scope: "FULL", reason: "x" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toMatchObject({ state: "FROZEN", version: before.version });
    expect(await test.db.ledgerTransfer.count({ where: { loanId: loan.id, kind: "LIQUIDATE" } })).toBe(0);
  });
});
