import "@/lib/server/server-only";
import { randomUUID } from "node:crypto";
import { accountOwnerKey, ACCOUNT_TYPES, type AccountType } from "@/lib/domain/ledger/accounts";
import { LOT_PRIORITY, planFreeze, planLotConsumption, planUnfreeze, type LotBalance, type LotKind } from "@/lib/domain/ledger/lots";
import { LedgerRuleError } from "@/lib/domain/ledger/transfer";
import type { Db, DbTx } from "@/lib/server/db/client";
import { newRowId } from "@/lib/server/db/ids";
import { runProgram, runReadProgram } from "@/lib/server/db/sql-program";
import { LedgerError } from "./errors";
import { reserveHoldInOneStatement } from "./reserve-pg";
import { reserveHoldProgram, resolveHoldProgram, startupAccountIdsProgram, type ReservedHold, type SettleResult, type StartupAccountIds } from "./hold-programs";

export type { ReservedHold, SettleResult } from "./hold-programs";

/**
 * The ledger's write side. Every public function is one database transaction that either
 * completes or writes nothing. Lock order, to stay free of deadlocks on PostgreSQL: the startup's
 * STARTUP_SPENDABLE row first (it serialises everything that touches the org's lots), then the other
 * accounts by id, then lots by id. No transaction here waits on anything but the database.
 */

type Account = { id: string; type: string; balanceMicros: bigint };
export type StartupAccounts = { spendable: Account; held: Account; frozen: Account; usage: Account; issuance: Account };

export type TransferSpec = {
  idempotencyKey: string;
  kind: string;
  debitAccountId: string;
  creditAccountId: string;
  amountMicros: bigint;
  orgId?: string | null;
  loanId?: string | null;
  holdId?: string | null;
  memo?: string | null;
};

function assertPositive(amountMicros: bigint, what = "amount") {
  if (typeof amountMicros !== "bigint" || amountMicros <= 0n) {
    throw new LedgerError("INVALID_AMOUNT", `The ${what} must be a positive whole number of micro-dollars.`);
  }
}

export async function ensureAccount(tx: DbTx, type: AccountType, owner: { orgId?: string | null; loanId?: string | null }): Promise<Account> {
  const ownerKey = accountOwnerKey(type, { orgId: owner.orgId ?? undefined, loanId: owner.loanId ?? undefined });
  const existing = await tx.ledgerAccount.findUnique({ where: { ownerKey } });
  if (existing) return existing;
  return tx.ledgerAccount.upsert({
    where: { ownerKey },
    update: {},
    create: { ownerKey, type, asset: ACCOUNT_TYPES[type].asset, orgId: owner.orgId ?? null, loanId: owner.loanId ?? null },
  });
}

const STARTUP_ACCOUNT_TYPES = {
  spendable: "STARTUP_SPENDABLE",
  held: "STARTUP_HELD",
  frozen: "STARTUP_FROZEN",
  // Per-org usage and issuance accounts: no single hot row that every request must update.
  usage: "PLATFORM_USAGE",
  issuance: "PLATFORM_ISSUANCE",
} as const satisfies Record<keyof StartupAccounts, AccountType>;

/** One read when the accounts exist (always, after the org was opened); creates any that are missing. */
export async function ensureStartupAccounts(tx: DbTx, orgId: string): Promise<StartupAccounts> {
  const types = Object.values(STARTUP_ACCOUNT_TYPES);
  const existing = await tx.ledgerAccount.findMany({ where: { orgId, loanId: null, type: { in: types } } });
  const byType = new Map<string, Account>(existing.map((account) => [account.type, account]));
  for (const type of types) if (!byType.has(type)) byType.set(type, await ensureAccount(tx, type, { orgId }));
  return {
    spendable: byType.get(STARTUP_ACCOUNT_TYPES.spendable)!,
    held: byType.get(STARTUP_ACCOUNT_TYPES.held)!,
    frozen: byType.get(STARTUP_ACCOUNT_TYPES.frozen)!,
    usage: byType.get(STARTUP_ACCOUNT_TYPES.usage)!,
    issuance: byType.get(STARTUP_ACCOUNT_TYPES.issuance)!,
  };
}

/** Creates the org's accounts outside any busy path (at org creation), so hot paths only read them. */
export async function openStartupAccounts(db: Db, orgId: string): Promise<StartupAccounts> {
  return db.$transaction((tx) => ensureStartupAccounts(tx, orgId));
}

