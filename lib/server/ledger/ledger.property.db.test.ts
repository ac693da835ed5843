// Model-based property test of the ledger against real SQLite and PostgreSQL: random sequences of
// purchases, pledges, reserves, settlements, voids, freezes, unfreezes and sweeps; after every
// operation the database must agree with a simple model and pass every invariant of DESIGN.md.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { LedgerError } from "./errors";
import { checkLedgerHealth } from "./health";
import { freezeCredits, issueCredits, openStartupAccounts, pledgeCredits, reserveHold, settleHold, sweepExpiredHolds, unfreezeCredits, voidHold } from "./ledger";

const RUNS = Number(process.env.LEDGER_PROPERTY_RUNS ?? 10_000);

type Op =
  | { kind: "purchase"; amount: bigint }
  | { kind: "pledge"; amount: bigint }
  | { kind: "reserve"; amount: bigint }
  | { kind: "settle"; pick: number; chargeBps: number }
  | { kind: "void"; pick: number }
  | { kind: "freeze"; amount: bigint }
  | { kind: "freezeAll" }
  | { kind: "unfreeze"; amount: bigint }
  | { kind: "sweep" };

const amount = fc.bigInt({ min: 1n, max: 5_000_000n });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("purchase" as const), amount }),
  fc.record({ kind: fc.constant("pledge" as const), amount }),
  fc.record({ kind: fc.constant("reserve" as const), amount }),
  fc.record({ kind: fc.constant("reserve" as const), amount }),
  fc.record({ kind: fc.constant("settle" as const), pick: fc.nat(), chargeBps: fc.integer({ min: 0, max: 12_000 }) }),
  fc.record({ kind: fc.constant("void" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("freeze" as const), amount }),
  fc.record({ kind: fc.constant("freezeAll" as const) }),
  fc.record({ kind: fc.constant("unfreeze" as const), amount }),
  fc.record({ kind: fc.constant("sweep" as const) }),
);

