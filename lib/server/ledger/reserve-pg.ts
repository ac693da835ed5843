import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import { newRowId } from "@/lib/server/db/ids";
import { big, bigOrNull, providerOfDb, queryPgStatement } from "@/lib/server/db/sql-program";
import { assertPositiveHold, reserveRefusal, type ReservedHold, type ReserveProgramInput } from "./hold-programs";

/**
 * The hold of reserveHoldProgram as ONE PostgreSQL statement: the conditional write of the
 * spendable balance, then — only if it matched — the held balance, the hold, the RESERVE transfer
 * and its two entries, as data-modifying CTEs of a statement that commits or fails as a whole. One
 * round trip instead of eight (BEGIN … COMMIT), on the routing API's critical path.
 *
 * Only for keys without a spend cap: a capped key's reservation must also undo the cap's increment
 * when the balance is short, which needs the transaction of the general program.
 */
const RESERVE_STATEMENT = { name: "blockable_reserve_hold_v1", sql: `
WITH reserved AS (
  UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" - $1::bigint
  WHERE "id" = $2::text AND "balanceMicros" >= $1::bigint
  RETURNING "balanceMicros"
), held AS (
  UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" + $1::bigint
  WHERE "id" = $3::text AND EXISTS (SELECT 1 FROM reserved)
  RETURNING 1
), hold AS (
  INSERT INTO "Hold" ("id", "orgId", "apiKeyId", "requestId", "amountMicros", "status", "modelSlug", "expiresAt", "createdAt")
  SELECT $5::text, $6::text, $7::text, $8::text, $1::bigint, 'ACTIVE', $9::text, $10::timestamp, $11::timestamp
  WHERE EXISTS (SELECT 1 FROM reserved)
  RETURNING 1
), transfer AS (
  INSERT INTO "LedgerTransfer" ("id", "idempotencyKey", "kind", "debitAccountId", "creditAccountId", "amountMicros", "orgId", "loanId", "holdId", "createdAt")
  SELECT $12::text, $13::text, 'RESERVE', $2::text, $3::text, $1::bigint, $6::text, NULL, $5::text, $11::timestamp
  WHERE EXISTS (SELECT 1 FROM reserved)
  RETURNING "id"
), entries AS (
  INSERT INTO "LedgerEntry" ("id", "transferId", "accountId", "amountMicros", "createdAt")
  SELECT $14::text, "id", $2::text, -$1::bigint, $11::timestamp FROM transfer
  UNION ALL
  SELECT $15::text, "id", $3::text, $1::bigint, $11::timestamp FROM transfer
  RETURNING 1
)
SELECT
  (SELECT "balanceMicros" FROM reserved) AS "spendableAfterHoldMicros",
  (SELECT count(*) FROM held) + (SELECT count(*) FROM hold) + (SELECT count(*) FROM entries) AS "writeCount",
  (SELECT "balanceMicros" FROM "LedgerAccount" WHERE "id" = $4::text) AS "frozenMicros",
  CASE WHEN $16::boolean THEN (SELECT "id" FROM "LedgerTransfer" WHERE "orgId" = $6::text AND "kind" = 'FREEZE' ORDER BY "createdAt" DESC LIMIT 1) END AS "freezeMarker"` };

const FROZEN_BALANCE_STATEMENT = { name: "blockable_reserve_refusal_frozen_v1", sql: `SELECT "balanceMicros" FROM "LedgerAccount" WHERE "id" = $1::text` };

async function readFrozenMicros(db: Db, frozenAccountId: string): Promise<bigint> {
  const rows = await queryPgStatement<{ balanceMicros: unknown }>(db, FROZEN_BALANCE_STATEMENT, [frozenAccountId]);
  return (rows && bigOrNull(rows[0]?.balanceMicros)) ?? 0n;
}

/** Null when the client is not PostgreSQL (the caller runs the general program instead). */
export async function reserveHoldInOneStatement(db: Db, input: ReserveProgramInput): Promise<ReservedHold | null> {
  // Decided before any work: on SQLite the ids and parameters below would be made for nothing.
  if (input.spendCap || providerOfDb(db) !== "postgresql") return null;
  assertPositiveHold(input.amountMicros);
  const expiresAt = new Date(input.now.getTime() + input.ttlMs);
  const rows = await queryPgStatement<{ spendableAfterHoldMicros: unknown; writeCount: unknown; frozenMicros: unknown; freezeMarker: string | null }>(db, RESERVE_STATEMENT, [
    input.amountMicros,
    input.accounts.spendable,
    input.accounts.held,
    input.accounts.frozen,
    input.holdId,
    input.orgId,
    input.apiKeyId,
    input.requestId,
    input.modelSlug,
    expiresAt,
    input.now,
    newRowId(),
    `hold:${input.holdId}:reserve`,
    newRowId(),
    newRowId(),
    input.readFreezeMarker === true,
  ]);
  if (!rows) return null;
  const [row] = rows;
  const spendableAfterHoldMicros = bigOrNull(row.spendableAfterHoldMicros);
  if (spendableAfterHoldMicros === null) {
    // The statement's snapshot predates a freeze it waited for: the UPDATE re-read the spendable
    // row after the freeze committed, but the frozen balance above was read before it (0), which
    // named the refusal insufficient_credits. A new statement sees the committed freeze.
    const frozenMicros = bigOrNull(row.frozenMicros) ?? 0n;
    const frozenNowMicros = frozenMicros > 0n ? frozenMicros : await readFrozenMicros(db, input.accounts.frozen);
    throw reserveRefusal(frozenNowMicros, input.amountMicros);
  }
  // held (1) + hold (1) + entries (2). An unknown held account cannot leave half a hold behind: its
  // entry fails the foreign key and the whole statement with it; this is only a guard.
  if (big(row.writeCount) !== 4n) throw new Error(`reserve: expected 4 writes besides the spendable balance, got ${row.writeCount}`);
  return { id: input.holdId, amountMicros: input.amountMicros, expiresAt, freezeMarker: row.freezeMarker ?? null, spendableAfterHoldMicros };
}