/**
 * Applies net balance changes in lock order. An account that may not go negative is changed by a
 * conditional UPDATE that matches no row when the result would be negative; that aborts the
 * transaction with `onShort` (or NEGATIVE_BALANCE).
 */
async function applyDeltas(
  tx: DbTx,
  deltas: Map<string, bigint>,
  accounts: Map<string, Account>,
  firstAccountId: string | null,
  onShort?: (account: Account) => Promise<never> | never,
) {
  const ids = [...deltas.keys()].sort((a, b) => (a === firstAccountId ? -1 : b === firstAccountId ? 1 : a < b ? -1 : a > b ? 1 : 0));
  for (const id of ids) {
    const delta = deltas.get(id)!;
    const account = accounts.get(id)!;
    const mayGoNegative = ACCOUNT_TYPES[account.type as AccountType]?.mayGoNegative ?? false;
    const changed = mayGoNegative
      ? await tx.$executeRaw`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" + ${delta} WHERE "id" = ${id}`
      : await tx.$executeRaw`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" + ${delta} WHERE "id" = ${id} AND "balanceMicros" + ${delta} >= 0`;
    if (changed !== 1) {
      if (onShort) await onShort(account);
      throw new LedgerError("NEGATIVE_BALANCE", `Account ${account.type} (${id}) would go negative by this change.`);
    }
  }
}

/**
 * Posts transfers inside the caller's transaction: entries, transfer rows and balances together.
 * A transfer whose idempotency key already exists with the same content is a no-op; with other
 * content it is a conflict.
 */
export async function postTransfers(
  tx: DbTx,
  transfers: TransferSpec[],
  accountList: Account[],
  options: {
    lockFirstAccountId?: string | null;
    onShort?: (account: Account) => Promise<never> | never;
    /** The caller already guarantees once-only (e.g. a claimed hold); the unique key still backs it. */
    skipReplayLookup?: boolean;
  } = {},
): Promise<{ posted: number; replayed: number }> {
  const accounts = new Map(accountList.map((account) => [account.id, account]));
  const deltas = new Map<string, bigint>();
  const toPost: TransferSpec[] = [];
  let replayed = 0;
  for (const transfer of transfers) {
    assertPositive(transfer.amountMicros, `${transfer.kind} amount`);
    if (transfer.debitAccountId === transfer.creditAccountId) throw new LedgerError("INVALID_AMOUNT", "A transfer needs two different accounts.");
    const debit = accounts.get(transfer.debitAccountId);
    const credit = accounts.get(transfer.creditAccountId);
    if (!debit || !credit) throw new Error(`postTransfers: account ${!debit ? transfer.debitAccountId : transfer.creditAccountId} not loaded`);
    const existing = options.skipReplayLookup ? null : await tx.ledgerTransfer.findUnique({ where: { idempotencyKey: transfer.idempotencyKey } });
    if (existing) {
      const same =
        existing.debitAccountId === transfer.debitAccountId &&
        existing.creditAccountId === transfer.creditAccountId &&
        existing.amountMicros === transfer.amountMicros &&
        existing.kind === transfer.kind;
      if (!same) throw new LedgerError("IDEMPOTENCY_CONFLICT", `Idempotency key "${transfer.idempotencyKey}" was already used for a different transfer.`);
      replayed++;
      continue;
    }
    toPost.push(transfer);
    deltas.set(debit.id, (deltas.get(debit.id) ?? 0n) - transfer.amountMicros);
    deltas.set(credit.id, (deltas.get(credit.id) ?? 0n) + transfer.amountMicros);
  }
  for (const [id, delta] of deltas) if (delta === 0n) deltas.delete(id);
  const firstId = options.lockFirstAccountId ?? null;
  if (firstId && accounts.has(firstId) && !deltas.has(firstId) && toPost.length) {
    // Take the org's lock even when its spendable balance does not change.
    await tx.$executeRaw`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" WHERE "id" = ${firstId}`;
  }
  await applyDeltas(tx, deltas, accounts, firstId, options.onShort);
  for (const transfer of toPost) {
    const id = newRowId();
    await tx.ledgerTransfer.create({
      data: {
        id,
        idempotencyKey: transfer.idempotencyKey,
        kind: transfer.kind,
        debitAccountId: transfer.debitAccountId,
        creditAccountId: transfer.creditAccountId,
        amountMicros: transfer.amountMicros,
        orgId: transfer.orgId ?? null,
        loanId: transfer.loanId ?? null,
        holdId: transfer.holdId ?? null,
        memo: transfer.memo ?? null,
      },
    });
    await tx.ledgerEntry.createMany({
      data: [
        { transferId: id, accountId: transfer.debitAccountId, amountMicros: -transfer.amountMicros },
        { transferId: id, accountId: transfer.creditAccountId, amountMicros: transfer.amountMicros },
      ],
    });
  }
  return { posted: toPost.length, replayed };
}