await describeEachProvider("ledger property", (provider) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it(`keeps every invariant over ${RUNS} random operation sequences`, async () => {
    let sequence = 0;
    const property = fc.asyncProperty(fc.bigInt({ min: 0n, max: 20_000_000n }), fc.array(opArb, { minLength: 1, maxLength: 6 }), async (financed, ops) => {
        const db = test.db;
        sequence++;
        const org = await db.organization.create({ data: { name: `Prop ${sequence}`, slug: `prop-${provider}-${sequence}-${Math.random().toString(36).slice(2)}`, kind: "STARTUP" } });
        await openStartupAccounts(db, org.id);
        const loan = await db.loan.create({
          data: { reference: `P-${org.id}`, startupOrgId: org.id, state: "ACTIVE", principalMicros: financed, multiplierBps: 12_500, termMonths: 12, pledgedMicros: 0n, purpose: "property test" },
        });
        // The model: what the balances must be.
        const model = { spendable: 0n, held: 0n, frozen: 0n, purchasedFree: 0n, loanFree: 0n, loanFrozen: 0n };
        const holds: { id: string; amount: bigint; open: boolean; expires: boolean; freezesOnRelease: boolean }[] = [];
        if (financed > 0n) {
          await issueCredits(db, { orgId: org.id, amountMicros: financed, idempotencyKey: `fin:${loan.id}`, kind: "FINANCED", loanId: loan.id });
          model.spendable += financed;
          model.loanFree += financed;
        }
        const now = new Date("2026-01-01T00:00:00Z");
        // Usage consumes unfrozen credits, loan lots (financed, pledged) before purchased ones; a
        // hold caught by a full freeze freezes what it did not spend, as far as loan credits allow.
        const resolveInModel = (hold: (typeof holds)[number], charged: bigint) => {
          model.held -= hold.amount;
          const fromLoan = charged <= model.loanFree ? charged : model.loanFree;
          model.loanFree -= fromLoan;
          model.purchasedFree -= charged - fromLoan;
          const released = hold.amount - charged;
          const frozen = hold.freezesOnRelease ? (released <= model.loanFree ? released : model.loanFree) : 0n;
          model.frozen += frozen;
          model.loanFree -= frozen;
          model.loanFrozen += frozen;
          model.spendable += released - frozen;
          hold.open = false;
        };
        for (const [index, op] of ops.entries()) {
          const expectRefusal = async (run: () => Promise<unknown>, codes: string[]) => {
            const error = await run().then(() => null, (e: unknown) => e);
            expect(error, `${op.kind} should have been refused`).toBeInstanceOf(LedgerError);
            expect(codes).toContain((error as LedgerError).code);
          };
          switch (op.kind) {
            case "purchase":
              await issueCredits(db, { orgId: org.id, amountMicros: op.amount, idempotencyKey: `buy:${org.id}:${index}` });
              // Replaying the same purchase must change nothing.
              await issueCredits(db, { orgId: org.id, amountMicros: op.amount, idempotencyKey: `buy:${org.id}:${index}` });
              model.spendable += op.amount;
              model.purchasedFree += op.amount;
              break;
            case "pledge":
              if (op.amount <= model.purchasedFree) {
                await pledgeCredits(db, { orgId: org.id, loanId: loan.id, amountMicros: op.amount });
                model.purchasedFree -= op.amount;
                model.loanFree += op.amount;
              } else {
                await expectRefusal(() => pledgeCredits(db, { orgId: org.id, loanId: loan.id, amountMicros: op.amount }), ["INSUFFICIENT_CREDITS"]);
              }
              break;
            case "reserve":
              if (op.amount <= model.spendable) {
                const hold = await reserveHold(db, { orgId: org.id, requestId: `req-${org.id}-${index}`, amountMicros: op.amount, now, ttlMs: index % 2 ? 1 : 60_000 });
                holds.push({ id: hold.id, amount: op.amount, open: true, expires: index % 2 === 1, freezesOnRelease: false });
                model.spendable -= op.amount;
                model.held += op.amount;
              } else {
                await expectRefusal(
                  () => reserveHold(db, { orgId: org.id, requestId: `req-${org.id}-${index}`, amountMicros: op.amount, now, ttlMs: 60_000 }),
                  [model.frozen > 0n ? "CREDITS_FROZEN" : "INSUFFICIENT_CREDITS"],
                );
              }
              break;
            case "settle":
            case "void": {
              if (!holds.length) break;
              const hold = holds[op.pick % holds.length];
              const charge = op.kind === "settle" ? (hold.amount * BigInt(op.chargeBps)) / 10_000n : 0n;
              const result = op.kind === "settle" ? await settleHold(db, { holdId: hold.id, actualMicros: charge, now }) : await voidHold(db, { holdId: hold.id, now });
              expect(result.alreadyResolved).toBe(!hold.open);
              if (hold.open) {
                const charged = charge > hold.amount ? hold.amount : charge;
                expect(result.chargedMicros).toBe(charged);
                resolveInModel(hold, charged);
              }
              break;
            }
            case "freeze": {
              const freezable = model.loanFree < model.spendable ? model.loanFree : model.spendable;
              if (op.amount <= freezable) {
                await freezeCredits(db, { orgId: org.id, loanId: loan.id, amountMicros: op.amount });
                model.spendable -= op.amount;
                model.frozen += op.amount;
                model.loanFree -= op.amount;
                model.loanFrozen += op.amount;
              } else {
                await expectRefusal(() => freezeCredits(db, { orgId: org.id, loanId: loan.id, amountMicros: op.amount }), ["NOTHING_TO_FREEZE"]);
              }
              break;
            }
            case "freezeAll": {
              const freezable = model.loanFree < model.spendable ? model.loanFree : model.spendable;
              if (freezable > 0n) {
                await freezeCredits(db, { orgId: org.id, loanId: loan.id, amountMicros: freezable, captureInFlight: true });
                model.spendable -= freezable;
                model.frozen += freezable;
                model.loanFree -= freezable;
                model.loanFrozen += freezable;
                for (const hold of holds) if (hold.open) hold.freezesOnRelease = true;
              }
              break;
            }
            case "unfreeze":
              if (op.amount <= model.loanFrozen) {
                await unfreezeCredits(db, { orgId: org.id, loanId: loan.id, amountMicros: op.amount });
                model.spendable += op.amount;
                model.frozen -= op.amount;
                model.loanFree += op.amount;
                model.loanFrozen -= op.amount;
              } else {
                await expectRefusal(() => unfreezeCredits(db, { orgId: org.id, loanId: loan.id, amountMicros: op.amount }), ["NOTHING_TO_UNFREEZE"]);
              }
              break;
            case "sweep": {
              // Holds reserved with a 1 ms TTL are expired a minute later; the rest are not.
              await sweepExpiredHolds(db, new Date(now.getTime() + 1_000), { orgId: org.id });
              for (const hold of holds) if (hold.open && hold.expires) resolveInModel(hold, 0n);
              break;
            }
          }
          const health = await checkLedgerHealth(db, { orgId: org.id });
          expect(health.violations).toEqual([]);
          const balance = (type: string) => health.balanceByType.get(type) ?? 0n;
          expect({ spendable: balance("STARTUP_SPENDABLE"), held: balance("STARTUP_HELD"), frozen: balance("STARTUP_FROZEN") }).toEqual({
            spendable: model.spendable,
            held: model.held,
            frozen: model.frozen,
          });
        }
    });
    // PostgreSQL works in its own processes, so independent runners (each on its own organisations,
    // sharing the database) finish sooner; SQLite's driver is synchronous, so one runner.
    const runners = provider === "postgresql" ? 6 : 1;
    await Promise.all(
      Array.from({ length: runners }, (_, runner) =>
        fc.assert(property, { numRuns: Math.ceil(RUNS / runners), seed: 20261125 + runner, endOnFailure: true }),
      ),
    );
    // And the whole ledger, across every organisation the runs created.
    const health = await checkLedgerHealth(test.db);
    expect(health.violations).toEqual([]);
  });
});
