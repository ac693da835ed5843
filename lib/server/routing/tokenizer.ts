import "@/lib/server/server-only";
import { countTokens as countO200kTokens } from "gpt-tokenizer/encoding/o200k_base";

/**
 * A real BPE tokenizer (OpenAI's o200k_base) for the input estimate behind every hold and for
 * counting output when an upstream reports no usage. For other model families it is an estimate;
 * settlement prefers the upstream's own usage whenever it sends one.
 */
export function countTokens(text: string): number {
  return text ? countO200kTokens(text) : 0;
}
