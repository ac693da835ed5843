import "@/lib/server/server-only";
import { newRowId } from "@/lib/server/db/ids";
import { ACCOUNT_TYPES, type AccountType } from "@/lib/domain/ledger/accounts";
import { planFreeze, planLotConsumption, type LotBalance, type LotKind } from "@/lib/domain/ledger/lots";
import { LedgerRuleError } from "@/lib/domain/ledger/transfer";
import { all, big, bigOrNull, date, dateOrNull, get, num, run, type SqlProgram } from "@/lib/server/db/sql-program";
import { LedgerError } from "./errors";

/**
 * The hold lifecycle (reserve → settle | void) as SQL programs (see lib/server/db/sql-program.ts):
 * the routing API's hot path, run synchronously on SQLite and as one transaction on PostgreSQL.
 * Lock order matches the rest of the ledger: the org's STARTUP_SPENDABLE row first, then other
 * accounts by id, then lots by id.
 */

export type StartupAccountIds = { spendable: string; held: string; frozen: string; usage: string; issuance: string };

const STARTUP_TYPES = {
  STARTUP_SPENDABLE: "spendable",
  STARTUP_HELD: "held",
  STARTUP_FROZEN: "frozen",
  PLATFORM_USAGE: "usage",
  PLATFORM_ISSUANCE: "issuance",
} as const satisfies Partial<Record<AccountType, keyof StartupAccountIds>>;

/** The org's ledger accounts, or null when it has none yet (never opened: it has no credits). */
export function* startupAccountIdsProgram(orgId: string): SqlProgram<StartupAccountIds | null> {
  const rows = yield* all<{ id: string; type: string }>(
    `SELECT "id", "type" FROM "LedgerAccount" WHERE "orgId" = ? AND "loanId" IS NULL AND "type" IN ('STARTUP_SPENDABLE', 'STARTUP_HELD', 'STARTUP_FROZEN', 'PLATFORM_USAGE', 'PLATFORM_ISSUANCE')`,
    [orgId],
  );
  const ids: Partial<StartupAccountIds> = {};
  for (const row of rows) ids[STARTUP_TYPES[row.type as keyof typeof STARTUP_TYPES]] = row.id;
  return ids.spendable && ids.held && ids.frozen && ids.usage && ids.issuance ? (ids as StartupAccountIds) : null;
}

export type TransferRow = {
  idempotencyKey: string;
  kind: string;
  debitAccountId: string;
  creditAccountId: string;
  amountMicros: bigint;
  orgId: string;
  loanId?: string | null;
  holdId?: string | null;
};

/** Writes one transfer and its two entries (balances are the caller's conditional updates). */
export function* insertTransferProgram(transfer: TransferRow): SqlProgram<string> {
  const [id] = yield* insertTransfersProgram([transfer]);
  return id;
}

const rowPlaceholders = (rows: number, columns: number) => Array.from({ length: rows }, () => `(${Array.from({ length: columns }, () => "?").join(", ")})`).join(", ");

const insertSqlCache = new Map<number, { transfers: string; entries: string }>();
const CACHED_INSERT_SHAPES = 8;
/**
 * The two INSERTs for `count` transfers. The hot path's counts (1 to 3) are built once: the
 * runner's statement cache is then looked up with the same string object each time (its hash
 * computed once), not with a new string per request.
 */
function insertSqlFor(count: number) {
  let sql = insertSqlCache.get(count);
  if (!sql) {
    sql = {
      transfers: `INSERT INTO "LedgerTransfer" ("id", "idempotencyKey", "kind", "debitAccountId", "creditAccountId", "amountMicros", "orgId", "loanId", "holdId", "createdAt") VALUES ${rowPlaceholders(count, 10)}`,
      entries: `INSERT INTO "LedgerEntry" ("id", "transferId", "accountId", "amountMicros", "createdAt") VALUES ${rowPlaceholders(2 * count, 5)}`,
    };
    if (count <= CACHED_INSERT_SHAPES) insertSqlCache.set(count, sql);
  }
  return sql;
}