function toLotBalance(lot: {
  id: string;
  kind: string;
  priority: number;
  remainingMicros: bigint;
  frozenMicros: bigint;
  expiresAt: Date | null;
  createdAt: Date;
  loanId: string | null;
}): LotBalance {
  return { ...lot, kind: lot.kind as LotKind };
}

async function loadLots(tx: DbTx, where: { orgId: string; loanId?: string }) {
  const lots = await tx.creditLot.findMany({ where: { ...where, remainingMicros: { gt: 0n } }, orderBy: { id: "asc" } });
  return lots.map(toLotBalance);
}

async function applyLotChanges(tx: DbTx, changes: { lotId: string; remainingDelta: bigint; frozenDelta: bigint }[]) {
  for (const change of [...changes].sort((a, b) => (a.lotId < b.lotId ? -1 : 1))) {
    await tx.creditLot.update({
      where: { id: change.lotId },
      data: { remainingMicros: { increment: change.remainingDelta }, frozenMicros: { increment: change.frozenDelta } },
    });
  }
}

function translateRuleError(error: unknown): never {
  if (error instanceof LedgerRuleError) throw new LedgerError(error.code as never, error.message);
  throw error;
}

// ───────────────────────────── Credits in ─────────────────────────────

export type IssueCreditsInput = {
  orgId: string;
  amountMicros: bigint;
  idempotencyKey: string;
  kind?: Extract<LotKind, "PURCHASED" | "FINANCED">;
  loanId?: string | null;
  lenderOrgId?: string | null;
  expiresAt?: Date | null;
  memo?: string;
};

/** Credits bought (PURCHASED) or issued under a loan (FINANCED): issuance → spendable, plus a lot. */
export async function issueCreditsInTx(tx: DbTx, input: IssueCreditsInput) {
  assertPositive(input.amountMicros);
  const kind = input.kind ?? "PURCHASED";
  const accounts = await ensureStartupAccounts(tx, input.orgId);
  const { posted } = await postTransfers(
    tx,
    [
      {
        idempotencyKey: input.idempotencyKey,
        kind: kind === "PURCHASED" ? "PURCHASE" : "FINANCE",
        debitAccountId: accounts.issuance.id,
        creditAccountId: accounts.spendable.id,
        amountMicros: input.amountMicros,
        orgId: input.orgId,
        loanId: input.loanId ?? null,
        memo: input.memo ?? null,
      },
    ],
    Object.values(accounts),
    { lockFirstAccountId: accounts.spendable.id },
  );
  if (posted === 0) return { replayed: true as const, lotId: null };
  const lot = await tx.creditLot.create({
    data: {
      orgId: input.orgId,
      kind,
      priority: LOT_PRIORITY[kind],
      loanId: input.loanId ?? null,
      lenderOrgId: input.lenderOrgId ?? null,
      originalMicros: input.amountMicros,
      remainingMicros: input.amountMicros,
      expiresAt: input.expiresAt ?? null,
    },
    select: { id: true },
  });
  return { replayed: false as const, lotId: lot.id };
}

export function issueCredits(db: Db, input: IssueCreditsInput) {
  return db.$transaction((tx) => issueCreditsInTx(tx, input));
}

/**
 * Moves the startup's own unrestricted credits into the loan's PLEDGED lot. Balances do not move
 * (the credits stay spendable until frozen); only their attribution does.
 */
