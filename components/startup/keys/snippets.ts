// The quickstart panel's snippets: the official `openai` clients (Node, Python), the Vercel AI SDK
// and curl, pointed at this install's routing API. The key itself is never in a snippet: each reads
// BLOCKABLE_API_KEY from the environment, and the `export` line names the key by its prefix.

export type Snippet = { id: "node" | "python" | "ai-sdk" | "curl"; label: string; code: string };

export const API_KEY_ENV = "BLOCKABLE_API_KEY";
const FALLBACK_MODEL = "your-model";

/** `sk-bl-Ab3xQ9…` for a key whose prefix is known, `sk-bl-…` otherwise. */
export function keyHint(prefix: string | null): string {
  return `${prefix ?? "sk-bl-"}…`;
}

/** A JavaScript/Python string literal (double-quoted, JSON escapes are valid in both). */
const quoted = (text: string) => JSON.stringify(text);

/** A shell word in single quotes. */
const shellQuoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export function quickstartSnippets({ baseUrl, keyPrefix, model }: { baseUrl: string; keyPrefix: string | null; model: string | null }): Snippet[] {
  const modelId = model ?? FALLBACK_MODEL;
  const envLine = `export ${API_KEY_ENV}="${keyHint(keyPrefix)}"  # paste the whole key you copied`;
  const body = JSON.stringify({ model: modelId, messages: [{ role: "user", content: "Hello!" }] });
  return [
    {
      id: "node",
      label: "Node (openai)",
      code: `// npm install openai
import OpenAI from "openai";

const client = new OpenAI({
  baseURL: ${quoted(baseUrl)},
  apiKey: process.env.${API_KEY_ENV}, // ${keyHint(keyPrefix)}
});

const completion = await client.chat.completions.create({
  model: ${quoted(modelId)},
  messages: [{ role: "user", content: "Hello!" }],
});
console.log(completion.choices[0].message.content);`,
    },
    {
      id: "python",
      label: "Python (openai)",
      code: `# pip install openai
import os
from openai import OpenAI

client = OpenAI(
    base_url=${quoted(baseUrl)},
    api_key=os.environ["${API_KEY_ENV}"],  # ${keyHint(keyPrefix)}
)

completion = client.chat.completions.create(
    model=${quoted(modelId)},
    messages=[{"role": "user", "content": "Hello!"}],
)
print(completion.choices[0].message.content)`,
    },
    {
      id: "ai-sdk",
      label: "Vercel AI SDK",
      code: `// npm install ai @ai-sdk/openai-compatible
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText } from "ai";

const blockable = createOpenAICompatible({
  name: "blockable",
  baseURL: ${quoted(baseUrl)},
  apiKey: process.env.${API_KEY_ENV}, // ${keyHint(keyPrefix)}
});

const { text } = await generateText({
  model: blockable(${quoted(modelId)}),
  prompt: "Hello!",
});
console.log(text);`,
    },
    {
      id: "curl",
      label: "curl",
      code: `${envLine}

curl ${shellQuoted(`${baseUrl}/chat/completions`)} \\
  -H "Authorization: Bearer $${API_KEY_ENV}" \\
  -H "Content-Type: application/json" \\
  -d ${shellQuoted(body)}`,
    },
  ];
}

/** Spend shown to the cent, or to the µUSD when it is under a cent (a few requests cost fractions of one). */
export function spendDecimals(micros: bigint): number {
  return micros > 0n && micros < 10_000n ? 6 : 2;
}

export type KeyStatus = "active" | "revoked" | "cap reached";

/** Revoked wins; a capped key whose spend (settled plus in flight) reached its cap refuses new requests. */
export function keyStatus(key: { revokedAt: string | null; spendCapMicros: string | null; spentTowardCapMicros: string }): KeyStatus {
  if (key.revokedAt !== null) return "revoked";
  if (key.spendCapMicros !== null && BigInt(key.spentTowardCapMicros) >= BigInt(key.spendCapMicros)) return "cap reached";
  return "active";
}
