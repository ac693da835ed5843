// The platform defaults behind the per-key and per-organisation limits, from the environment.

export const DEFAULT_KEY_RPM = 600;
export const DEFAULT_ORG_CONCURRENCY = 64;
/** The most an admin may set an organisation's concurrency limit to. */
export const MAX_ORG_CONCURRENCY = 100_000;
export const MINUTE_MS = 60_000;
/** Longer than any routed request may run, so only a dead process's leases ever expire. */
export const IN_FLIGHT_LEASE_MS = 15 * 60_000;

export type LimitDefaults = { keyRpm: number; orgConcurrency: number };

function positiveIntegerFrom(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, not "${env[name]}"`);
  return value;
}

/** BLOCKABLE_DEFAULT_KEY_RPM (600) and BLOCKABLE_DEFAULT_ORG_CONCURRENCY (64); a malformed value is an error naming it. */
export function limitDefaultsFromEnv(env: Record<string, string | undefined>): LimitDefaults {
  return {
    keyRpm: positiveIntegerFrom(env, "BLOCKABLE_DEFAULT_KEY_RPM", DEFAULT_KEY_RPM),
    orgConcurrency: positiveIntegerFrom(env, "BLOCKABLE_DEFAULT_ORG_CONCURRENCY", DEFAULT_ORG_CONCURRENCY),
  };
}

/** A key's own limit when it has one, else the platform default. */
export function effectiveKeyRpm(rpmLimit: number | null, defaults: LimitDefaults): { rpm: number; isDefault: boolean } {
  return rpmLimit != null && rpmLimit > 0 ? { rpm: rpmLimit, isDefault: false } : { rpm: defaults.keyRpm, isDefault: true };
}

/** What a 429 says: which limit, its value, and when to retry. */
export function rateLimitMessage(rpm: number, isDefault: boolean, retryAfterSeconds: number): string {
  const which = isDefault ? "the platform default for API keys without their own limit" : "this API key's limit";
  return `Rate limit reached: ${rpm.toLocaleString("en-US")} requests per minute (${which}). Retry in ${retryAfterSeconds} s.`;
}

export function concurrencyLimitMessage(limit: number, retryAfterSeconds: number): string {
  return `Concurrency limit reached: your organisation may have ${limit.toLocaleString("en-US")} requests in flight at once. Retry in ${retryAfterSeconds} s, once one of them has finished.`;
}