/**
 * Writes transfers and their entries in two statements whatever their number: on PostgreSQL each
 * statement is a round trip made while the org's rows are locked.
 */
export function* insertTransfersProgram(transfers: readonly TransferRow[]): SqlProgram<string[]> {
  if (transfers.length === 0) return [];
  const ids = transfers.map(() => newRowId());
  const createdAt = new Date();
  const sql = insertSqlFor(transfers.length);
  yield* run(
    sql.transfers,
    transfers.flatMap((transfer, i) => [ids[i], transfer.idempotencyKey, transfer.kind, transfer.debitAccountId, transfer.creditAccountId, transfer.amountMicros, transfer.orgId, transfer.loanId ?? null, transfer.holdId ?? null, createdAt]),
  );
  yield* run(
    sql.entries,
    transfers.flatMap((transfer, i) => [newRowId(), ids[i], transfer.debitAccountId, -transfer.amountMicros, createdAt, newRowId(), ids[i], transfer.creditAccountId, transfer.amountMicros, createdAt]),
  );
  return ids;
}

/** Why a hold was refused: credits frozen by the lender, or simply not enough spendable. */
export function reserveRefusal(frozenMicros: bigint, amountMicros: bigint): LedgerError {
  if (frozenMicros > 0n) {
    return new LedgerError("CREDITS_FROZEN", `Not enough spendable credits for ${amountMicros} µUSD: the rest of this organisation's credits are frozen by its lender.`);
  }
  return new LedgerError("INSUFFICIENT_CREDITS", `Not enough spendable credits for ${amountMicros} µUSD.`);
}

export function assertPositiveHold(amountMicros: bigint) {
  if (amountMicros <= 0n) throw new LedgerError("INVALID_AMOUNT", "The hold must be a positive whole number of micro-dollars.");
}

function* refuseReserveProgram(frozenAccountId: string, amountMicros: bigint): SqlProgram<never> {
  const frozen = yield* get<{ balanceMicros: unknown }>(`SELECT "balanceMicros" FROM "LedgerAccount" WHERE "id" = ?`, [frozenAccountId]);
  throw reserveRefusal(frozen ? big(frozen.balanceMicros) : 0n, amountMicros);
}

export type ReserveProgramInput = {
  holdId: string;
  orgId: string;
  accounts: StartupAccountIds;
  requestId: string;
  amountMicros: bigint;
  apiKeyId: string | null;
  modelSlug: string | null;
  now: Date;
  ttlMs: number;
  /** Reserve the worst case against the key's spend cap too, in the same transaction. */
  spendCap?: { apiKeyId: string; capMicros: bigint } | null;
  /** Also read the org's latest FREEZE transfer (a stream's baseline for the freeze watch). */
  readFreezeMarker?: boolean;
};

export type ReservedHold = {
  id: string;
  amountMicros: bigint;
  expiresAt: Date;
  freezeMarker: string | null;
  /** The org's spendable balance right after this hold was taken (read by the same write). */
  spendableAfterHoldMicros: bigint;
};

/**
 * The decisive write is one conditional UPDATE of the spendable balance: it matches no row when
 * spendable is short, whatever runs concurrently, and then nothing of the program is kept.
 */
