import "@/lib/server/server-only";
import { z } from "zod";
import { requestCostMicros } from "@/lib/domain/money";
import type { Db } from "@/lib/server/db/client";
import { adapterFor } from "@/lib/server/providers/registry";
import { UpstreamError } from "@/lib/server/providers/types";
import { reportFailure, reportSuccess, tryAcquire } from "./breakers";
import { authenticateRequest, enforceRateLimit, errorReply, findModelOrThrow, parseWith, planOrThrow, readJsonBody, reserveOrThrow } from "./gateway";
import { settleRequest } from "./metering";
import { OpenAiError } from "./openai-errors";
import { jsonReply, newRequestId, type GatewayReply, type GatewayRequest } from "./reply";
import { countTokens } from "./tokenizer";

const embeddingsSchema = z.looseObject({
  model: z.string().min(1, "a model is required"),
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

export async function handleEmbeddings(db: Db, request: GatewayRequest): Promise<GatewayReply> {
  const requestId = newRequestId();
  const startedAt = Date.now();
  const now = new Date(startedAt);
  try {
    const caller = await authenticateRequest(db, request, now);
    enforceRateLimit(caller, startedAt);
    const body = parseWith(embeddingsSchema, await readJsonBody(request));
    const model = await findModelOrThrow(db, body.model, "embedding");
    const estimatedInputTokens = inputTokens(body.input);
    if (estimatedInputTokens > model.contextWindow * 2048) throw new OpenAiError(400, "input_too_long", "The input is too long for this model.", "input");
    const candidates = planOrThrow(model, request, estimatedInputTokens, 0, startedAt);
    const worstCaseMicros = candidates.reduce((max, c) => (c.worstCaseCostMicros > max ? c.worstCaseCostMicros : max), 0n);
    const hold = await reserveOrThrow(db, caller, requestId, worstCaseMicros > 0n ? worstCaseMicros : 1n, model.slug, now);
    let lastError: UpstreamError | null = null;
    for (const route of candidates) {
      if (!tryAcquire(route.providerId, Date.now(), route.breakerCooldownMs)) continue;
      try {
        const result = await adapterFor(route.provider.kind).embeddings(
          { ...body, model: route.upstreamModel },
          { provider: route.provider, upstreamModel: route.upstreamModel, signal: request.signal },
        );
        reportSuccess(route.providerId);
        const usage = result.usage ?? { inputTokens: estimatedInputTokens, outputTokens: 0 };
        const settled = await settleRequest(db, {
          holdId: hold.id,
          actualMicros: requestCostMicros({ inputTokens: usage.inputTokens, outputTokens: 0, inputPriceMicrosPerMTokens: route.inputPriceMicrosPerMTokens, outputPriceMicrosPerMTokens: route.outputPriceMicrosPerMTokens }),
          now: new Date(),
          apiKey: caller.apiKey,
          usage: { orgId: caller.orgId, apiKeyId: caller.apiKey.id, requestId, modelSlug: model.slug, providerSlug: route.providerSlug, endpoint: "embeddings", inputTokens: usage.inputTokens, outputTokens: 0, latencyMs: Date.now() - startedAt, status: "ok" },
        });
        return jsonReply(
          {
            ...result.body,
            model: model.slug,
            usage: { prompt_tokens: usage.inputTokens, total_tokens: usage.inputTokens },
            x_blockable: { request_id: requestId, provider: route.providerSlug, cost_micros: settled.chargedMicros.toString(), spendable_left_micros: settled.spendableLeftMicros.toString() },
          },
          { headers: { "x-request-id": requestId } },
        );
      } catch (error) {
        if (error instanceof UpstreamError && !error.isRetryable) {
          reportSuccess(route.providerId);
          lastError = error;
          break;
        }
        reportFailure(route.providerId, Date.now(), route.breakerFailures);
        lastError = error instanceof UpstreamError ? error : new UpstreamError(502, (error as Error).message, true, null, "connect_error");
      }
    }
    await settleRequest(db, {
      holdId: hold.id,
      actualMicros: 0n,
      now: new Date(),
      apiKey: caller.apiKey,
      usage: { orgId: caller.orgId, apiKeyId: caller.apiKey.id, requestId, modelSlug: model.slug, providerSlug: candidates.at(-1)!.providerSlug, endpoint: "embeddings", inputTokens: 0, outputTokens: 0, latencyMs: Date.now() - startedAt, status: "error" },
    });
    if (lastError && !lastError.isRetryable) throw new OpenAiError(400, "upstream_bad_request", lastError.message);
    throw new OpenAiError(502, "upstream_error", `Every provider for ${model.slug} failed${lastError ? `: ${lastError.message}` : ""}.`, null, "api_error");
  } catch (error) {
    return errorReply(error, requestId);
  }
}
