import "@/lib/server/server-only";
import { createHash } from "node:crypto";
import { clientAddressFrom } from "@/lib/domain/auth/client-address";
import { signInThrottlePolicyFromEnv, throttleAddressEntry, throttleAddressKey, type SignInThrottlePolicy } from "@/lib/domain/auth/sign-in-throttle";
import type { Db } from "@/lib/server/db/client";
import { sharedLimitStore } from "@/lib/server/limits/shared";
import type { LimitStore } from "@/lib/server/limits/store";
import { processWide } from "@/lib/server/process-wide";

/**
 * Failed sign-ins, counted in the limit store every instance shares (the database, or Redis when
 * REDIS_URL is set), per account and per client address.
 *
 * An attempt is first admitted or refused (`admit`), before any user is looked up or any password
 * hashed, so a refusal is cheap and takes the same path for every email:
 * - the address's failures are read (a peek: nothing counted);
 * - the account's window is hit: the attempt counts as a failure from the start, so parallel
 *   attempts on one account cannot all slip in before the first failure is written, and exactly
 *   `maxFailuresPerAccount` of them get a password check. A refused attempt counts nothing, so
 *   hammering a throttled account does not push its wait back.
 * Then `recordFailure` counts a wrong password against the address too, and `recordSuccess` clears
 * the account's count (not the address's: a sprayer who knows one password keeps their count).
 * Successful sign-ins never count against an address.
 */

export type SignInAttempt = {
  /** Normalised (trimmed, lower-case), whether or not an account has it. */
  email: string;
  /** The client's address (`signInAddressFrom`); null when the request has none. */
  address: string | null;
  nowMs: number;
};

export type SignInAdmission = { isAdmitted: true } | { isAdmitted: false; retryAfterMs: number };

/** The account's bucket names a hash of the email: the counters (and Redis) hold no addresses of people. */
export const accountBucket = (email: string) => `sign-in-account:${createHash("sha256").update(email).digest("hex").slice(0, 32)}`;
export const addressBucket = (address: string) => `sign-in-address:${throttleAddressKey(address)}`;

export function signInThrottle(store: LimitStore, policy: SignInThrottlePolicy) {
  const accountWindow = (attempt: SignInAttempt) => ({ bucket: accountBucket(attempt.email), limit: policy.maxFailuresPerAccount, windowMs: policy.windowMs, nowMs: attempt.nowMs });
  const addressWindow = (attempt: SignInAttempt & { address: string }) => ({ bucket: addressBucket(attempt.address), limit: policy.maxFailuresPerAddress, windowMs: policy.windowMs, nowMs: attempt.nowMs });

  return {
    policy,

    async admit(attempt: SignInAttempt): Promise<SignInAdmission> {
      if (attempt.address !== null) {
        const address = await store.peek(addressWindow({ ...attempt, address: attempt.address }));
        if (!address.isAdmitted) return { isAdmitted: false, retryAfterMs: address.retryAfterMs };
      }
      const account = await store.hit(accountWindow(attempt));
      return account.isAdmitted ? { isAdmitted: true } : { isAdmitted: false, retryAfterMs: account.retryAfterMs };
    },

    /** A wrong password (or no such account): the account's failure was counted by `admit`. */
    async recordFailure(attempt: SignInAttempt): Promise<void> {
      if (attempt.address !== null) await store.hit(addressWindow({ ...attempt, address: attempt.address }));
    },

    /** The right password: the account starts afresh. */
    async recordSuccess(attempt: SignInAttempt): Promise<void> {
      await store.clear(accountBucket(attempt.email), policy.windowMs, attempt.nowMs);
    },
  };
}

export type SignInThrottle = ReturnType<typeof signInThrottle>;

const policyCache = processWide("signInThrottlePolicy", () => ({ value: null as SignInThrottlePolicy | null }));

/**
 * The policy from the environment, read once per process. A malformed setting refuses every
 * sign-in (rather than guessing a limit), and says why in the server's log each time.
 */
export function signInThrottlePolicy(): SignInThrottlePolicy {
  try {
    policyCache.value ??= signInThrottlePolicyFromEnv(process.env);
  } catch (error) {
    console.error(`sign-in refused: ${(error as Error).message}`);
    throw error;
  }
  return policyCache.value;
}

/** The throttle on the store every instance shares. */
export function sharedSignInThrottle(db: Db, policy: SignInThrottlePolicy = signInThrottlePolicy()): SignInThrottle {
  return signInThrottle(sharedLimitStore(db), policy);
}

type HeaderValue = string | string[] | null | undefined;

/**
 * The client's address for throttling (and for the sessions list): the X-Forwarded-For entry the
 * app's own proxies wrote (BLOCKABLE_TRUSTED_PROXIES, see `throttleAddressEntry`), checked to be
 * an IP address; null when there is none. next-auth hands `authorize` the request's headers, where
 * Next.js has already put the socket's address when no proxy did.
 */
export function signInAddressFrom(headers: Record<string, HeaderValue>, policy: Pick<SignInThrottlePolicy, "trustedProxies">): string | null {
  const entry = throttleAddressEntry(headers["x-forwarded-for"], policy.trustedProxies);
  return entry === null ? null : clientAddressFrom({ "x-forwarded-for": entry });
}
