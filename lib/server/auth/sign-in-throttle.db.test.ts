// Sign-in throttling, through next-auth itself, on real SQLite and PostgreSQL (and Redis when it
// is up): each "browser" posts the credentials form to next-auth's handler (CSRF token and all)
// from its own address, the way sessions.db.test.ts drives it; only the plumbing of a request is
// stubbed.
//
// The claims: after 10 failures an account's next attempt is refused, even with the right
// password, with the wait, without checking the password; an email nobody has gets the same
// answer; one address's failures over many emails are limited too (15 here, set by env); two app
// instances on one database count together; the right password clears the account's count but not
// the address's; parallel attempts get exactly 10 password checks; refused attempts do not push
// the wait back, and the window ends when it says it will.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { retryAfterMsOfSignInError, SIGN_IN_THROTTLE_WINDOW_MS, signInThrottlePolicyFromEnv, tooManyAttemptsMessage } from "@/lib/domain/auth/sign-in-throttle";
import { createDb, type Db } from "@/lib/server/db/client";
import { databaseLimitStore } from "@/lib/server/limits/database-store";
import { redisLimitStore } from "@/lib/server/limits/redis-store";
import type { LimitStore } from "@/lib/server/limits/store";
import { actionSession } from "@/test/action-session";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";

const MAX_FAILURES_PER_ADDRESS = 15;

vi.hoisted(() => {
  vi.stubEnv("NEXTAUTH_URL", "http://127.0.0.1:3000");
  vi.stubEnv("NEXTAUTH_SECRET", "sign-in-throttle-db-test-secret-0123456789");
  vi.stubEnv("ENCRYPTION_KEY", Buffer.alloc(32, 9).toString("base64"));
  vi.stubEnv("BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ADDRESS", "15");
  vi.stubEnv("BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ACCOUNT", "");
  vi.stubEnv("BLOCKABLE_TRUSTED_PROXIES", "");
  vi.stubEnv("REDIS_URL", "");
});

afterAll(() => {
  vi.unstubAllEnvs();
});

vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));
// The real hashing, counted: a throttled attempt must not reach it.
vi.mock("./passwords", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./passwords")>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});

const nextAuthModule = (await import("next-auth")) as unknown as { default: unknown };
const NextAuth = ((nextAuthModule.default as { default?: unknown }).default ?? nextAuthModule.default) as (req: unknown, res: unknown, options: unknown) => Promise<unknown>;
const { authOptions } = await import("./options");
const passwords = await import("./passwords");
const { accountBucket, addressBucket, signInAddressFrom, signInThrottle } = await import("./sign-in-throttle");
const verifyPassword = vi.mocked(passwords.verifyPassword);

const MINUTE_MS = 60_000;

/** What the login form gets from next-auth's answer: the `error` of the URL it is sent to, or null when signed in. */
type SignInResult = { error: string | null; hasSession: boolean };

/** A browser at one address: its own cookies, talking to next-auth's handler. */
class Browser {
  readonly cookies: Record<string, string> = {};
  constructor(readonly address: string) {}

  private async auth(path: string[], method: "GET" | "POST", body?: Record<string, string>) {
    const headers: Record<string, unknown> = {};
    let answer: unknown;
    const response = {
      status: () => response,
      setHeader(name: string, value: unknown) {
        headers[name.toLowerCase()] = value;
        return response;
      },
      getHeader: (name: string) => headers[name.toLowerCase()],
      send(value: unknown) {
        answer = value;
        return response;
      },
      json(value: unknown) {
        answer = value;
        return response;
      },
      end: () => response,
    };
    const request = {
      method,
      query: { nextauth: path },
      body: body ? { ...body, json: "true" } : undefined,
      cookies: { ...this.cookies },
      headers: { host: "127.0.0.1:3000", "user-agent": "vitest", "x-forwarded-for": this.address, "content-type": "application/x-www-form-urlencoded" },
    };
    await NextAuth(request, response, authOptions);
    for (const line of [headers["set-cookie"] ?? []].flat() as string[]) {
      const pair = line.split(";")[0];
      this.cookies[pair.slice(0, pair.indexOf("="))] = decodeURIComponent(pair.slice(pair.indexOf("=") + 1));
    }
    return JSON.parse(JSON.stringify(answer)) as { url: string; csrfToken: string };
  }

  async signIn(email: string, password: string): Promise<SignInResult> {
    const { csrfToken } = await this.auth(["csrf"], "GET");
    const { url } = await this.auth(["callback", "credentials"], "POST", { email, password, csrfToken, callbackUrl: "/" });
    return { error: new URL(url).searchParams.get("error"), hasSession: Boolean(this.cookies["next-auth.session-token"]) };
  }
}

let addressCounter = 0;
/** Each test signs in from its own address, so the per-address count is its own. */
const newBrowser = () => new Browser(`198.51.100.${++addressCounter}`);

function expectThrottled(result: SignInResult, minutes: number) {
  expect(result.hasSession).toBe(false);
  expect(result.error).toMatch(/^TooManyAttempts:\d+$/);
  expect(tooManyAttemptsMessage(retryAfterMsOfSignInError(result.error)!)).toBe(`Too many sign-in attempts. Try again in ${minutes} minutes.`);
}

const WRONG = { error: "CredentialsSignin", hasSession: false };

await describeEachProvider("sign-in throttling through next-auth", (provider) => {
  let test: TestDatabase;
  let sequence = 0;
  const extraClients: Db[] = [];

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    actionSession.db = test.db;
  });
  beforeEach(() => {
    actionSession.db = test.db;
    // One minute into a 15-minute window, and the clock running: every test's attempts fall in
    // one window, so the waits are exact ("16 minutes": 14 left of this one, then 1½ while the
    // 10 failures fade from the previous window's weight).
    const windowStartMs = (Math.floor(Date.now() / SIGN_IN_THROTTLE_WINDOW_MS) + 1) * SIGN_IN_THROTTLE_WINDOW_MS;
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(windowStartMs + MINUTE_MS);
    verifyPassword.mockClear();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    for (const client of extraClients) await client.$disconnect();
    await test?.drop();
  });

  async function newUser(password = "correct-horse-battery-1") {
    const org = await test.db.organization.create({ data: { name: `Acme ${++sequence}`, slug: `acme-${sequence}`, kind: "STARTUP" } });
    const email = `cto${sequence}@acme.test`;
    await test.db.user.create({ data: { orgId: org.id, email, name: `CTO ${sequence}`, passwordHash: await passwords.hashPassword(password), role: "startup" } });
    return { email, password };
  }

  it("after 10 wrong passwords the 11th attempt is refused, even with the right password, with the wait, and no password is checked", async () => {
    const user = await newUser();
    const browser = newBrowser();
    for (let attempt = 1; attempt <= 10; attempt++) expect(await browser.signIn(user.email, `wrong-${attempt}`), `attempt ${attempt}`).toEqual(WRONG);
    expect(verifyPassword).toHaveBeenCalledTimes(10);

    // The email as typed, in another case and with spaces, is the same account.
    expectThrottled(await browser.signIn(` ${user.email.toUpperCase()} `, user.password), 16);
    expectThrottled(await newBrowser().signIn(user.email, user.password), 16);
    expect(verifyPassword).toHaveBeenCalledTimes(10);
  });

  it("an email nobody has gets the same answers: wrong, wrong, … then the same refusal after 10", async () => {
    const user = await newUser();
    const nobody = `nobody-${randomUUID()}@acme.test`;
    const [existing, unknown] = [newBrowser(), newBrowser()];
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect(await existing.signIn(user.email, "wrong")).toEqual(WRONG);
      expect(await unknown.signIn(nobody, "wrong")).toEqual(WRONG);
    }
    const [refusedExisting, refusedUnknown] = [await existing.signIn(user.email, "wrong"), await unknown.signIn(nobody, "wrong")];
    expectThrottled(refusedExisting, 16);
    expect(refusedUnknown).toEqual(refusedExisting);
    // Both unknown and known emails had their 10 checks (against the dummy hash for nobody), and no more.
    expect(verifyPassword).toHaveBeenCalledTimes(20);
  });

  it(`one address's failures over many emails are limited too (${MAX_FAILURES_PER_ADDRESS} here); another address is not, and success never counts`, async () => {
    const user = await newUser();
    const sprayer = newBrowser();
    // Successful sign-ins from the address do not count against it.
    for (let attempt = 0; attempt < 3; attempt++) expect((await new Browser(sprayer.address).signIn(user.email, user.password)).error).toBeNull();
    for (let attempt = 0; attempt < MAX_FAILURES_PER_ADDRESS; attempt++) expect(await sprayer.signIn(`victim-${attempt}-${randomUUID()}@acme.test`, "Winter2025!")).toEqual(WRONG);

    // Every account, even the right password, is refused from this address: 14 minutes left of
    // this window, then 1 (a 15th of it) while 15 failures fade below the limit.
    expectThrottled(await sprayer.signIn(user.email, user.password), 15);
    expectThrottled(await sprayer.signIn(`someone-else-${randomUUID()}@acme.test`, "Winter2025!"), 15);
    // The same user from elsewhere signs in.
    expect((await newBrowser().signIn(user.email, user.password)).error).toBeNull();
  });

  it("two app instances on one database count together: 5 failures on each, then the next on either is refused", async () => {
    const instanceB = createDb(test.url).db;
    extraClients.push(instanceB);
    const nobody = `nobody-${randomUUID()}@acme.test`;
    const browser = newBrowser();
    for (let attempt = 0; attempt < 5; attempt++) {
      actionSession.db = test.db;
      expect(await browser.signIn(nobody, "wrong")).toEqual(WRONG);
      actionSession.db = instanceB;
      expect(await browser.signIn(nobody, "wrong")).toEqual(WRONG);
    }
    actionSession.db = test.db;
    expectThrottled(await browser.signIn(nobody, "wrong"), 16);
    actionSession.db = instanceB;
    expectThrottled(await browser.signIn(nobody, "wrong"), 16);
  });

  it("the right password clears the account's failures (not the address's): 10 more are allowed before the next refusal", async () => {
    const user = await newUser();
    const browser = newBrowser();
    for (let attempt = 0; attempt < 9; attempt++) expect(await browser.signIn(user.email, "wrong")).toEqual(WRONG);
    expect((await browser.signIn(user.email, user.password)).error).toBeNull();

    const other = newBrowser();
    for (let attempt = 0; attempt < 10; attempt++) expect(await other.signIn(user.email, "wrong")).toEqual(WRONG);
    expectThrottled(await other.signIn(user.email, user.password), 16);

    const store = databaseLimitStore(test.db);
    const peek = (bucket: string, limit: number) => store.peek({ bucket, limit, windowMs: SIGN_IN_THROTTLE_WINDOW_MS, nowMs: Date.now() });
    expect((await peek(addressBucket(browser.address), MAX_FAILURES_PER_ADDRESS)).counts.currentCount).toBe(9);
    expect((await peek(accountBucket(user.email), 10)).counts.currentCount).toBe(10);
  });

  it("30 attempts at once on one account: exactly 10 get a password check, the other 20 are refused", async () => {
    const user = await newUser();
    const results = await Promise.all(Array.from({ length: 30 }, (_, index) => new Browser(`203.0.113.${index + 1}`).signIn(user.email, "wrong")));
    expect(results.filter((result) => result.error === "CredentialsSignin")).toHaveLength(10);
    expect(results.filter((result) => result.error?.startsWith("TooManyAttempts:"))).toHaveLength(20);
    expect(verifyPassword).toHaveBeenCalledTimes(10);
  });
});