export function* reserveHoldProgram(input: ReserveProgramInput): SqlProgram<ReservedHold> {
  assertPositiveHold(input.amountMicros);
  if (input.spendCap) {
    const capped = yield* run(`UPDATE "ApiKey" SET "spentMicros" = "spentMicros" + ? WHERE "id" = ? AND "spentMicros" + ? <= ?`, [
      input.amountMicros,
      input.spendCap.apiKeyId,
      input.amountMicros,
      input.spendCap.capMicros,
    ]);
    if (capped !== 1) throw new LedgerError("SPEND_CAP_EXCEEDED", `This API key's spend cap would be exceeded by this request's worst case of ${input.amountMicros} µUSD.`);
  }
  const reserved = yield* get<{ balanceMicros: unknown }>(`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" - ? WHERE "id" = ? AND "balanceMicros" >= ? RETURNING "balanceMicros"`, [
    input.amountMicros,
    input.accounts.spendable,
    input.amountMicros,
  ]);
  if (!reserved) yield* refuseReserveProgram(input.accounts.frozen, input.amountMicros);
  const spendableAfterHoldMicros = big(reserved!.balanceMicros);
  yield* run(`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" + ? WHERE "id" = ?`, [input.amountMicros, input.accounts.held]);
  const expiresAt = new Date(input.now.getTime() + input.ttlMs);
  yield* run(`INSERT INTO "Hold" ("id", "orgId", "apiKeyId", "requestId", "amountMicros", "status", "modelSlug", "expiresAt", "createdAt") VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?)`, [
    input.holdId,
    input.orgId,
    input.apiKeyId,
    input.requestId,
    input.amountMicros,
    input.modelSlug,
    expiresAt,
    input.now,
  ]);
  yield* insertTransferProgram({
    idempotencyKey: `hold:${input.holdId}:reserve`,
    kind: "RESERVE",
    debitAccountId: input.accounts.spendable,
    creditAccountId: input.accounts.held,
    amountMicros: input.amountMicros,
    orgId: input.orgId,
    holdId: input.holdId,
  });
  let freezeMarker: string | null = null;
  if (input.readFreezeMarker) freezeMarker = yield* latestFreezeMarkerProgram(input.orgId);
  return { id: input.holdId, amountMicros: input.amountMicros, expiresAt, freezeMarker, spendableAfterHoldMicros };
}

export function* latestFreezeMarkerProgram(orgId: string): SqlProgram<string | null> {
  const latest = yield* get<{ id: string }>(`SELECT "id" FROM "LedgerTransfer" WHERE "orgId" = ? AND "kind" = 'FREEZE' ORDER BY "createdAt" DESC LIMIT 1`, [orgId]);
  return latest?.id ?? null;
}

export type SettleResult = {
  holdId: string;
  orgId: string;
  status: "SETTLED" | "VOIDED";
  chargedMicros: bigint;
  /** The unused part of the hold: back to spendable, except `frozenOnReleaseMicros` of it. */
  releasedMicros: bigint;
  frozenOnReleaseMicros: bigint;
  alreadyResolved: boolean;
  /** The org's spendable balance once this settlement is written (null when it was resolved before: not read). */
  spendableAfterMicros: bigint | null;
};

type HoldRow = { id: string; orgId: string; amountMicros: unknown; status: string; settledMicros: unknown; freezeLoanId: string | null };

function toLot(row: Record<string, unknown>): LotBalance {
  return {
    id: String(row.id),
    kind: row.kind as LotKind,
    priority: num(row.priority),
    remainingMicros: big(row.remainingMicros),
    frozenMicros: big(row.frozenMicros),
    expiresAt: dateOrNull(row.expiresAt),
    createdAt: date(row.createdAt),
    loanId: (row.loanId as string | null) ?? null,
  };
}

function translateRuleError(error: unknown): never {
  if (error instanceof LedgerRuleError) throw new LedgerError(error.code as never, error.message);
  throw error;
}

/**
 * Charges the actual cost of a held request and releases the rest, exactly once: the hold's status
 * change is conditional, so a retry, a crash replay or the sweeper racing us resolves it once.
 * The charge never exceeds the hold (the hold is the worst case the caller agreed to).
 */
