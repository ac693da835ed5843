import "@/lib/server/server-only";
import { holdAdmission, MIN_HOLD_MICROS, type HoldAdmission } from "@/lib/domain/ledger/admission";
import type { Db } from "@/lib/server/db/client";
import { cachedStartupAccountIds } from "@/lib/server/ledger/ledger";

// "Would the routing API admit a request for this organisation right now?" — asked without calling
// a model and without reserving anything. The gateway admits a request when its hold, one
// conditional write `spendable >= worst case` on the org's STARTUP_SPENDABLE row, succeeds
// (reserveOrThrow → reserveHold); when it fails, 402 `credits_frozen` if the org has frozen credits,
// else `insufficient_credits` (reserveRefusal). This reads the same two rows the hold reads and
// applies that condition (lib/domain/ledger/admission.ts) for the smallest hold, 1 µUSD; the db
// tests check it against a real hold and a real chat completion, before and after a freeze.

export type AdmissionCheck = {
  orgId: string;
  checkedAt: Date;
  /** The worst case the check asks about: the smallest hold the gateway takes. */
  requestMicros: bigint;
  spendableMicros: bigint;
  heldMicros: bigint;
  frozenMicros: bigint;
  admission: HoldAdmission;
};

/** The routing API's admission decision for `orgId` now (spendable ≥ 1 µUSD), from its ledger balances. */
export async function checkAdmission(db: Db, orgId: string, now = new Date()): Promise<AdmissionCheck> {
  // The account ids the gateway's hold uses (an org without accounts has no credits: the hold refuses).
  const accounts = await cachedStartupAccountIds(db, orgId);
  const rows = accounts ? await db.ledgerAccount.findMany({ where: { id: { in: [accounts.spendable, accounts.held, accounts.frozen] } }, select: { id: true, balanceMicros: true } }) : [];
  const balance = (id: string | undefined) => rows.find((row) => row.id === id)?.balanceMicros ?? 0n;
  const spendableMicros = balance(accounts?.spendable);
  const frozenMicros = balance(accounts?.frozen);
  return {
    orgId,
    checkedAt: now,
    requestMicros: MIN_HOLD_MICROS,
    spendableMicros,
    heldMicros: balance(accounts?.held),
    frozenMicros,
    admission: holdAdmission({ spendableMicros, frozenMicros, amountMicros: MIN_HOLD_MICROS }),
  };
}

/** The check on the wire: money as strings of µUSD. */
export function serializeAdmissionCheck(check: AdmissionCheck) {
  return {
    checkedAt: check.checkedAt.toISOString(),
    isAdmitted: check.admission.isAdmitted,
    /** 200 when admitted; the gateway's 402 otherwise. */
    status: check.admission.isAdmitted ? 200 : check.admission.status,
    /** null when admitted; `credits_frozen` or `insufficient_credits` otherwise. */
    code: check.admission.isAdmitted ? null : check.admission.code,
    requestMicros: check.requestMicros.toString(),
    spendableMicros: check.spendableMicros.toString(),
    heldMicros: check.heldMicros.toString(),
    frozenMicros: check.frozenMicros.toString(),
  };
}

export type AdmissionCheckDto = ReturnType<typeof serializeAdmissionCheck>;
