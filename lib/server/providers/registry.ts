import "@/lib/server/server-only";
import { anthropicAdapter } from "./anthropic";
import { openAiCompatibleAdapter } from "./openai-compatible";
import { countTokens } from "@/lib/server/routing/tokenizer";
import { createSimulatorAdapter } from "./simulator";
import type { ProviderAdapter, ProviderKind } from "./types";

/** Adding a provider is adding its folder and one line here; the type makes a missing line a compile error. */
const ADAPTERS: Record<ProviderKind, ProviderAdapter> = {
  openai_compatible: openAiCompatibleAdapter,
  anthropic: anthropicAdapter,
  simulator: createSimulatorAdapter(countTokens),
};

export function adapterFor(kind: ProviderKind): ProviderAdapter {
  const adapter = ADAPTERS[kind];
  if (!adapter) throw new Error(`No provider adapter for kind "${kind}"`);
  return adapter;
}
