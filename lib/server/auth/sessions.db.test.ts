// Sessions that end, through next-auth itself, on real SQLite and PostgreSQL: each "browser" below
// signs in by posting the credentials form to next-auth's handler (CSRF token and all), keeps the
// cookies it is given, and presents them to /api/auth/session, to sign-out, and to the guard
// (getViewer over next-auth's real getServerSession). Only the plumbing of a request is stubbed:
// the headers and cookies Next would hand over, and Next's cache.
//
// The claims: signing in starts a server-side session (device, address) named by the cookie;
// signing out ends it on the server, so a copied cookie is nobody; "sign out everywhere" and
// revoking one session end other browsers; an admin's disable or reset ends every session, and
// re-enabling revives none; /api/auth/session answers {} for all of these; the guard reads one row
// per request and writes "last seen" at most every 5 minutes; next-auth redirects stay on this
// site; a garbage cookie is one warning line, not a stack trace.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { LAST_SEEN_WRITE_INTERVAL_MS } from "@/lib/domain/auth/sessions";
import type { Db } from "@/lib/server/db/client";
import { actionSession } from "@/test/action-session";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";

const SITE = "http://127.0.0.1:3000";

vi.hoisted(() => {
  vi.stubEnv("NEXTAUTH_URL", "http://127.0.0.1:3000");
  vi.stubEnv("NEXTAUTH_SECRET", "sessions-db-test-secret-0123456789abcdef");
  vi.stubEnv("ENCRYPTION_KEY", Buffer.alloc(32, 7).toString("base64"));
});

afterAll(() => {
  vi.unstubAllEnvs();
});

/** The cookies the guard sees on the next call (the browser "making" the request). */
const presented = vi.hoisted(() => ({ cookies: {} as Record<string, string> }));

vi.mock("next-auth", async (importOriginal) => {
  const actual = await importOriginal<Record<string, unknown>>();
  const getServerSession = actual.getServerSession as (...args: unknown[]) => Promise<unknown>;
  // The pages-style call (request, response, options): the same session flow as the app router's
  // one-argument call, without Next's request scope for headers() and cookies().
  const response = { getHeader: () => undefined, setHeader: () => undefined };
  return { ...actual, getServerSession: (options: unknown) => getServerSession({ headers: { host: "127.0.0.1:3000" }, cookies: { ...presented.cookies } }, response, options) };
});
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const nextAuthModule = (await import("next-auth")) as unknown as { default: unknown };
const NextAuth = ((nextAuthModule.default as { default?: unknown }).default ?? nextAuthModule.default) as (req: unknown, res: unknown, options: unknown) => Promise<unknown>;
const { authOptions } = await import("./options");
const { getViewer } = await import("./guard");
const { listUserSessions } = await import("./sessions");
const { hashPassword } = await import("./passwords");
const { encode } = await import("next-auth/jwt");
const { signOutEverywhereAction } = await import("@/app/account/sign-out-everywhere-action");
const { revokeSessionAction } = await import("@/app/account/revoke-session-action");
const { changePasswordAction } = await import("@/app/account/password/change-password-action");
const { setUserDisabled } = await import("@/lib/server/services/set-user-access");
const { resetUserPassword } = await import("@/lib/server/services/users");
const { POST: authRoutePost } = await import("@/app/api/auth/[...nextauth]/route");

const SESSION_COOKIE = "next-auth.session-token";

type AuthAnswer = { status: number; body: unknown };

/** A browser: its own cookie jar, user agent and address, talking to next-auth's handler. */
class Browser {
  readonly cookies: Record<string, string> = {};
  constructor(
    readonly userAgent: string,
    readonly address: string,
  ) {}

  /** One request to /api/auth/<path>, as Next hands it to next-auth; keeps the cookies it sets. */
  async auth(path: string[], method: "GET" | "POST", body?: Record<string, string>): Promise<AuthAnswer> {
    const headers: Record<string, unknown> = {};
    const answer = { status: 200, body: undefined as unknown };
    const response = {
      status(code: number) {
        answer.status = code;
        return response;
      },
      setHeader(name: string, value: unknown) {
        headers[name.toLowerCase()] = value;
        return response;
      },
      getHeader: (name: string) => headers[name.toLowerCase()],
      send(value: unknown) {
        answer.body = value;
        return response;
      },
      json(value: unknown) {
        answer.body = value;
        return response;
      },
      end: () => response,
    };
    const request = {
      method,
      query: { nextauth: path },
      body: body ? { ...body, json: "true" } : undefined,
      cookies: { ...this.cookies },
      headers: { host: "127.0.0.1:3000", "user-agent": this.userAgent, "x-forwarded-for": this.address, "content-type": "application/x-www-form-urlencoded" },
    };
    await NextAuth(request, response, authOptions);
    for (const line of [headers["set-cookie"] ?? []].flat() as string[]) this.keepCookie(line);
    // What the browser would read: the JSON text next-auth sends, parsed.
    return { status: answer.status, body: answer.body === undefined ? undefined : JSON.parse(JSON.stringify(answer.body)) };
  }