export async function pledgeCreditsInTx(tx: DbTx, input: { orgId: string; loanId: string; lenderOrgId?: string | null; amountMicros: bigint }) {
  assertPositive(input.amountMicros, "pledge");
  const accounts = await ensureStartupAccounts(tx, input.orgId);
  await tx.$executeRaw`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" WHERE "id" = ${accounts.spendable.id}`;
  const ownLots = (await loadLots(tx, { orgId: input.orgId })).filter((lot) => lot.kind === "PURCHASED");
  let plan;
  try {
    plan = planLotConsumption(ownLots, input.amountMicros);
  } catch (error) {
    if (error instanceof LedgerRuleError) throw new LedgerError("INSUFFICIENT_CREDITS", `Only unfrozen purchased credits can be pledged; there are not enough for ${input.amountMicros} µUSD.`);
    throw error;
  }
  await applyLotChanges(tx, plan.map((step) => ({ lotId: step.lotId, remainingDelta: -step.amountMicros, frozenDelta: 0n })));
  const existing = await tx.creditLot.findFirst({ where: { orgId: input.orgId, loanId: input.loanId, kind: "PLEDGED" } });
  if (existing) {
    await tx.creditLot.update({
      where: { id: existing.id },
      data: { remainingMicros: { increment: input.amountMicros }, originalMicros: { increment: input.amountMicros } },
    });
  } else {
    await tx.creditLot.create({
      data: {
        orgId: input.orgId,
        kind: "PLEDGED",
        priority: LOT_PRIORITY.PLEDGED,
        loanId: input.loanId,
        lenderOrgId: input.lenderOrgId ?? null,
        originalMicros: input.amountMicros,
        remainingMicros: input.amountMicros,
      },
    });
  }
}

export function pledgeCredits(db: Db, input: { orgId: string; loanId: string; lenderOrgId?: string | null; amountMicros: bigint }) {
  return db.$transaction((tx) => pledgeCreditsInTx(tx, input));
}

// ───────────────────────────── Holds ─────────────────────────────

export type ReserveInput = {
  orgId: string;
  requestId: string;
  amountMicros: bigint;
  apiKeyId?: string | null;
  modelSlug?: string | null;
  now: Date;
  ttlMs: number;
  spendCap?: { apiKeyId: string; capMicros: bigint } | null;
  readFreezeMarker?: boolean;
};

/** Reserves the worst-case cost of a request (see reserveHoldProgram). */
export async function reserveHold(db: Db, input: ReserveInput): Promise<ReservedHold> {
  const accounts = await cachedStartupAccountIds(db, input.orgId);
  if (!accounts) throw new LedgerError("INSUFFICIENT_CREDITS", "This organisation has no credits.");
  const programInput = { ...input, holdId: newRowId(), accounts, apiKeyId: input.apiKeyId ?? null, modelSlug: input.modelSlug ?? null };
  // PostgreSQL, key without a spend cap: the same writes in one statement (one round trip).
  const reserved = await reserveHoldInOneStatement(db, programInput);
  return reserved ?? runProgram(db, reserveHoldProgram(programInput));
}

// Account rows never change identity once created, so the hot path remembers their ids.
const accountIdCache = new WeakMap<object, Map<string, StartupAccountIds>>();

export async function cachedStartupAccountIds(db: Db, orgId: string): Promise<StartupAccountIds | null> {
  let byOrg = accountIdCache.get(db as unknown as object);
  if (!byOrg) accountIdCache.set(db as unknown as object, (byOrg = new Map()));
  const cached = byOrg.get(orgId);
  if (cached) return cached;
  const ids = await runReadProgram(db, startupAccountIdsProgram(orgId));
  if (ids) byOrg.set(orgId, ids);
  return ids;
}

async function refuseReserve(tx: DbTx, orgId: string, amountMicros: bigint): Promise<never> {
  const frozen = await tx.ledgerAccount.findFirst({ where: { orgId, type: "STARTUP_FROZEN" } });
  if (frozen && frozen.balanceMicros > 0n) {
    throw new LedgerError("CREDITS_FROZEN", `Not enough spendable credits for ${amountMicros} µUSD: the rest of this organisation's credits are frozen by its lender.`);
  }
  throw new LedgerError("INSUFFICIENT_CREDITS", `Not enough spendable credits for ${amountMicros} µUSD.`);
}

/** Charges the actual cost of a held request and releases the rest, exactly once. */
export function settleHold(db: Db, input: { holdId: string; actualMicros: bigint; now: Date }): Promise<SettleResult> {
  return runProgram(db, resolveHoldProgram({ ...input, status: "SETTLED" }));
}