describe("the address a sign-in is counted against", () => {
  it.each([
    ["no proxy: the socket's address, as Next.js wrote it", { "x-forwarded-for": "::ffff:127.0.0.1" }, 0, "127.0.0.1"],
    ["one proxy: the address it appended, not the one the client claimed", { "x-forwarded-for": "10.0.0.1, 203.0.113.7" }, 1, "203.0.113.7"],
    ["two proxies: the address the outer one saw", { "x-forwarded-for": "10.0.0.1, 203.0.113.7, 192.168.1.2" }, 2, "203.0.113.7"],
    ["X-Real-IP alone is not believed (anybody can send it)", { "x-real-ip": "203.0.113.7" }, 1, null],
    ["not an address", { "x-forwarded-for": "evil.example" }, 0, null],
    ["no header", {}, 0, null],
  ])("%s", (_label, headers, trustedProxies, expected) => {
    expect(signInAddressFrom(headers, { trustedProxies })).toBe(expected);
  });

  it("an IPv6 address counts as its /64", () => {
    expect(addressBucket("2001:db8:1:2::17")).toBe(addressBucket("2001:db8:1:2:ffff::1"));
    expect(addressBucket("2001:db8:1:3::17")).not.toBe(addressBucket("2001:db8:1:2::17"));
  });
});

// ───────────────────────────── The window, with an injected clock ─────────────────────────────

