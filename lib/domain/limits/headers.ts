// OpenAI's rate-limit headers, which its SDKs and many tools read to pace themselves:
// x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests (a Go-style
// duration: "1s", "6m0s", "120ms"), and retry-after (whole seconds) on a 429.

/** Go's time.Duration format at millisecond precision, as OpenAI prints it: 0s, 120ms, 1.5s, 6m0s, 1h2m3s. */
export function formatOpenAiDuration(ms: number): string {
  const totalMs = Math.max(0, Math.ceil(ms));
  if (totalMs === 0) return "0s";
  if (totalMs < 1_000) return `${totalMs}ms`;
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor((totalMs % 3_600_000) / 60_000);
  const restMs = totalMs % 60_000;
  const seconds = `${Math.floor(restMs / 1_000)}${restMs % 1_000 ? `.${String(restMs % 1_000).padStart(3, "0").replace(/0+$/, "")}` : ""}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

/** retry-after in whole seconds, rounded up and never 0 (a client told "0" retries at once). */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1_000));
}

export function rateLimitHeaders(window: { limit: number; remaining: number; resetMs: number }): Record<string, string> {
  return {
    "x-ratelimit-limit-requests": String(window.limit),
    "x-ratelimit-remaining-requests": String(window.remaining),
    "x-ratelimit-reset-requests": formatOpenAiDuration(window.resetMs),
  };
}