/** Releases a hold without charging (request failed before any output, or the hold expired). */
export function voidHold(db: Db, input: { holdId: string; now: Date }): Promise<SettleResult> {
  return runProgram(db, resolveHoldProgram({ ...input, actualMicros: 0n, status: "VOIDED" }));
}

/**
 * Charges one organisation's usage for one UTC day in a single transfer from spendable to the org's
 * PLATFORM_USAGE account, consuming lots by priority — how imported or seeded usage (which never held
 * credits request by request) reaches the ledger. Idempotent per org and day; refuses, writing
 * nothing, when the day's cost exceeds the unfrozen spendable credits.
 */
export async function recordUsageBatch(db: Db, input: { orgId: string; day: string; amountMicros: bigint; now: Date }) {
  assertPositive(input.amountMicros, "usage batch");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.day) || input.day > input.now.toISOString().slice(0, 10)) {
    throw new LedgerError("INVALID_AMOUNT", `A usage batch needs a past or current UTC day (YYYY-MM-DD), not "${input.day}".`);
  }
  return db.$transaction(async (tx) => {
    const accounts = await ensureStartupAccounts(tx, input.orgId);
    const { posted } = await postTransfers(
      tx,
      [
        {
          idempotencyKey: `usage-batch:${input.orgId}:${input.day}`,
          kind: "USAGE_BATCH",
          debitAccountId: accounts.spendable.id,
          creditAccountId: accounts.usage.id,
          amountMicros: input.amountMicros,
          orgId: input.orgId,
          memo: `Usage on ${input.day}`,
        },
      ],
      Object.values(accounts),
      {
        lockFirstAccountId: accounts.spendable.id,
        // Only the spendable side can run short: say whether frozen credits are why.
        onShort: () => refuseReserve(tx, input.orgId, input.amountMicros),
      },
    );
    if (posted === 0) return { replayed: true };
    const lots = await loadLots(tx, { orgId: input.orgId });
    let plan;
    try {
      plan = planLotConsumption(lots, input.amountMicros);
    } catch (error) {
      translateRuleError(error);
    }
    await applyLotChanges(tx, plan.map((step) => ({ lotId: step.lotId, remainingDelta: -step.amountMicros, frozenDelta: 0n })));
    return { replayed: false };
  });
}

/** Voids every hold past its expiry. Each is resolved at most once even with several sweepers. */
export async function sweepExpiredHolds(db: Db, now: Date, options: { limit?: number; orgId?: string } = {}): Promise<number> {
  const expired = await db.hold.findMany({
    where: { status: "ACTIVE", expiresAt: { lt: now }, ...(options.orgId ? { orgId: options.orgId } : {}) },
    select: { id: true },
    take: options.limit ?? 500,
  });
  let voided = 0;
  for (const hold of expired) {
    const result = await voidHold(db, { holdId: hold.id, now });
    if (!result.alreadyResolved) voided++;
  }
  return voided;
}

// ───────────────────────────── Freeze ─────────────────────────────

export type FreezeInput = {
  orgId: string;
  loanId: string;
  amountMicros: bigint;
  idempotencyKey?: string;
  memo?: string;
  /** A full freeze: also freeze, as they resolve, what requests in flight now will not spend. */
  captureInFlight?: boolean;
};

/**
 * Moves credits of the loan's lots from spendable to frozen. The spendable decrement is conditional:
 * credits already reserved by in-flight requests cannot be frozen (they settle or release first).
 */
