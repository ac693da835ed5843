import "@/lib/server/server-only";
import { z } from "zod";
import { OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import { dayNumber, isCalendarDay } from "@/lib/domain/valuation/days";
import type { Db } from "@/lib/server/db/client";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import { authenticateRequest, errorToResponse, parseWith } from "./gateway";
import { getCatalog } from "./catalog";
import { OpenAiError } from "./openai-errors";
import { newRequestId } from "./reply";


export async function handleCredits(db: Db, request: Request): Promise<Response> {
  const requestId = newRequestId();
  try {
    const caller = await authenticateRequest(db, request, new Date());
    const [balances, loan] = await Promise.all([
      getCreditBalances(db, caller.orgId),
      db.loan.findFirst({ where: { startupOrgId: caller.orgId, state: { in: [...OPEN_LOAN_STATES] } }, select: { multiplierBps: true, state: true, reference: true } }),
    ]);
    return Response.json(
      {
        object: "credits",
        currency: "usd",
        unit: "micro_usd",
        spendable_micros: balances.spendableMicros.toString(),
        held_micros: balances.heldMicros.toString(),
        frozen_micros: balances.frozenMicros.toString(),
        pledged_micros: balances.pledgedMicros.toString(),
        financed_micros: balances.financedMicros.toString(),
        financing: loan ? { reference: loan.reference, state: loan.state, multiplier_bps: loan.multiplierBps } : null,
      },
      { headers: { "x-request-id": requestId, "cache-control": "no-store" } },
    );
  } catch (error) {
    return errorToResponse(error, requestId);
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A real UTC calendar day: "2026-99-99" and "0000-00-00" are refused, not compared as text. */
const usageDay = z.string().regex(DAY, "use YYYY-MM-DD").refine(isCalendarDay, "not a real calendar date (YYYY-MM-DD)");
const MAX_RANGE_DAYS = 366;
const usageQuerySchema = z
  .object({ start: usageDay, end: usageDay })
  .refine((q) => q.start <= q.end, { message: "start must not be after end", path: ["start"] })
  // Computed from the parsed days, so no spelling of a date can skip the cap. (zod runs an object's
  // refinements even when a field's failed: a day that is not one is that field's error, not this.)
  .refine((q) => !isCalendarDay(q.start) || !isCalendarDay(q.end) || dayNumber(q.end) - dayNumber(q.start) <= MAX_RANGE_DAYS, {
    message: `The range can cover at most ${MAX_RANGE_DAYS} days.`,
    path: ["start"],
  });

/** Totals by model and provider over whole UTC days, read from the daily rollups. */
export async function handleUsage(db: Db, request: Request): Promise<Response> {
  const requestId = newRequestId();
  try {
    const caller = await authenticateRequest(db, request, new Date());
    const url = new URL(request.url);
    const today = new Date().toISOString().slice(0, 10);
    const query = parseWith(usageQuerySchema, { start: url.searchParams.get("start") ?? today, end: url.searchParams.get("end") ?? today });
    const rows = await db.usageDaily.groupBy({
      by: ["modelSlug", "providerSlug"],
      where: { orgId: caller.orgId, day: { gte: query.start, lte: query.end } },
      _sum: { requests: true, inputTokens: true, outputTokens: true, costMicros: true },
      orderBy: [{ modelSlug: "asc" }, { providerSlug: "asc" }],
    });
    const data = rows.map((row) => ({
      model: row.modelSlug,
      provider: row.providerSlug,
      requests: row._sum.requests ?? 0,
      input_tokens: (row._sum.inputTokens ?? 0n).toString(),
      output_tokens: (row._sum.outputTokens ?? 0n).toString(),
      cost_micros: (row._sum.costMicros ?? 0n).toString(),
    }));
    const total = rows.reduce(
      (sum, row) => ({ requests: sum.requests + (row._sum.requests ?? 0), costMicros: sum.costMicros + (row._sum.costMicros ?? 0n) }),
      { requests: 0, costMicros: 0n },
    );
    return Response.json(
      { object: "usage", start: query.start, end: query.end, data, total: { requests: total.requests, cost_micros: total.costMicros.toString() } },
      { headers: { "x-request-id": requestId, "cache-control": "no-store" } },
    );
  } catch (error) {
    return errorToResponse(error, requestId);
  }
}

function modelObject(model: { slug: string; createdAt: Date; ownedBy: string; kind: string; contextWindow: number; displayName: string }) {
  return {
    id: model.slug,
    object: "model",
    created: Math.floor(model.createdAt.getTime() / 1000),
    owned_by: model.ownedBy,
    x_blockable: { name: model.displayName, kind: model.kind, context_window: model.contextWindow },
  };
}

export async function handleListModels(db: Db, request: Request): Promise<Response> {
  const requestId = newRequestId();
  try {
    await authenticateRequest(db, request, new Date());
    const models = [...(await getCatalog(db)).values()].sort((a, b) => a.slug.localeCompare(b.slug));
    return Response.json({ object: "list", data: models.map(modelObject) }, { headers: { "x-request-id": requestId } });
  } catch (error) {
    return errorToResponse(error, requestId);
  }
}

export async function handleGetModel(db: Db, request: Request, modelId: string): Promise<Response> {
  const requestId = newRequestId();
  try {
    await authenticateRequest(db, request, new Date());
    const model = (await getCatalog(db)).get(modelId);
    if (!model) throw new OpenAiError(404, "model_not_found", `The model \`${modelId}\` does not exist.`, "model");
    return Response.json(modelObject(model), { headers: { "x-request-id": requestId } });
  } catch (error) {
    return errorToResponse(error, requestId);
  }
}
