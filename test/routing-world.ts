// A minimal routing world in a test database: one startup with credits and an API key, providers
// (the built-in simulator and OpenAI-compatible fakes on 127.0.0.1) and models routed to them.
import type { Db } from "@/lib/server/db/client";
import { issueCredits, openStartupAccounts } from "@/lib/server/ledger/ledger";
import { createApiKey } from "@/lib/server/services/api-keys";

let counter = 0;

export type ProviderSpec = { slug: string; kind: "simulator" | "openai_compatible" | "anthropic"; baseUrl?: string; config?: Record<string, unknown>; breakerFailures?: number; breakerCooldownMs?: number; timeoutMs?: number };
export type RouteSpec = { provider: string; priority?: number; inputPrice: bigint; outputPrice: bigint; upstreamModel?: string };
export type ModelSpec = { slug: string; kind?: "chat" | "embedding"; policy?: "PRIORITY" | "CHEAPEST"; contextWindow?: number; routes: RouteSpec[] };

export async function createStartupWithKey(db: Db, options: { creditsMicros: bigint; spendCapMicros?: bigint | null; rpmLimit?: number | null }) {
  counter++;
  const suffix = `${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
  const org = await db.organization.create({ data: { name: `Startup ${suffix}`, slug: `startup-${suffix}`, kind: "STARTUP" } });
  await openStartupAccounts(db, org.id);
  if (options.creditsMicros > 0n) await issueCredits(db, { orgId: org.id, amountMicros: options.creditsMicros, idempotencyKey: `seed-credits:${org.id}` });
  const { plaintext, apiKey } = await createApiKey(db, { orgId: org.id, createdById: "test", name: "test key", spendCapMicros: options.spendCapMicros ?? null, rpmLimit: options.rpmLimit ?? null });
  return { org, apiKey, plaintext };
}

export async function createCatalog(db: Db, providers: ProviderSpec[], models: ModelSpec[]) {
  const providerIds = new Map<string, string>();
  for (const spec of providers) {
    const row = await db.provider.upsert({
      where: { slug: spec.slug },
      update: { baseUrl: spec.baseUrl ?? null, configJson: JSON.stringify(spec.config ?? {}), isEnabled: true },
      create: {
        slug: spec.slug,
        name: spec.slug,
        kind: spec.kind,
        baseUrl: spec.baseUrl ?? null,
        configJson: JSON.stringify(spec.config ?? {}),
        breakerFailures: spec.breakerFailures ?? 3,
        breakerCooldownMs: spec.breakerCooldownMs ?? 60_000,
        timeoutMs: spec.timeoutMs ?? 5_000,
      },
    });
    providerIds.set(spec.slug, row.id);
  }
  for (const spec of models) {
    const model = await db.model.create({
      data: { slug: spec.slug, displayName: spec.slug, kind: spec.kind ?? "chat", routingPolicy: spec.policy ?? "PRIORITY", contextWindow: spec.contextWindow ?? 128_000 },
    });
    for (const [index, route] of spec.routes.entries()) {
      await db.modelRoute.create({
        data: {
          modelId: model.id,
          providerId: providerIds.get(route.provider)!,
          upstreamModel: route.upstreamModel ?? `${spec.slug}-upstream`,
          priority: route.priority ?? index,
          inputPriceMicrosPerMTokens: route.inputPrice,
          outputPriceMicrosPerMTokens: route.outputPrice,
        },
      });
    }
  }
}