export async function freezeCreditsInTx(tx: DbTx, input: FreezeInput) {
  assertPositive(input.amountMicros, "freeze amount");
  if (input.captureInFlight) {
    // Hold rows before the spendable row: the order a settlement takes them in (hold-programs.ts).
    await tx.hold.updateMany({ where: { orgId: input.orgId, status: "ACTIVE" }, data: { freezeLoanId: input.loanId } });
  }
  const accounts = await ensureStartupAccounts(tx, input.orgId);
  await postTransfers(
    tx,
    [{ idempotencyKey: input.idempotencyKey ?? `freeze:${randomUUID()}`, kind: "FREEZE", debitAccountId: accounts.spendable.id, creditAccountId: accounts.frozen.id, amountMicros: input.amountMicros, orgId: input.orgId, loanId: input.loanId, memo: input.memo ?? null }],
    Object.values(accounts),
    {
      lockFirstAccountId: accounts.spendable.id,
      onShort: () => {
        throw new LedgerError("NOTHING_TO_FREEZE", `Cannot freeze ${input.amountMicros} µUSD: that much is not spendable right now.`);
      },
    },
  );
  const lots = await loadLots(tx, { orgId: input.orgId, loanId: input.loanId });
  let plan;
  try {
    plan = planFreeze(lots, input.amountMicros);
  } catch (error) {
    if (error instanceof LedgerRuleError) throw new LedgerError("NOTHING_TO_FREEZE", `Cannot freeze ${input.amountMicros} µUSD: the loan's unfrozen collateral is smaller.`);
    throw error;
  }
  await applyLotChanges(tx, plan.map((step) => ({ lotId: step.lotId, remainingDelta: 0n, frozenDelta: step.amountMicros })));
}

export async function unfreezeCreditsInTx(tx: DbTx, input: FreezeInput) {
  assertPositive(input.amountMicros, "unfreeze amount");
  const accounts = await ensureStartupAccounts(tx, input.orgId);
  await postTransfers(
    tx,
    [{ idempotencyKey: input.idempotencyKey ?? `unfreeze:${randomUUID()}`, kind: "UNFREEZE", debitAccountId: accounts.frozen.id, creditAccountId: accounts.spendable.id, amountMicros: input.amountMicros, orgId: input.orgId, loanId: input.loanId, memo: input.memo ?? null }],
    Object.values(accounts),
    {
      lockFirstAccountId: accounts.spendable.id,
      onShort: () => {
        throw new LedgerError("NOTHING_TO_UNFREEZE", `Cannot unfreeze ${input.amountMicros} µUSD: less than that is frozen.`);
      },
    },
  );
  const lots = await loadLots(tx, { orgId: input.orgId, loanId: input.loanId });
  let plan;
  try {
    plan = planUnfreeze(lots, input.amountMicros);
  } catch (error) {
    if (error instanceof LedgerRuleError) throw new LedgerError("NOTHING_TO_UNFREEZE", `Cannot unfreeze ${input.amountMicros} µUSD: the loan has less frozen.`);
    throw error;
  }
  await applyLotChanges(tx, plan.map((step) => ({ lotId: step.lotId, remainingDelta: 0n, frozenDelta: -step.amountMicros })));
}

export function freezeCredits(db: Db, input: FreezeInput) {
  return db.$transaction((tx) => freezeCreditsInTx(tx, input));
}

export function unfreezeCredits(db: Db, input: FreezeInput) {
  return db.$transaction((tx) => unfreezeCreditsInTx(tx, input));
}

// ───────────────────────────── Reads ─────────────────────────────

export type CreditBalances = { spendableMicros: bigint; heldMicros: bigint; frozenMicros: bigint; pledgedMicros: bigint; financedMicros: bigint };

/** One indexed read: what the routing API reports back after each request. */
export async function getSpendableMicros(db: Db | DbTx, orgId: string): Promise<bigint> {
  const account = await db.ledgerAccount.findFirst({ where: { orgId, type: "STARTUP_SPENDABLE", loanId: null }, select: { balanceMicros: true } });
  return account?.balanceMicros ?? 0n;
}

export async function getCreditBalances(db: Db | DbTx, orgId: string): Promise<CreditBalances> {
  const [accounts, lots] = await Promise.all([
    db.ledgerAccount.findMany({ where: { orgId, type: { in: ["STARTUP_SPENDABLE", "STARTUP_HELD", "STARTUP_FROZEN"] } } }),
    db.creditLot.findMany({ where: { orgId, kind: { in: ["PLEDGED", "FINANCED"] }, remainingMicros: { gt: 0n } } }),
  ]);
  const balance = (type: string) => accounts.find((a) => a.type === type)?.balanceMicros ?? 0n;
  const sumLots = (kind: string) => lots.filter((lot) => lot.kind === kind).reduce((sum, lot) => sum + lot.remainingMicros, 0n);
  return {
    spendableMicros: balance("STARTUP_SPENDABLE"),
    heldMicros: balance("STARTUP_HELD"),
    frozenMicros: balance("STARTUP_FROZEN"),
    pledgedMicros: sumLots("PLEDGED"),
    financedMicros: sumLots("FINANCED"),
  };
}