export function* resolveHoldProgram(input: { holdId: string; actualMicros: bigint; now: Date; status: "SETTLED" | "VOIDED"; accounts?: StartupAccountIds | null }): SqlProgram<SettleResult> {
  if (input.actualMicros < 0n) throw new LedgerError("INVALID_AMOUNT", "A settled cost cannot be negative.");
  // Claim first and read the hold back from the claim itself: the row is locked from here on, so
  // a full freeze that marked it (freezeLoanId) a moment ago is seen, never a stale copy. Lock
  // order, shared with the freeze: the hold row, then the org's spendable row.
  const hold = yield* get<HoldRow>(
    `UPDATE "Hold" SET "status" = ?, "settledMicros" = CASE WHEN "amountMicros" < ? THEN "amountMicros" ELSE ? END, "resolvedAt" = ?
      WHERE "id" = ? AND "status" = 'ACTIVE'
      RETURNING "id", "orgId", "amountMicros", "status", "settledMicros", "freezeLoanId"`,
    [input.status, input.actualMicros, input.actualMicros, input.now, input.holdId],
  );
  if (!hold) {
    const resolved = yield* get<HoldRow>(`SELECT "id", "orgId", "amountMicros", "status", "settledMicros", "freezeLoanId" FROM "Hold" WHERE "id" = ?`, [input.holdId]);
    if (!resolved) throw new LedgerError("HOLD_NOT_FOUND", `Hold ${input.holdId} does not exist.`);
    const heldMicros = big(resolved.amountMicros);
    const settled = bigOrNull(resolved.settledMicros) ?? 0n;
    return {
      holdId: input.holdId,
      orgId: resolved.orgId,
      status: resolved.status as "SETTLED" | "VOIDED",
      chargedMicros: settled,
      releasedMicros: heldMicros - settled,
      frozenOnReleaseMicros: 0n,
      alreadyResolved: true,
      spendableAfterMicros: null,
    };
  }
  const amountMicros = big(hold.amountMicros);
  const chargedMicros = big(hold.settledMicros);
  const releasedMicros = amountMicros - chargedMicros;
  const accounts = input.accounts ?? (yield* startupAccountIdsProgram(hold.orgId));
  if (!accounts) throw new LedgerError("HOLD_NOT_FOUND", `Hold ${input.holdId} belongs to an organisation without ledger accounts.`);
  // Lock the org first: the lot reads below must see every committed change of this org. The
  // balance read with the lock is final until commit: only lock holders change it. Unless a freeze
  // marked the hold, all of its unused part goes back to spendable, which is known already: the
  // locking write makes that change too (one statement fewer; a round trip fewer on PostgreSQL).
  const returnedAtLockMicros = hold.freezeLoanId ? 0n : releasedMicros;
  const locked = yield* get<{ balanceMicros: unknown }>(`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" + ? WHERE "id" = ? RETURNING "balanceMicros"`, [
    returnedAtLockMicros,
    accounts.spendable,
  ]);
  if (!locked) throw new LedgerError("HOLD_NOT_FOUND", `Hold ${input.holdId} belongs to an organisation without a spendable account.`);
  let lots: LotBalance[] = [];
  if (chargedMicros > 0n || hold.freezeLoanId) {
    const rows = yield* all(
      `SELECT "id", "kind", "priority", "remainingMicros", "frozenMicros", "expiresAt", "createdAt", "loanId" FROM "CreditLot" WHERE "orgId" = ? AND "remainingMicros" > 0 ORDER BY "id"`,
      [hold.orgId],
    );
    lots = rows.map(toLot);
  }
  const lotChanges = new Map<string, { remainingDelta: bigint; frozenDelta: bigint }>();
  const changeLot = (lotId: string, remainingDelta: bigint, frozenDelta: bigint) => {
    const change = lotChanges.get(lotId) ?? { remainingDelta: 0n, frozenDelta: 0n };
    lotChanges.set(lotId, { remainingDelta: change.remainingDelta + remainingDelta, frozenDelta: change.frozenDelta + frozenDelta });
  };
  if (chargedMicros > 0n) {
    let plan;
    try {
      plan = planLotConsumption(lots, chargedMicros);
    } catch (error) {
      translateRuleError(error);
    }
    const consumed = new Map(plan.map((step) => [step.lotId, step.amountMicros]));
    for (const step of plan) changeLot(step.lotId, -step.amountMicros, 0n);
    lots = lots.map((lot) => ({ ...lot, remainingMicros: lot.remainingMicros - (consumed.get(lot.id) ?? 0n) }));
  }
  // A full freeze happened while this request was in flight: what it did not spend is frozen too,
  // as far as the loan's lots still hold unfrozen credits.
  let frozenOnReleaseMicros = 0n;
  if (hold.freezeLoanId && releasedMicros > 0n) {
    const loanLots = lots.filter((lot) => lot.loanId === hold.freezeLoanId);
    const freezable = loanLots.reduce((sum, lot) => sum + (lot.kind !== "PURCHASED" ? lot.remainingMicros - lot.frozenMicros : 0n), 0n);
    frozenOnReleaseMicros = freezable < releasedMicros ? freezable : releasedMicros;
    if (frozenOnReleaseMicros > 0n) for (const step of planFreeze(loanLots, frozenOnReleaseMicros)) changeLot(step.lotId, 0n, step.amountMicros);
  }
  const returnedMicros = releasedMicros - frozenOnReleaseMicros;
  const transfers: TransferRow[] = [];
  const base = { orgId: hold.orgId, holdId: input.holdId, debitAccountId: accounts.held };
  if (chargedMicros > 0n) transfers.push({ ...base, idempotencyKey: `hold:${input.holdId}:settle`, kind: "SETTLE", creditAccountId: accounts.usage, amountMicros: chargedMicros });
  if (frozenOnReleaseMicros > 0n) {
    transfers.push({ ...base, idempotencyKey: `hold:${input.holdId}:freeze`, kind: "FREEZE_ON_RELEASE", creditAccountId: accounts.frozen, amountMicros: frozenOnReleaseMicros, loanId: hold.freezeLoanId });
  }
  if (returnedMicros > 0n) {
    transfers.push({ ...base, idempotencyKey: `hold:${input.holdId}:release`, kind: input.status === "VOIDED" ? "VOID" : "RELEASE", creditAccountId: accounts.spendable, amountMicros: returnedMicros });
  }
  yield* applyBalanceDeltas(
    new Map([
      [accounts.spendable, { type: "STARTUP_SPENDABLE" as const, delta: returnedMicros - returnedAtLockMicros }],
      [accounts.held, { type: "STARTUP_HELD" as const, delta: -amountMicros }],
      [accounts.frozen, { type: "STARTUP_FROZEN" as const, delta: frozenOnReleaseMicros }],
      [accounts.usage, { type: "PLATFORM_USAGE" as const, delta: chargedMicros }],
    ]),
    accounts.spendable,
  );
  yield* insertTransfersProgram(transfers);
  for (const [lotId, change] of [...lotChanges].sort(([a], [b]) => (a < b ? -1 : 1))) {
    yield* run(`UPDATE "CreditLot" SET "remainingMicros" = "remainingMicros" + ?, "frozenMicros" = "frozenMicros" + ? WHERE "id" = ?`, [change.remainingDelta, change.frozenDelta, lotId]);
  }
  return {
    holdId: input.holdId,
    orgId: hold.orgId,
    status: input.status,
    chargedMicros,
    releasedMicros,
    frozenOnReleaseMicros,
    alreadyResolved: false,
    spendableAfterMicros: big(locked.balanceMicros) + returnedMicros - returnedAtLockMicros,
  };
}

