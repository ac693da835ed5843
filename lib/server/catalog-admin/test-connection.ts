import "@/lib/server/server-only";
import { openSecret } from "@/lib/server/crypto/secret-box";
import type { Db } from "@/lib/server/db/client";
import { adapterFor } from "@/lib/server/providers/registry";
import { UpstreamError, type ProviderKind, type ProviderRuntime } from "@/lib/server/providers/types";
import { providerNotFound } from "./common";

// "Test connection": one tiny request to the provider through its own adapter (the same client the
// routing API uses), a 1-token chat completion (or a one-word embedding for a provider that only
// serves embedding models). Nobody is charged: no hold, no ledger entry, no usage event. The
// circuit breaker is not told either way, so a test never opens or closes a circuit on live traffic.

export type ConnectionTestResult = {
  isOk: boolean;
  latencyMs: number;
  /** What was asked, so the admin knows which upstream model answered. */
  upstreamModel: string;
  message: string;
};

/** The simulator answers any model name; a remote upstream needs one it serves, taken from a route. */
const SIMULATOR_TEST_MODEL = "connection-test";

function parseConfig(json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function testProviderConnection(db: Db, input: { providerId: string }, options: { nowMs?: () => number } = {}): Promise<ConnectionTestResult> {
  const nowMs = options.nowMs ?? (() => performance.now());
  const row = await db.provider.findUnique({
    where: { id: input.providerId },
    include: { routes: { include: { model: { select: { kind: true } } }, orderBy: [{ isEnabled: "desc" }, { priority: "asc" }] } },
  });
  if (!row) throw providerNotFound();
  const chatRoute = row.routes.find((route) => route.model.kind === "chat");
  const route = chatRoute ?? row.routes[0];
  const kind = row.kind as ProviderKind;
  const upstreamModel = route?.upstreamModel ?? (kind === "simulator" ? SIMULATOR_TEST_MODEL : null);
  if (!upstreamModel) {
    return { isOk: false, latencyMs: 0, upstreamModel: "", message: "Add a route through this provider first: the test asks the upstream model a route names." };
  }

  let apiKey: string | null = null;
  if (row.apiKeyEncrypted) {
    try {
      apiKey = openSecret(row.apiKeyEncrypted);
    } catch {
      return { isOk: false, latencyMs: 0, upstreamModel, message: "The stored API key cannot be opened with this instance's encryption key; replace the key." };
    }
  }
  const provider: ProviderRuntime = { id: row.id, slug: row.slug, kind, baseUrl: row.baseUrl, apiKey, config: parseConfig(row.configJson), timeoutMs: row.timeoutMs };
  const adapter = adapterFor(kind);
  const controller = new AbortController();
  // The adapter enforces the provider's timeout; this only guarantees the admin an answer.
  const guard = setTimeout(() => controller.abort(new Error("timeout")), row.timeoutMs + 1_000);
  const startedAt = nowMs();
  const elapsed = () => Math.max(0, Math.round(nowMs() - startedAt));
  try {
    const isChat = route === undefined || route === chatRoute;
    if (isChat) {
      const result = await adapter.chat({ model: upstreamModel, messages: [{ role: "user", content: "ping" }], max_tokens: 1, stream: false }, { provider, upstreamModel, signal: controller.signal });
      if (result.kind === "stream") {
        // Asked for JSON; an adapter that streams anyway still proved the upstream answers.
        for await (const batch of result.batches) void batch;
      }
    } else {
      await adapter.embeddings({ model: upstreamModel, input: "ping" }, { provider, upstreamModel, signal: controller.signal });
    }
    const latencyMs = elapsed();
    return { isOk: true, latencyMs, upstreamModel, message: `Connected: ${row.name} answered ${upstreamModel} in ${latencyMs} ms.` };
  } catch (error) {
    const latencyMs = elapsed();
    if (error instanceof UpstreamError) return { isOk: false, latencyMs, upstreamModel, message: `${error.message} (${error.code.replace(/_/g, " ")}).` };
    const reason = controller.signal.aborted ? `no answer within ${row.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    return { isOk: false, latencyMs, upstreamModel, message: `Failed: ${reason}.` };
  } finally {
    clearTimeout(guard);
  }
}
