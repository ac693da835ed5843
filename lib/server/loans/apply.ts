import "@/lib/server/server-only";
import { z } from "zod";
import { blocksNewApplication, LOAN_STATES, transition } from "@/lib/domain/loans/lifecycle";
import { MAX_APPLICATION_AMOUNT_MICROS, MAX_MULTIPLIER_BPS, MAX_PRINCIPAL_MICROS, MAX_PURPOSE_LENGTH, MAX_TERM_MONTHS, MIN_MULTIPLIER_BPS } from "@/lib/domain/loans/application-preview";
import type { Db, DbTx } from "@/lib/server/db/client";
import type { DatabaseProvider } from "@/lib/server/db/config";
import { providerOfDb } from "@/lib/server/db/sql-program";
import { ApiError } from "@/lib/server/http/errors";
import { ensureStartupAccounts } from "@/lib/server/ledger/ledger";
import { recordAudit } from "@/lib/server/services/audit";
import { microsField, ownPledgeableMicros, parseOrThrow, usd, type LoanCaller } from "./queries";
import type { LoanRow } from "./transition";

// A startup applies for financing (DESIGN.md, "Financing arrangement"): principal, multiplier,
// term, own credits to pledge, purpose. One transaction, serialised per startup on its spendable
// row (the ledger's first lock), so two clicks cannot open two applications.

// The application's limits are pure (lib/domain/loans/application-preview.ts): the Apply form checks
// them in the browser too.
const MAX_AMOUNT_MICROS = MAX_APPLICATION_AMOUNT_MICROS;

export const applicationInputSchema = z.object({
  principalMicros: microsField({ min: 1n, max: MAX_PRINCIPAL_MICROS }),
  multiplierBps: z
    .number({ error: "give the multiplier in basis points, e.g. 13000 for 1.3×." })
    .int("give the multiplier in whole basis points, e.g. 13000 for 1.3×.")
    .min(MIN_MULTIPLIER_BPS, "must be at least 12500 (1.25×).")
    .max(MAX_MULTIPLIER_BPS, "must be at most 15000 (1.5×)."),
  termMonths: z.number({ error: "give the term in months." }).int("give the term in whole months.").min(1, "must be at least 1 month.").max(MAX_TERM_MONTHS, `must be at most ${MAX_TERM_MONTHS} months.`),
  pledgedMicros: microsField({ min: 0n, max: MAX_AMOUNT_MICROS }).default(0n),
  purpose: z.string({ error: "say what the financing is for." }).trim().min(1, "say what the financing is for.").max(MAX_PURPOSE_LENGTH, `keep it to ${MAX_PURPOSE_LENGTH} characters.`),
  plannedBurnMicrosPerDay: microsField({ min: 1n, max: MAX_AMOUNT_MICROS }).nullish(),
});

export type ApplicationInput = z.input<typeof applicationInputSchema>;

const BLOCKING_STATES = LOAN_STATES.filter(blocksNewApplication);
const REFERENCE = /^BL-\d{4}-(\d+)$/;
const MAX_REFERENCE_ATTEMPTS = 10;
/** PostgreSQL advisory lock (transaction-scoped) that serialises reference numbering across startups. */
const PG_REFERENCE_LOCK_ID = 7_262_015_001;

/**
 * "BL-YYYY-NNNN": the year of `now`, and one more than the highest number ever issued (the demo
 * numbers the same way). Numbering is serialised: SQLite runs one write transaction at a time, and
 * on PostgreSQL a transaction-scoped advisory lock (taken last, after the startup's own lock, and
 * held by nothing that waits for another lock) queues concurrent applicants; the unique index
 * backs it, and a collision is retried by the caller.
 */