/** Spendable first, then by id; an account that may not go negative changes only when it stays ≥ 0. */
function* applyBalanceDeltas(deltas: Map<string, { type: AccountType; delta: bigint }>, firstAccountId: string): SqlProgram<void> {
  const ids = [...deltas.keys()].filter((id) => deltas.get(id)!.delta !== 0n).sort((a, b) => (a === firstAccountId ? -1 : b === firstAccountId ? 1 : a < b ? -1 : 1));
  for (const id of ids) {
    const { type, delta } = deltas.get(id)!;
    const changed =
      delta < 0n && !ACCOUNT_TYPES[type].mayGoNegative
        ? yield* run(`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" + ? WHERE "id" = ? AND "balanceMicros" + ? >= 0`, [delta, id, delta])
        : yield* run(`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" + ? WHERE "id" = ?`, [delta, id]);
    if (changed !== 1) throw new LedgerError("NEGATIVE_BALANCE", `Account ${type} (${id}) would go negative by this change.`);
  }
}

export function* balanceProgram(accountId: string): SqlProgram<bigint> {
  const row = yield* get<{ balanceMicros: unknown }>(`SELECT "balanceMicros" FROM "LedgerAccount" WHERE "id" = ?`, [accountId]);
  return row ? big(row.balanceMicros) : 0n;
}
