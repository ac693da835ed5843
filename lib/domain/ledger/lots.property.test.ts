import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LOT_PRIORITY, planLotConsumption, type LotBalance } from "./lots";
import { LedgerRuleError } from "./transfer";

const lotArb = fc
  .record({
    kind: fc.constantFrom("PURCHASED", "FINANCED", "PLEDGED" as const),
    remainingMicros: fc.bigInt({ min: 0n, max: 1_000_000n }),
    frozenShareBps: fc.integer({ min: 0, max: 10_000 }),
    expiresDay: fc.option(fc.integer({ min: 1, max: 28 })),
    createdDay: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ kind, remainingMicros, frozenShareBps, expiresDay, createdDay }) => ({
    kind,
    priority: LOT_PRIORITY[kind],
    remainingMicros,
    frozenMicros: (remainingMicros * BigInt(frozenShareBps)) / 10_000n,
    expiresAt: expiresDay === null ? null : new Date(Date.UTC(2026, 1, expiresDay)),
    createdAt: new Date(Date.UTC(2026, 0, createdDay)),
    loanId: null,
  }));

const lotsArb = fc.array(lotArb, { maxLength: 8 }).map((lots) => lots.map((l, i): LotBalance => ({ ...l, id: `lot-${i}` })));

describe("planLotConsumption (property)", () => {
  it("takes exactly the amount, never more than a lot's unfrozen credits, and respects priority", () => {
    fc.assert(
      fc.property(lotsArb, fc.bigInt({ min: 1n, max: 5_000_000n }), (lots, amount) => {
        const available = lots.reduce((sum, l) => sum + l.remainingMicros - l.frozenMicros, 0n);
        if (amount > available) {
          expect(() => planLotConsumption(lots, amount)).toThrow(LedgerRuleError);
          return;
        }
        const plan = planLotConsumption(lots, amount);
        const byId = new Map(lots.map((l) => [l.id, l]));
        expect(plan.reduce((sum, step) => sum + step.amountMicros, 0n)).toBe(amount);
        for (const step of plan) {
          const source = byId.get(step.lotId)!;
          expect(step.amountMicros > 0n).toBe(true);
          expect(step.amountMicros <= source.remainingMicros - source.frozenMicros).toBe(true);
        }
        // No lot of a lower priority is touched while a higher-priority lot keeps unfrozen credits.
        const used = new Map(plan.map((s) => [s.lotId, s.amountMicros]));
        const worstUsedPriority = Math.max(...plan.map((s) => byId.get(s.lotId)!.priority));
        for (const lot of lots) {
          if (lot.priority < worstUsedPriority) expect(used.get(lot.id) ?? 0n).toBe(lot.remainingMicros - lot.frozenMicros);
        }
      }),
      { numRuns: 2_000, seed: 42 },
    );
  });
});
