import "@/lib/server/server-only";
import { z } from "zod";
import { db as defaultDb, type Db } from "@/lib/server/db/client";
import { lenderApi } from "@/lib/server/lender-api/respond";
import { ALERT_STATES, getLenderLoanOrThrow, listLenderAlertPage, listLenderLoanPage } from "@/lib/server/queries/lender-loans";
import { freezeLoanCollateral, serializeFreezeResult, unfreezeLoanCollateral } from "./freeze";
import { liquidateLoan, serializeLiquidation } from "./liquidate";

// The lender API (`/api/lender/v1`): bearer-token authenticated by lenderApi(), scoped to the
// token's organisation (another lender's loan is a 404), POSTs idempotent with an Idempotency-Key
// (same key and body → the same answer replayed; same key, other body → 422). Money is strings of
// µUSD; errors are `{ error: { message, type, code, param } }`. Every change records the token that
// acted (audit row, FreezeEvent: actorKind "api", actorTokenId). The app/api/lender/v1 route files
// export these handlers; tests serve them over node:http with their own database.

const amountMicros = z
  .string({ error: "amountMicros must be a string of digits (µUSD), e.g. \"2500000000\" for $2,500." })
  .regex(/^\d{1,19}$/, "amountMicros must be a string of digits (µUSD), e.g. \"2500000000\" for $2,500.")
  .transform((digits) => BigInt(digits));
const reason = z.string({ error: "reason is required: say why (it is audited and sent to your webhooks)." }).trim().min(1, "reason is required: say why.").max(500);

const freezeBody = z.object({ mode: z.enum(["FULL", "AMOUNT", "PROTECTIVE"]), amountMicros: amountMicros.optional(), reason }).strict();
const unfreezeBody = z.object({ mode: z.enum(["FULL", "AMOUNT"]), amountMicros: amountMicros.optional(), reason }).strict();
const liquidateBody = z.object({ scope: z.enum(["PARTIAL", "FULL"]), reason }).strict();

const limit = z
  .string()
  .regex(/^\d{1,3}$/, "limit must be a whole number from 1 to 100.")
  .transform(Number)
  .optional();
const loansQuery = z.object({ limit, startingAfter: z.string().max(64).optional(), state: z.string().regex(/^[A-Z_]{1,20}$/, "state is a loan state such as FROZEN.").optional() });
const alertsQuery = z.object({ limit, startingAfter: z.string().max(64).optional(), state: z.enum(ALERT_STATES).optional(), loanId: z.string().max(64).optional() });

function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

const NO_STORE = { "cache-control": "no-store" };

/** When each request arrived, before authentication and idempotency: the freeze latency runs from here. */
const receivedAt = new WeakMap<Request, Date>();

function stampArrival<C>(handler: (request: Request, context: C) => Promise<Response>) {
  return (request: Request, context: C) => {
    receivedAt.set(request, new Date());
    return handler(request, context);
  };
}

type LoanParams = { loanId: string };

export function createLenderRoutes(options: { db?: Db } = {}) {
  const db = options.db ?? defaultDb;
  return {
    /** GET /api/lender/v1/loans?limit&startingAfter&state */
    listLoans: lenderApi(
      async (request, { orgId }) => {
        const query = loansQuery.parse(queryOf(request));
        const page = await listLenderLoanPage(db, orgId, { limit: query.limit, startingAfter: query.startingAfter, state: query.state });
        return Response.json({ object: "list", ...page }, { headers: NO_STORE });
      },
      { db },
    ),

    /** GET /api/lender/v1/loans/{loanId} */
    getLoan: lenderApi<LoanParams>(async (_request, { orgId, params }) => Response.json(await getLenderLoanOrThrow(db, orgId, params.loanId), { headers: NO_STORE }), { db }),

    /** POST /api/lender/v1/loans/{loanId}/freeze {mode, amountMicros?, reason} → 201 with the FreezeEvent and its latencyMs. */
    freeze: stampArrival(
      lenderApi<LoanParams>(
        async (request, { orgId, tokenId, params, body }) => {
          const input = freezeBody.parse(body);
          const result = await freezeLoanCollateral(db, {
            loanId: params.loanId,
            mode: input.mode,
            amountMicros: input.amountMicros,
            reason: input.reason,
            actor: { kind: "api", userId: null, orgId, tokenId },
            lenderOrgId: orgId,
            requestedAt: receivedAt.get(request) ?? new Date(),
          });
          return Response.json(serializeFreezeResult(result), { status: 201 });
        },
        { db, idempotent: true },
      ),
    ),

    /** POST /api/lender/v1/loans/{loanId}/unfreeze {mode, amountMicros?, reason} → 201 with the FreezeEvent. */
    unfreeze: stampArrival(
      lenderApi<LoanParams>(
        async (request, { orgId, tokenId, params, body }) => {
          const input = unfreezeBody.parse(body);
          const result = await unfreezeLoanCollateral(db, {
            loanId: params.loanId,
            mode: input.mode,
            amountMicros: input.amountMicros,
            reason: input.reason,
            actor: { kind: "api", userId: null, orgId, tokenId },
            lenderOrgId: orgId,
            requestedAt: receivedAt.get(request) ?? new Date(),
          });
          return Response.json(serializeFreezeResult(result), { status: 201 });
        },
        { db, idempotent: true },
      ),
    ),

    /**
     * POST /api/lender/v1/loans/{loanId}/liquidate {scope: PARTIAL|FULL, reason} → 201 with the sale
     * and its waterfall. The loan must be FROZEN (409 otherwise); PARTIAL sells the least that
     * restores maintenance + 5 points (so the margin call closes), FULL sells what pays the debt and
     * closes the loan — frozen credits first, then the rest of the collateral.
     */
    liquidate: lenderApi<LoanParams>(
      async (request, { orgId, tokenId, params, body }) => {
        const input = liquidateBody.parse(body);
        const result = await liquidateLoan(db, {
          loanId: params.loanId,
          scope: input.scope,
          reason: input.reason,
          actor: { kind: "api", userId: null, orgId, tokenId, role: "lender" },
          lenderOrgId: orgId,
        });
        return Response.json(serializeLiquidation(result), { status: 201 });
      },
      { db, idempotent: true },
    ),

    /** GET /api/lender/v1/alerts?state&loanId&limit&startingAfter */
    listAlerts: lenderApi(
      async (request, { orgId }) => {
        const query = alertsQuery.parse(queryOf(request));
        const page = await listLenderAlertPage(db, orgId, query);
        return Response.json({ object: "list", ...page }, { headers: NO_STORE });
      },
      { db },
    ),
  };
}

/** The app's handlers, on the process-wide database. */
export const lenderRoutes = createLenderRoutes();
