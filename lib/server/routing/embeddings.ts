import "@/lib/server/server-only";
import { z } from "zod";
import { requestCostMicros } from "@/lib/domain/money";
import type { Db } from "@/lib/server/db/client";
import { adapterFor } from "@/lib/server/providers/registry";
import type { Usage } from "@/lib/server/providers/types";
import { authenticateRequest, errorReply, findModelOrThrow, parseWith, planOrThrow, readJsonBody, reserveOrThrow, worstCaseOf } from "./edge";
import { runFailover } from "./failover";
import { settleRequest, type UsageRecord } from "./metering";
import { OpenAiError } from "./openai-errors";
import { admitRequest } from "./rate-limits";
import { jsonReply, newRequestId, type GatewayReply, type GatewayRequest } from "./reply";
import { countTokens } from "./tokenizer";

const embeddingsSchema = z.looseObject({
  model: z.string().min(1, "a model is required").max(256),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048), z.array(z.number().int()).min(1), z.array(z.array(z.number().int()).min(1)).min(1).max(2048)]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().min(1).max(8192).optional(),
  user: z.string().optional(),
});

function inputTokens(input: z.infer<typeof embeddingsSchema>["input"]): number {
  if (typeof input === "string") return countTokens(input);
  if (input.length === 0) return 0;
  if (typeof input[0] === "string") return (input as string[]).reduce((sum, text) => sum + countTokens(text), 0);
  if (typeof input[0] === "number") return input.length;
  return (input as number[][]).reduce((sum, tokens) => sum + tokens.length, 0);
}

/**
 * POST /api/v1/embeddings: authenticate, admit, hold, then the same failover loop as chat
 * (failover.ts), settled in one transaction. Rate-limit headers go on every reply after admission.
 */
export async function handleEmbeddings(db: Db, request: GatewayRequest): Promise<GatewayReply> {
  const requestId = newRequestId();
  const startedAt = Date.now();
  const now = new Date(startedAt);
  let limitHeaders: Record<string, string> | undefined;
  let release: (() => void) | null = null;
  try {
    const caller = await authenticateRequest(db, request, now);
    const admission = await admitRequest(db, caller, startedAt);
    limitHeaders = admission.headers;
    release = admission.release;
    const body = parseWith(embeddingsSchema, await readJsonBody(request));
    const model = await findModelOrThrow(db, body.model, "embedding");
    const estimatedInputTokens = inputTokens(body.input);
    if (estimatedInputTokens > model.contextWindow * 2048) throw new OpenAiError(400, "input_too_long", "The input is too long for this model.", "input");
    const candidates = planOrThrow(model, request, estimatedInputTokens, 0, startedAt);
    const worstCaseMicros = worstCaseOf(candidates);
    const hold = await reserveOrThrow(db, caller, requestId, worstCaseMicros > 0n ? worstCaseMicros : 1n, model.slug, now);
    const settle = (providerSlug: string, actualMicros: bigint, usage: Usage, status: UsageRecord["status"]) =>
      settleRequest(db, {
        holdId: hold.id,
        actualMicros,
        now: new Date(),
        apiKey: caller.apiKey,
        usage: { orgId: caller.orgId, apiKeyId: caller.apiKey.id, requestId, modelSlug: model.slug, providerSlug, endpoint: "embeddings", ...usage, latencyMs: Date.now() - startedAt, status },
      });

    const outcome = await runFailover(
      candidates,
      (route) => adapterFor(route.provider.kind).embeddings({ ...body, model: route.upstreamModel }, { provider: route.provider, upstreamModel: route.upstreamModel, signal: request.signal }),
      { signal: request.signal, requestId },
    );
    if (!outcome.ok) {
      const providerSlug = (outcome.route ?? candidates.at(-1)!).providerSlug;
      // A client that left is not billed and not answered; the provider is not blamed either.
      await settle(providerSlug, 0n, { inputTokens: 0, outputTokens: 0 }, outcome.error === null ? "aborted" : "error");
      if (outcome.error === null) return { kind: "empty", status: 499, headers: { "x-request-id": requestId, ...limitHeaders } };
      throw outcome.error;
    }
    const { route, value: result } = outcome;
    const usage = result.usage ?? { inputTokens: estimatedInputTokens, outputTokens: 0 };
    const actualMicros = requestCostMicros({ inputTokens: usage.inputTokens, outputTokens: 0, inputPriceMicrosPerMTokens: route.inputPriceMicrosPerMTokens, outputPriceMicrosPerMTokens: route.outputPriceMicrosPerMTokens });
    const settled = await settle(route.providerSlug, actualMicros, { inputTokens: usage.inputTokens, outputTokens: 0 }, "ok");
    return jsonReply(
      {
        ...result.body,
        model: model.slug,
        usage: { prompt_tokens: usage.inputTokens, total_tokens: usage.inputTokens },
        x_blockable: { request_id: requestId, provider: route.providerSlug, cost_micros: settled.chargedMicros.toString(), spendable_left_micros: settled.spendableLeftMicros.toString() },
      },
      { headers: { "x-request-id": requestId, ...limitHeaders } },
    );
  } catch (error) {
    return errorReply(error, requestId, limitHeaders);
  } finally {
    release?.();
  }
}
