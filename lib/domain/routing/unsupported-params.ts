// Chat Completions parameters the routing API cannot honour on every route. Passing such a
// parameter through silently would change the answer the client asked for (no log-probabilities,
// a second choice that never comes, audio that is never spoken) while looking like success, so
// each is refused with a 400 naming it. Parameters that only tune or label a request (user,
// metadata, store, parallel_tool_calls, service_tier, reasoning_effort, the penalties) pass.

export type UnsupportedParam = { param: string; message: string };

/** Absent, null or the value that asks for nothing: the parameter changes nothing. */
const isUnset = (value: unknown) => value === undefined || value === null;

type Rule = { param: string; isRefused: (value: unknown) => boolean; message: string };

const RULES: readonly Rule[] = [
  { param: "logprobs", isRefused: (v) => !isUnset(v) && v !== false, message: "logprobs is not supported by the routing API: its providers cannot all return log-probabilities. Remove it or set it to false." },
  { param: "top_logprobs", isRefused: (v) => !isUnset(v) && v !== 0, message: "top_logprobs is not supported by the routing API (log-probabilities are not returned). Remove it." },
  { param: "n", isRefused: (v) => !isUnset(v) && v !== 1, message: "Only n = 1 is supported: each request returns one choice. Send several requests for several choices." },
  {
    param: "logit_bias",
    isRefused: (v) => !isUnset(v) && !(typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0),
    message: "logit_bias is not supported by the routing API: its providers cannot all bias tokens. Remove it.",
  },
  { param: "prediction", isRefused: (v) => !isUnset(v), message: "Predicted outputs (prediction) are not supported by the routing API. Remove it." },
  { param: "audio", isRefused: (v) => !isUnset(v), message: "Audio output (audio) is not supported by the routing API. Remove it." },
  {
    param: "modalities",
    isRefused: (v) => !isUnset(v) && !(Array.isArray(v) && v.every((m) => m === "text")),
    message: 'Only text output is supported: modalities may only be ["text"].',
  },
  { param: "web_search_options", isRefused: (v) => !isUnset(v), message: "Web search (web_search_options) is not supported by the routing API. Remove it." },
  { param: "functions", isRefused: (v) => !isUnset(v), message: "The legacy `functions` parameter is not supported; send the same definitions as `tools` (type: function)." },
  { param: "function_call", isRefused: (v) => !isUnset(v), message: "The legacy `function_call` parameter is not supported; use `tool_choice` with `tools`." },
];

/** The parameter names this module refuses, for documentation and tests. */
export const REFUSED_CHAT_PARAMS: readonly string[] = RULES.map((rule) => rule.param);

/**
 * The first parameter of a Chat Completions body that would change the answer and is not
 * supported, or null. A few property reads: it runs on every request before anything else.
 */
export function findUnsupportedChatParam(body: unknown): UnsupportedParam | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  for (const rule of RULES) {
    if (rule.isRefused(record[rule.param])) return { param: rule.param, message: rule.message };
  }
  return null;
}
