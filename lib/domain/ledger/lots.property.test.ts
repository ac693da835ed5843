import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LOT_PRIORITY, planFreeze, planLotConsumption, planUnfreeze, unfrozenMicros, type LotBalance } from "./lots";
import { LedgerRuleError } from "./transfer";

// Few distinct days, so expiry and creation ties happen often and the tie-breaks get exercised.
const lotArb = fc
  .record({
    kind: fc.constantFrom("PURCHASED" as const, "FINANCED" as const, "PLEDGED" as const),
    remainingMicros: fc.bigInt({ min: 0n, max: 1_000_000n }),
    frozenShareBps: fc.oneof(fc.constant(0), fc.constant(10_000), fc.integer({ min: 0, max: 10_000 })),
    expiresDay: fc.option(fc.integer({ min: 1, max: 4 })),
    createdDay: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ kind, remainingMicros, frozenShareBps, expiresDay, createdDay }) => ({
    kind,
    priority: LOT_PRIORITY[kind],
    remainingMicros,
    frozenMicros: (remainingMicros * BigInt(frozenShareBps)) / 10_000n,
    expiresAt: expiresDay === null ? null : new Date(Date.UTC(2026, 1, expiresDay)),
    createdAt: new Date(Date.UTC(2026, 0, createdDay)),
    loanId: kind === "PURCHASED" ? null : "loan",
  }));

const lotsArb = fc.array(lotArb, { maxLength: 10 }).map((lots) => lots.map((l, i): LotBalance => ({ ...l, id: `lot-${String(i).padStart(2, "0")}` })));
const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

// The spec's order, written independently of the module: priority, expiry (never = last), age, id.
function specOrder(a: LotBalance, b: LotBalance): number {
  const key = (l: LotBalance) => [l.priority, l.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY, l.createdAt.getTime()] as const;
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return a.id.localeCompare(b.id);
}

describe("planLotConsumption (property)", () => {
  it("takes exactly the amount, never more than a lot's unfrozen credits, and drains lots strictly in order", () => {
    fc.assert(
      fc.property(lotsArb, fc.bigInt({ min: 0n, max: 6_000_000n }), (lots, amountMicros) => {
        const availableMicros = sum(lots.map(unfrozenMicros));
        if (amountMicros > availableMicros) {
          expect(() => planLotConsumption(lots, amountMicros)).toThrow(LedgerRuleError);
          return;
        }
        const plan = planLotConsumption(lots, amountMicros);
        const byId = new Map(lots.map((l) => [l.id, l]));

        expect(sum(plan.map((step) => step.amountMicros))).toBe(amountMicros);
        expect(new Set(plan.map((step) => step.lotId)).size).toBe(plan.length);
        for (const step of plan) {
          expect(step.amountMicros > 0n).toBe(true);
          expect(step.amountMicros <= unfrozenMicros(byId.get(step.lotId)!)).toBe(true);
        }

        // Priority: no lot of a later priority is touched while an earlier one keeps unfrozen credits.
        const usedById = new Map(plan.map((s) => [s.lotId, s.amountMicros]));
        if (plan.length > 0) {
          const worstUsedPriority = Math.max(...plan.map((s) => byId.get(s.lotId)!.priority));
          for (const lot of lots) {
            if (lot.priority < worstUsedPriority) expect(usedById.get(lot.id) ?? 0n).toBe(unfrozenMicros(lot));
          }
        }

        // Full order (priority, expiry, age, id): every step but the last drains its lot, and the
        // steps come in that order.
        for (let i = 0; i < plan.length; i++) {
          const lot = byId.get(plan[i].lotId)!;
          if (i < plan.length - 1) expect(plan[i].amountMicros).toBe(unfrozenMicros(lot));
          if (i > 0) expect(specOrder(byId.get(plan[i - 1].lotId)!, lot)).toBeLessThan(0);
        }
        // Any lot with credits ordered before the last lot used must be drained.
        if (plan.length > 0) {
          const last = byId.get(plan[plan.length - 1].lotId)!;
          for (const lot of lots) {
            if (specOrder(lot, last) < 0) expect(usedById.get(lot.id) ?? 0n).toBe(unfrozenMicros(lot));
          }
        }
      }),
      { numRuns: 2_000, seed: 42 },
    );
  });
});

describe("planFreeze and planUnfreeze (property)", () => {
  it("freeze never touches purchased lots or exceeds a lot's unfrozen part; and an unfreeze of the same amount releases exactly that much", () => {
    fc.assert(
      fc.property(lotsArb, fc.bigInt({ min: 0n, max: 4_000_000n }), (lots, amountMicros) => {
        const collateral = lots.filter((l) => l.kind !== "PURCHASED");
        const freezable = sum(collateral.map(unfrozenMicros));
        if (amountMicros > freezable) {
          expect(() => planFreeze(lots, amountMicros)).toThrow(expect.objectContaining({ code: "NOTHING_TO_FREEZE" }));
          return;
        }
        const freeze = planFreeze(lots, amountMicros);
        const byId = new Map(lots.map((l) => [l.id, l]));
        expect(sum(freeze.map((s) => s.amountMicros))).toBe(amountMicros);
        for (const step of freeze) {
          const lot = byId.get(step.lotId)!;
          expect(lot.kind).not.toBe("PURCHASED");
          expect(step.amountMicros <= unfrozenMicros(lot)).toBe(true);
        }
        // A pledged lot is only frozen once no financed credit is left unfrozen.
        if (freeze.some((s) => byId.get(s.lotId)!.kind === "PLEDGED")) {
          const financedLeft = collateral.filter((l) => l.kind === "FINANCED").map((l) => unfrozenMicros(l) - (freeze.find((s) => s.lotId === l.id)?.amountMicros ?? 0n));
          expect(sum(financedLeft)).toBe(0n);
        }

        const frozen = lots.map((l) => ({ ...l, frozenMicros: l.frozenMicros + (freeze.find((s) => s.lotId === l.id)?.amountMicros ?? 0n) }));
        const unfreeze = planUnfreeze(frozen, amountMicros);
        expect(sum(unfreeze.map((s) => s.amountMicros))).toBe(amountMicros);
        for (const step of unfreeze) expect(step.amountMicros <= byId.get(step.lotId)!.frozenMicros + (freeze.find((s) => s.lotId === step.lotId)?.amountMicros ?? 0n)).toBe(true);
      }),
      { numRuns: 1_000, seed: 7 },
    );
  });
});