  private keepCookie(line: string) {
    const [pair, ...attributes] = line.split(";");
    const name = pair.slice(0, pair.indexOf("="));
    const value = pair.slice(pair.indexOf("=") + 1);
    const isExpired = attributes.some((attribute) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(attribute));
    if (isExpired || value === "") delete this.cookies[name];
    else this.cookies[name] = decodeURIComponent(value);
  }

  async signIn(email: string, password: string, callbackUrl = "/") {
    const { body } = await this.auth(["csrf"], "GET");
    const { csrfToken } = body as { csrfToken: string };
    return this.auth(["callback", "credentials"], "POST", { email, password, csrfToken, callbackUrl });
  }

  async signOut() {
    const { body } = await this.auth(["csrf"], "GET");
    return this.auth(["signout"], "POST", { csrfToken: (body as { csrfToken: string }).csrfToken, callbackUrl: "/login" });
  }

  session() {
    return this.auth(["session"], "GET");
  }

  /** Makes the guard's next reads carry this browser's cookies. */
  present() {
    presented.cookies = { ...this.cookies };
    return this;
  }

  /** A copy of this browser's cookies in another browser (a stolen or copied cookie). */
  copyTo(other: Browser) {
    Object.assign(other.cookies, this.cookies);
    return other;
  }
}

