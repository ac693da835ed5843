/** How a concurrency limit reads: the organisation's own, or the default it falls back to. */
export function concurrencyLimitLabel(limit: number | null, defaultLimit: number): string {
  return limit === null ? `${defaultLimit.toLocaleString("en-US")} (default)` : limit.toLocaleString("en-US");
}
