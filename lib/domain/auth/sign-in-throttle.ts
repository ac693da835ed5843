// Sign-in throttling, the rules: how many failed sign-ins an account and a client address may have
// in a window, where the client's address is read from, and what a refused attempt is told.
//
// Failures are counted per account (its normalised email, whether or not such an account exists,
// so the refusal says nothing about who has an account) and per client address (password spraying
// over many emails from one place). The account's limit is low: a person mistyping their password
// never reaches it. The address's is high: an office, a NAT or the test suite signs in many people
// from one address, and only failures count.
//
// The login form imports this file for the message too: it stays free of Node's modules.

export const SIGN_IN_THROTTLE_WINDOW_MS = 15 * 60_000;
export const DEFAULT_MAX_FAILURES_PER_ACCOUNT = 10;
export const DEFAULT_MAX_FAILURES_PER_ADDRESS = 100;
/** More proxies than this in front of one app is a typo, not a deployment. */
export const MAX_TRUSTED_PROXIES = 10;

export type SignInThrottlePolicy = {
  windowMs: number;
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  /** How many reverse proxies in front of the app append to X-Forwarded-For (see `throttleAddressEntry`). */
  trustedProxies: number;
};

type Env = Record<string, string | undefined>;

function wholeNumberFrom(env: Env, name: string, fallback: number, least: number, most: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < least || value > most) {
    throw new Error(`${name} must be a whole number from ${least} to ${most.toLocaleString("en-US")}, not "${env[name]}"`);
  }
  return value;
}

/**
 * BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ACCOUNT (10), BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ADDRESS (100)
 * and BLOCKABLE_TRUSTED_PROXIES (0), over a 15-minute window; a malformed value is an error naming it.
 */
export function signInThrottlePolicyFromEnv(env: Env): SignInThrottlePolicy {
  return {
    windowMs: SIGN_IN_THROTTLE_WINDOW_MS,
    maxFailuresPerAccount: wholeNumberFrom(env, "BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ACCOUNT", DEFAULT_MAX_FAILURES_PER_ACCOUNT, 1, 1_000_000),
    maxFailuresPerAddress: wholeNumberFrom(env, "BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ADDRESS", DEFAULT_MAX_FAILURES_PER_ADDRESS, 1, 1_000_000),
    trustedProxies: wholeNumberFrom(env, "BLOCKABLE_TRUSTED_PROXIES", 0, 0, MAX_TRUSTED_PROXIES),
  };
}

/**
 * The X-Forwarded-For entry that names the client, counted from the right: each proxy appends the
 * address it received the request from, so only the entries the app's own proxies wrote can be
 * believed, and everything left of them is whatever the client sent.
 *
 * - No proxy (`trustedProxies` 0): Next.js itself writes the socket's address into X-Forwarded-For
 *   when the request has none, and keeps the header as it is when it has one. The right-most entry
 *   is then the socket's address, or a value the client wrote, which this cannot tell apart: a
 *   client that talks to Next.js directly can dodge the per-address limit (not the per-account
 *   one). Deploy behind a proxy that sets the header.
 * - One proxy (nginx's `$proxy_add_x_forwarded_for`, Caddy, a load balancer): the right-most entry
 *   is the address that proxy saw; the same entry as above, now trustworthy.
 * - N proxies (a CDN, then nginx): the N-th entry from the right.
 *
 * A header with fewer entries than that (a request that skipped a proxy) yields its left-most.
 */
export function throttleAddressEntry(forwardedFor: string | readonly string[] | null | undefined, trustedProxies: number): string | null {
  const joined = Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor as string | null | undefined);
  const entries = (joined ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return null;
  return entries[Math.max(0, entries.length - Math.max(1, trustedProxies))];
}

/**
 * What a client address is counted as: an IPv4 address as itself, an IPv6 address as its /64 (one
 * subscriber's whole network: anybody with one has 2^64 addresses to rotate through). Expects an
 * address already checked to be an IP (`clientAddressFrom`); anything else is kept as written.
 */
export function throttleAddressKey(address: string): string {
  if (!address.includes(":")) return address;
  const groups = expandIpv6(address);
  if (!groups) return address;
  return `${groups.slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros; null if it is not one. */
function expandIpv6(address: string): string[] | null {
  let text = address.toLowerCase().replace(/%.*$/, "");
  // An embedded IPv4 tail (::ffff:192.0.2.1) is two groups.
  const ipv4Tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (ipv4Tail) {
    const [a, b, c, d] = ipv4Tail.slice(1).map(Number);
    text = `${text.slice(0, ipv4Tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return groups.map((group) => parseInt(group, 16).toString(16));
}

// ───────────────────────────── The refusal ─────────────────────────────

/**
 * The error next-auth hands the login form for a throttled attempt (the `error` of signIn's
 * answer): the code and the wait in whole seconds, e.g. "TooManyAttempts:540".
 */
export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

export function tooManyAttemptsError(retryAfterMs: number): string {
  return `${TOO_MANY_ATTEMPTS}:${Math.max(1, Math.ceil(retryAfterMs / 1_000))}`;
}

/** The wait carried by a throttled attempt's error, in ms; null for any other error. */
export function retryAfterMsOfSignInError(error: string | null | undefined): number | null {
  const match = /^TooManyAttempts:(\d{1,9})$/.exec(error ?? "");
  return match ? Number(match[1]) * 1_000 : null;
}

/** "Too many sign-in attempts. Try again in 9 minutes." The wait is rounded up, never "0 minutes". */
export function tooManyAttemptsMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many sign-in attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}