/** A database proxy that records the model calls the app makes (userSession.findUnique, …). */
function recordingDb(db: Db, calls: string[]): Db {
  return new Proxy(db, {
    get(target, property) {
      // The client's own key, so the shared stores keyed by it (sign-in throttling's counters) find it.
      if (property === "$blockableClient") return target;
      const value = Reflect.get(target, property);
      if (typeof property === "string" && !property.startsWith("$") && value && typeof value === "object") {
        return new Proxy(value, {
          get(model, operation) {
            const method = Reflect.get(model, operation);
            return typeof method === "function"
              ? (...args: unknown[]) => {
                  calls.push(`${property}.${String(operation)}`);
                  return method.apply(model, args);
                }
              : method;
          },
        });
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

await describeEachProvider("sessions that end", (provider) => {
  let test: TestDatabase;
  const calls: string[] = [];
  let adminId: string;
  let sequence = 0;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    actionSession.db = recordingDb(test.db, calls);
    const platform = await test.db.organization.create({ data: { name: "Blockable", slug: "blockable", kind: "PLATFORM" } });
    adminId = (await test.db.user.create({ data: { orgId: platform.id, email: "root@example.test", name: "Root", passwordHash: "x", role: "admin" } })).id;
  });
  beforeEach(() => {
    actionSession.db = recordingDb(test.db, calls);
    presented.cookies = {};
    calls.length = 0;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await test?.drop();
  });

  /** A startup user with a password of their own; answers their id, email and password. */
  async function newUser(password = "correct-horse-battery-1") {
    const org = await test.db.organization.create({ data: { name: `Acme ${++sequence}`, slug: `acme-${sequence}`, kind: "STARTUP" } });
    const email = `cto${sequence}@acme.test`;
    const user = await test.db.user.create({ data: { orgId: org.id, email, name: `CTO ${sequence}`, passwordHash: await hashPassword(password), role: "startup" } });
    return { id: user.id, email, password };
  }

  const laptop = () => new Browser("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "203.0.113.7");
  const phone = () => new Browser("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "198.51.100.4");

  it("signing in starts a server-side session with the device and address; the guard and /api/auth/session answer the user", async () => {
    const user = await newUser();
    const browser = laptop();
    const signIn = await browser.signIn(user.email, user.password, "/startup/usage");
    expect(signIn.body).toEqual({ url: `${SITE}/startup/usage` });
    expect(browser.cookies[SESSION_COOKIE]).toBeTruthy();

    const [row] = await test.db.userSession.findMany({ where: { userId: user.id } });
    expect(row).toMatchObject({ userId: user.id, ipAddress: "203.0.113.7", userAgent: browser.userAgent, revokedAt: null, lastSeenAt: null });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(12 * 60 * 60 * 1000);

    browser.present();
    expect(await getViewer()).toMatchObject({ userId: user.id, email: user.email, role: "startup", sessionId: row.id });
    const session = await browser.session();
    expect(session.body).toMatchObject({ user: { email: user.email, name: expect.any(String) }, userId: user.id });
    // The session's id and the database read stay on the server.
    expect(JSON.stringify(session.body)).not.toContain(row.id);
  });

  it("the guard reads one row per request (session, user and organisation together) and writes 'last seen' at most every 5 minutes", async () => {
    const user = await newUser();
    const browser = laptop();
    await browser.signIn(user.email, user.password);
    const [row] = await test.db.userSession.findMany({ where: { userId: user.id } });

    calls.length = 0;
    browser.present();
    expect((await getViewer())?.userId).toBe(user.id);
    expect(calls).toEqual(["userSession.findUnique"]);

    // Last written 6 minutes ago: this request writes "last seen" and pushes the idle expiry back.
    const sixMinutesAgo = new Date(Date.now() - LAST_SEEN_WRITE_INTERVAL_MS - 60_000);
    await test.db.userSession.update({ where: { id: row.id }, data: { createdAt: sixMinutesAgo, lastSeenAt: sixMinutesAgo, expiresAt: new Date(Date.now() + 60_000) } });
    calls.length = 0;
    const before = Date.now();
    expect((await getViewer())?.userId).toBe(user.id);
    expect(calls).toEqual(["userSession.findUnique", "userSession.updateMany"]);
    const touched = await test.db.userSession.findUniqueOrThrow({ where: { id: row.id } });
    expect(touched.lastSeenAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(touched.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 12 * 60 * 60 * 1000);

    // Seen just now: the next request only reads.
    calls.length = 0;
    expect((await getViewer())?.userId).toBe(user.id);
    expect(calls).toEqual(["userSession.findUnique"]);
  });

  it("signing out ends the session on the server: a copy of the cookie taken before is nobody, and /api/auth/session answers {}", async () => {
    const user = await newUser();
    const browser = laptop();
    await browser.signIn(user.email, user.password);
    const thief = browser.copyTo(phone());

    const signOut = await browser.signOut();
    expect(signOut.body).toEqual({ url: `${SITE}/login` });
    expect(browser.cookies[SESSION_COOKIE]).toBeUndefined();
    const [row] = await test.db.userSession.findMany({ where: { userId: user.id } });
    expect(row.revokedAt).toBeInstanceOf(Date);

    thief.present();
    expect(await getViewer()).toBeNull();
    expect((await thief.session()).body).toEqual({});
  });

  it("'Sign out everywhere' ends every session of the user (this one too), is audited, and a fresh sign-in works", async () => {
    const user = await newUser();
    const [first, second] = [laptop(), phone()];
    await first.signIn(user.email, user.password);
    await second.signIn(user.email, user.password);
    const other = await newUser();
    const bystander = laptop();
    await bystander.signIn(other.email, other.password);

    first.present();
    expect(await signOutEverywhereAction({})).toEqual({ ok: true, data: { endedSessions: 2 } });

    for (const browser of [first, second]) {
      browser.present();
      expect(await getViewer()).toBeNull();
      expect((await browser.session()).body).toEqual({});
    }
    expect((await test.db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionsRevokedAt).toBeInstanceOf(Date);
    const audit = await test.db.auditLog.findFirstOrThrow({ where: { targetId: user.id, action: "user.signed_out_everywhere" } });
    expect(JSON.parse(audit.detailJson)).toEqual({ email: user.email, endedSessions: 2 });

    // Another user's session is untouched; signing in again starts a working session.
    bystander.present();
    expect((await getViewer())?.userId).toBe(other.id);
    const again = laptop();
    await again.signIn(user.email, user.password);
    again.present();
    expect((await getViewer())?.userId).toBe(user.id);
  });

  it("'Revoke' ends one other session of the user's own; not this one, and not another user's", async () => {
    const user = await newUser();
    const [here, there] = [laptop(), phone()];
    await here.signIn(user.email, user.password);
    await there.signIn(user.email, user.password);
    const stranger = await newUser();
    const strangersBrowser = laptop();
    await strangersBrowser.signIn(stranger.email, stranger.password);
    const sessionOf = async (userId: string, userAgent: string) => (await test.db.userSession.findFirstOrThrow({ where: { userId, userAgent } })).id;
    const [hereId, thereId, strangerId] = [await sessionOf(user.id, here.userAgent), await sessionOf(user.id, there.userAgent), await sessionOf(stranger.id, strangersBrowser.userAgent)];

    here.present();
    expect(await revokeSessionAction({ sessionId: strangerId })).toMatchObject({ ok: false, error: { code: "session_not_found", field: "sessionId" } });
    expect(await revokeSessionAction({ sessionId: hereId })).toMatchObject({ ok: false, error: { code: "current_session", message: "This is the session you are using: sign out instead." } });
    expect(await revokeSessionAction({ sessionId: thereId })).toEqual({ ok: true, data: { id: thereId } });
    expect(await revokeSessionAction({ sessionId: thereId })).toMatchObject({ ok: false, error: { code: "session_not_found" } });

    there.present();
    expect(await getViewer()).toBeNull();
    expect((await there.session()).body).toEqual({});
    here.present();
    expect((await getViewer())?.userId).toBe(user.id);
    strangersBrowser.present();
    expect((await getViewer())?.userId).toBe(stranger.id);
  });

  // The e2e's steps: after "everywhere", the account page of one of two fresh browsers lists the
  // other as its only other session; revoking that row ends that very browser, not this one.
  it("after 'Sign out everywhere', the session the sessions list shows as another browser's is that browser's: Revoke ends it", async () => {
    const user = await newUser();
    const [before1, before2] = [laptop(), phone()];
    await before1.signIn(user.email, user.password);
    await before2.signIn(user.email, user.password);
    before1.present();
    expect(await signOutEverywhereAction({})).toEqual({ ok: true, data: { endedSessions: 2 } });
    await before1.signOut();

    const [mine, other] = [laptop(), phone()];
    await mine.signIn(user.email, user.password);
    await mine.session();
    await other.signIn(user.email, user.password);
    await other.session();
    mine.present();
    const viewer = (await getViewer())!;
    const listed = await listUserSessions(test.db, { userId: user.id, currentSessionId: viewer.sessionId, now: new Date() });
    expect(listed.map((s) => [s.isCurrent, s.userAgent])).toEqual([
      [true, mine.userAgent],
      [false, other.userAgent],
    ]);
    expect(await revokeSessionAction({ sessionId: listed[1].id })).toEqual({ ok: true, data: { id: listed[1].id } });
    other.present();
    expect(await getViewer()).toBeNull();
    expect((await other.session()).body).toEqual({});
    mine.present();
    expect((await getViewer())?.userId).toBe(user.id);
  });

  it("an admin's disable ends every session at once (/api/auth/session answers {}); enabling again revives none", async () => {
    const user = await newUser();
    const browser = laptop();
    await browser.signIn(user.email, user.password);
    await setUserDisabled(test.db, { actorUserId: adminId, userId: user.id, isDisabled: true });
    browser.present();
    expect(await getViewer()).toBeNull();
    expect((await browser.session()).body).toEqual({});
    expect((await test.db.userSession.findMany({ where: { userId: user.id } })).every((row) => row.revokedAt !== null)).toBe(true);

    // Disabled, they cannot sign in either.
    const refused = await laptop().signIn(user.email, user.password);
    expect(refused.status).toBe(401);

    await setUserDisabled(test.db, { actorUserId: adminId, userId: user.id, isDisabled: false });
    browser.present();
    expect(await getViewer()).toBeNull();
    expect((await browser.session()).body).toEqual({});
  });

  it("a disabled user's live session answers {} even before any row is revoked", async () => {
    const user = await newUser();
    const browser = laptop();
    await browser.signIn(user.email, user.password);
    await test.db.user.update({ where: { id: user.id }, data: { isDisabled: true } });
    expect((await browser.session()).body).toEqual({});
    browser.present();
    expect(await getViewer()).toBeNull();
  });

  it("an admin's password reset ends every session of the user", async () => {
    const user = await newUser();
    const [first, second] = [laptop(), phone()];
    await first.signIn(user.email, user.password);
    await second.signIn(user.email, user.password);
    await resetUserPassword(test.db, { actorUserId: adminId, userId: user.id });
    for (const browser of [first, second]) {
      browser.present();
      expect(await getViewer()).toBeNull();
      expect((await browser.session()).body).toEqual({});
    }
  });

  it("changing one's own password keeps this browser signed in and ends the others", async () => {
    const user = await newUser("my-old-password-1");
    const [here, there] = [laptop(), phone()];
    await here.signIn(user.email, user.password);
    await there.signIn(user.email, user.password);
    here.present();
    expect(await changePasswordAction({ currentPassword: "my-old-password-1", newPassword: "my-new-password-2", confirmPassword: "my-new-password-2" })).toMatchObject({ ok: true });
    expect((await getViewer())?.userId).toBe(user.id);
    there.present();
    expect(await getViewer()).toBeNull();
  });

  it("an expired or deleted session, a cookie from before sessions existed, and a cookie naming another user's session are nobody", async () => {
    const user = await newUser();
    const other = await newUser();
    const browser = laptop();
    await browser.signIn(user.email, user.password);
    const otherBrowser = phone();
    await otherBrowser.signIn(other.email, other.password);
    const [row] = await test.db.userSession.findMany({ where: { userId: user.id } });
    const [otherRow] = await test.db.userSession.findMany({ where: { userId: other.id } });
    const secret = process.env.NEXTAUTH_SECRET!;
    const forged = async (token: Record<string, unknown>) => ({ [SESSION_COOKIE]: await encode({ token, secret }) });

    // A token for this user that names the other user's live session.
    presented.cookies = await forged({ sub: user.id, sid: otherRow.id });
    expect(await getViewer()).toBeNull();
    // A token without a session id (signed before this change): signed out.
    presented.cookies = await forged({ sub: user.id });
    expect(await getViewer()).toBeNull();

    await test.db.userSession.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    browser.present();
    expect(await getViewer()).toBeNull();
    expect((await browser.session()).body).toEqual({});

    await test.db.userSession.delete({ where: { id: row.id } });
    expect(await getViewer()).toBeNull();
  });

  it("next-auth's redirects stay on this site: a tricky callback URL becomes the home, a path is kept", async () => {
    const user = await newUser();
    for (const [callbackUrl, expected] of [
      ["/\\evil.example/phish", `${SITE}/`],
      ["//evil.example/phish", `${SITE}/`],
      ["/%5Cevil.example/phish", `${SITE}/`],
      ["https://evil.example/phish", `${SITE}/`],
      ["javascript:alert(1)", `${SITE}/`],
      ["/startup/financing?tab=loans", `${SITE}/startup/financing?tab=loans`],
      [`${SITE}/startup/keys`, `${SITE}/startup/keys`],
    ]) {
      expect((await laptop().signIn(user.email, user.password, callbackUrl)).body, callbackUrl).toEqual({ url: expected });
    }
    const redirect = authOptions.callbacks!.redirect!;
    expect(await redirect({ url: "/\\evil.example/phish", baseUrl: SITE })).toBe(`${SITE}/`);
    expect(await redirect({ url: "/login", baseUrl: SITE })).toBe(`${SITE}/login`);
  });

  it("a garbage session cookie is refused with one warning line and no stack trace", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const browser = laptop();
    browser.cookies[SESSION_COOKIE] = "not-a-token";
    expect((await browser.session()).body).toEqual({});
    // /api/auth/session also told the browser to drop it.
    expect(browser.cookies[SESSION_COOKIE]).toBeUndefined();
    presented.cookies = { [SESSION_COOKIE]: "not-a-token" };
    expect(await getViewer()).toBeNull();
    expect(error).not.toHaveBeenCalled();
    expect(warn.mock.calls).toEqual([
      ["[next-auth] JWT_SESSION_ERROR: session cookie refused (ERR_JWE_INVALID: Invalid Compact JWE)"],
      ["[next-auth] JWT_SESSION_ERROR: session cookie refused (ERR_JWE_INVALID: Invalid Compact JWE)"],
    ]);
  });

  it("nobody can write to the server log through next-auth's _log endpoint", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const request = new Request(`${SITE}/api/auth/_log`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "level=error&code=JWT_SESSION_ERROR&message=forged" });
    const response = await authRoutePost(request, { params: Promise.resolve({ nextauth: ["_log"] }) });
    expect(response.status).toBe(204);
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });
});