/** The throttle's own behaviour over time, on a store of each kind: refusals do not extend the wait, and it ends when it says. */
function windowBehaviour(name: string, storeOf: () => LimitStore) {
  describe(name, () => {
    const policy = signInThrottlePolicyFromEnv({});
    // A window's start, far from any other test's counts.
    const startMs = (Math.floor(Date.now() / SIGN_IN_THROTTLE_WINDOW_MS) + 100) * SIGN_IN_THROTTLE_WINDOW_MS;

    it("refused attempts do not push the wait back; the account is admitted again exactly when the wait said", async () => {
      const throttle = signInThrottle(storeOf(), policy);
      const email = `nobody-${randomUUID()}@example.test`;
      const fail = async (nowMs: number) => {
        const attempt = { email, address: "192.0.2.1", nowMs };
        expect(await throttle.admit(attempt)).toEqual({ isAdmitted: true });
        await throttle.recordFailure(attempt);
      };
      for (let index = 0; index < 10; index++) await fail(startMs + MINUTE_MS + index * 1_000);

      const refusedAt = startMs + 2 * MINUTE_MS;
      const first = await throttle.admit({ email, address: "192.0.2.1", nowMs: refusedAt });
      expect(first.isAdmitted).toBe(false);
      const admittedAgainAtMs = refusedAt + (first as { retryAfterMs: number }).retryAfterMs;
      // 13 minutes left of this window, then 1½ minutes of the next while the failures fade.
      expect(admittedAgainAtMs).toBe(startMs + SIGN_IN_THROTTLE_WINDOW_MS + 1.5 * MINUTE_MS);

      // Hammering meanwhile changes nothing: every refusal names the same moment.
      for (const nowMs of [refusedAt + 1, startMs + 10 * MINUTE_MS, admittedAgainAtMs - 1]) {
        const refusal = await throttle.admit({ email, address: "192.0.2.1", nowMs });
        expect(refusal).toEqual({ isAdmitted: false, retryAfterMs: admittedAgainAtMs - nowMs });
      }
      expect(await throttle.admit({ email, address: "192.0.2.1", nowMs: admittedAgainAtMs })).toEqual({ isAdmitted: true });
    });

    it("two windows after the last failure the account has all 10 attempts again", async () => {
      const throttle = signInThrottle(storeOf(), policy);
      const email = `nobody-${randomUUID()}@example.test`;
      for (let index = 0; index < 10; index++) await throttle.admit({ email, address: null, nowMs: startMs + index });
      expect((await throttle.admit({ email, address: null, nowMs: startMs + 20 })).isAdmitted).toBe(false);
      const later = startMs + 2 * SIGN_IN_THROTTLE_WINDOW_MS;
      for (let index = 0; index < 10; index++) expect(await throttle.admit({ email, address: null, nowMs: later + index })).toEqual({ isAdmitted: true });
      expect((await throttle.admit({ email, address: null, nowMs: later + 20 })).isAdmitted).toBe(false);
    });

    it("the right password clears the account at once", async () => {
      const throttle = signInThrottle(storeOf(), policy);
      const attempt = { email: `nobody-${randomUUID()}@example.test`, address: null, nowMs: startMs + 5 * MINUTE_MS };
      for (let index = 0; index < 10; index++) await throttle.admit(attempt);
      expect((await throttle.admit(attempt)).isAdmitted).toBe(false);
      await throttle.recordSuccess(attempt);
      expect(await throttle.admit(attempt)).toEqual({ isAdmitted: true });
    });
  });
}

await describeEachProvider("sign-in throttling's window", (provider) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await test?.drop();
  });
  windowBehaviour("in the database", () => databaseLimitStore(test.db));
});

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const redisReason = await (async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    const reason = `Redis not reachable at ${REDIS_URL}: ${(error as Error).message}`;
    if (process.env.CI === "true") throw new Error(`${reason} (CI=true requires the Redis tests to run)`);
    return reason;
  } finally {
    probe.disconnect();
  }
})();

describe.skipIf(redisReason !== null)(`sign-in throttling's window in Redis${redisReason ? ` — skipped: ${redisReason}` : ""}`, () => {
  const keyPrefix = `blockable-test:${randomUUID()}:`;
  const clients: Redis[] = [];
  afterAll(async () => {
    const keys = await clients[0]?.keys(`${keyPrefix}*`);
    if (keys?.length) await clients[0].del(...keys);
    clients.forEach((client) => client.disconnect());
  });
  // Each use is a new connection: another instance on the same Redis.
  windowBehaviour("two instances on one Redis", () => {
    const client = new Redis(REDIS_URL);
    clients.push(client);
    return redisLimitStore(client, { keyPrefix, concurrencyLimitOf: async (_orgId, defaultLimit) => defaultLimit });
  });
});