async function nextReference(tx: DbTx, provider: DatabaseProvider, now: Date): Promise<string> {
  if (provider === "postgresql") await tx.$queryRaw`SELECT pg_advisory_xact_lock(${PG_REFERENCE_LOCK_ID}::bigint)::text AS "locked"`;
  const rows = await tx.loan.findMany({ where: { reference: { startsWith: "BL-" } }, select: { reference: true } });
  let highest = 0;
  for (const row of rows) {
    const match = REFERENCE.exec(row.reference);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `BL-${now.getUTCFullYear()}-${String(highest + 1).padStart(4, "0")}`;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/**
 * Submits an application for the caller's startup: validated input, at most one pending
 * application or open loan per startup, a pledge no larger than the startup's own spendable
 * purchased credits (nothing is pledged yet: that happens on approval), a fresh reference, and
 * the audit row — or nothing at all.
 */
export async function applyForLoan(db: Db, input: { caller: LoanCaller; application: ApplicationInput; now?: Date }): Promise<LoanRow> {
  const { caller } = input;
  if (caller.role !== "startup") throw new ApiError(403, "forbidden", "Only a startup applies for financing.");
  const application = parseOrThrow(applicationInputSchema, input.application);
  const now = input.now ?? new Date();
  // The lifecycle decides the first state (and refuses any other role).
  const submitted = transition(null, { type: "submit" }, { role: caller.role, userId: caller.userId }, now);
  const provider = providerOfDb(db);

  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const org = await tx.organization.findUnique({ where: { id: caller.orgId }, select: { kind: true } });
        if (!org || org.kind !== "STARTUP") throw new ApiError(403, "forbidden", "Only a startup applies for financing.");
        const accounts = await ensureStartupAccounts(tx, caller.orgId);
        // The startup's first lock in the ledger's order: its applications and pledges queue here.
        await tx.$executeRaw`UPDATE "LedgerAccount" SET "balanceMicros" = "balanceMicros" WHERE "id" = ${accounts.spendable.id}`;
        const blocking = await tx.loan.findFirst({ where: { startupOrgId: caller.orgId, state: { in: BLOCKING_STATES } }, select: { reference: true, state: true } });
        if (blocking) {
          throw new ApiError(
            409,
            blocking.state === "SUBMITTED" ? "application_pending" : "loan_open",
            blocking.state === "SUBMITTED"
              ? `Application ${blocking.reference} is still waiting for a decision; withdraw it before applying again.`
              : `Loan ${blocking.reference} is still open (${blocking.state}); a startup has one financing at a time.`,
          );
        }
        if (application.pledgedMicros > 0n) {
          const available = await ownPledgeableMicros(tx, caller.orgId);
          if (application.pledgedMicros > available) {
            throw new ApiError(422, "insufficient_own_credits", `pledgedMicros: you can pledge at most ${usd(available)} of your own spendable credits; ${usd(application.pledgedMicros)} is more.`, "pledgedMicros");
          }
        }
        const loan = await tx.loan.create({
          data: {
            reference: await nextReference(tx, provider, now),
            startupOrgId: caller.orgId,
            state: submitted.state,
            principalMicros: application.principalMicros,
            multiplierBps: application.multiplierBps,
            termMonths: application.termMonths,
            pledgedMicros: application.pledgedMicros,
            purpose: application.purpose,
            plannedBurnMicrosPerDay: application.plannedBurnMicrosPerDay ?? null,
            ...submitted.effects,
            createdAt: now,
          },
        });
        await recordAudit(tx, {
          orgId: caller.orgId,
          actorUserId: caller.userId,
          actorKind: caller.kind ?? "user",
          action: "loan.submit",
          targetType: "Loan",
          targetId: loan.id,
          detail: {
            reference: loan.reference,
            principalMicros: loan.principalMicros,
            multiplierBps: loan.multiplierBps,
            termMonths: loan.termMonths,
            pledgedMicros: loan.pledgedMicros,
            plannedBurnMicrosPerDay: loan.plannedBurnMicrosPerDay,
          },
        });
        return loan;
      });
    } catch (error) {
      // Two startups applying at the same instant can draw the same number: the loser takes the next one.
      if (isUniqueViolation(error) && attempt < MAX_REFERENCE_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
        continue;
      }
      throw error;
    }
  }
}
