// The two numbers a hold is sized from: the prompt's token count (estimated before the upstream
// sees it) and the most the upstream may generate. The tokenizer is passed in, so this stays pure
// and tests can count with a stub.

/** The parts of an OpenAI chat message that cost prompt tokens; wider message types fit. */
export type TokenCountableMessage = {
  role: string;
  name?: string | null;
  content?: string | null | ReadonlyArray<{ type: string; text?: string }>;
  tool_calls?: readonly unknown[] | null;
  tool_call_id?: string | null;
};

/**
 * OpenAI's chat format wraps each message in `<|start|>{role/name}\n{content}<|end|>\n` (3 tokens
 * besides the text, one more when a name is given) and primes the reply with
 * `<|start|>assistant<|message|>` (3 tokens). Same figures as OpenAI's cookbook counter.
 */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const REPLY_PRIMING_TOKENS = 3;

function assertTokenCount(tokens: number, text: string) {
  if (!Number.isSafeInteger(tokens) || tokens < 0) throw new RangeError(`countTokens returned ${tokens} for a text of ${text.length} characters`);
  return tokens;
}

/**
 * Prompt tokens of a chat request. Only text is counted: image and audio parts have no text to
 * tokenize, so for them this is a lower bound and settlement uses the upstream's own usage.
 * Tool calls and tool definitions are counted as their JSON, which is what the upstream reads.
 */
export function estimateInputTokens(messages: readonly TokenCountableMessage[], countTokens: (text: string) => number, tools?: readonly unknown[] | null): number {
  const count = (text: string) => (text ? assertTokenCount(countTokens(text), text) : 0);
  let tokens = REPLY_PRIMING_TOKENS;
  for (const message of messages) {
    tokens += TOKENS_PER_MESSAGE + count(message.role);
    if (message.name) tokens += TOKENS_PER_NAME + count(message.name);
    if (typeof message.content === "string") tokens += count(message.content);
    else if (Array.isArray(message.content)) {
      for (const part of message.content) if (part.type === "text" && typeof part.text === "string") tokens += count(part.text);
    }
    if (message.tool_calls?.length) tokens += count(JSON.stringify(message.tool_calls));
    if (message.tool_call_id) tokens += count(message.tool_call_id);
  }
  if (tools?.length) tokens += count(JSON.stringify(tools));
  return tokens;
}

export type OutputLimitRequest = { max_tokens?: number | null; max_completion_tokens?: number | null };

export type OutputLimitField = "max_completion_tokens" | "max_tokens";

export type MaxOutputTokensResult =
  | { ok: true; maxOutputTokens: number; source: OutputLimitField | "default" }
  /** `param` names the request field to blame in the 400 (`messages` when the prompt alone is too long). */
  | { ok: false; param: OutputLimitField | "messages"; message: string };

const formatTokens = (tokens: number) => tokens.toLocaleString("en-US");

/**
 * The output budget the hold pays for: `max_completion_tokens ?? max_tokens ??
 * min(defaultMaxTokens, contextWindow − input)`. A request that cannot fit the model's context
 * window is refused here rather than reserved for and then rejected by the upstream.
 */
export function maxOutputTokens(
  request: OutputLimitRequest,
  limits: { estimatedInputTokens: number; contextWindowTokens: number; defaultMaxTokens: number },
): MaxOutputTokensResult {
  const { estimatedInputTokens, contextWindowTokens, defaultMaxTokens } = limits;
  const roomTokens = contextWindowTokens - estimatedInputTokens;
  if (roomTokens <= 0) {
    return {
      ok: false,
      param: "messages",
      message: `The messages are about ${formatTokens(estimatedInputTokens)} tokens, which leaves no room for a reply in the model's context window of ${formatTokens(contextWindowTokens)} tokens.`,
    };
  }
  const field: OutputLimitField | null = request.max_completion_tokens != null ? "max_completion_tokens" : request.max_tokens != null ? "max_tokens" : null;
  if (field === null) return { ok: true, maxOutputTokens: Math.min(defaultMaxTokens, roomTokens), source: "default" };
  const requested = request[field]!;
  if (!Number.isSafeInteger(requested) || requested < 1) {
    return { ok: false, param: field, message: `${field} must be a whole number of at least 1, got ${requested}.` };
  }
  if (requested > roomTokens) {
    return {
      ok: false,
      param: field,
      message: `${field} is ${formatTokens(requested)}, but the messages are about ${formatTokens(estimatedInputTokens)} tokens and the model's context window is ${formatTokens(contextWindowTokens)}: at most ${formatTokens(roomTokens)} tokens are left for the reply.`,
    };
  }
  return { ok: true, maxOutputTokens: requested, source: field };
}
