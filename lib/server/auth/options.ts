import "@/lib/server/server-only";
import { randomUUID } from "node:crypto";
import type { AuthOptions, Session } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { authWarningLine, classifyAuthError } from "@/lib/domain/auth/auth-log";
import { resolveCallbackPath } from "@/lib/domain/auth/callback-url";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/domain/auth/sessions";
import { tooManyAttemptsError } from "@/lib/domain/auth/sign-in-throttle";
import { db } from "@/lib/server/db/client";
import { getSecrets } from "@/lib/server/config/secrets";
import { hashPassword, verifyPassword } from "./passwords";
import { findSignedInSession, rememberSignedIn, revokeUserSession, startUserSession } from "./sessions";
import { sharedSignInThrottle, signInAddressFrom } from "./sign-in-throttle";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(1_000),
});

// Verifying against a throwaway hash makes an unknown email cost as much time as a wrong password.
let timingDummyHash: Promise<string> | undefined;
const dummyHash = () => (timingDummyHash ??= hashPassword(randomUUID()));

export const AUTH_ERROR_ACCOUNT_DISABLED = "AccountDisabled";

export const authOptions: AuthOptions = {
  secret: getSecrets().authSecret,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        // next-auth hands over the request's headers (App Router: Next's own, with the socket's
        // address in X-Forwarded-For when no proxy wrote one).
        const headers = (request?.headers ?? {}) as Record<string, string | string[] | undefined>;
        const throttle = sharedSignInThrottle(db);
        const attempt = { email: parsed.data.email, address: signInAddressFrom(headers, throttle.policy), nowMs: Date.now() };
        // Before the user is looked up or a password hashed: a refusal costs the same, and says the
        // same, whether or not the account exists, and never checks the password.
        const admission = await throttle.admit(attempt);
        if (!admission.isAdmitted) throw new Error(tooManyAttemptsError(admission.retryAfterMs));
        const user = await db.user.findUnique({ where: { email: parsed.data.email } });
        const isValid = await verifyPassword(user?.passwordHash ?? (await dummyHash()), parsed.data.password);
        if (!user || !isValid) {
          await throttle.recordFailure(attempt);
          return null;
        }
        await throttle.recordSuccess(attempt);
        if (user.isDisabled) throw new Error(AUTH_ERROR_ACCOUNT_DISABLED);
        const now = new Date();
        await db.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
        const userAgent = typeof headers["user-agent"] === "string" ? headers["user-agent"] : null;
        const sessionId = await startUserSession(db, { userId: user.id, now, ipAddress: attempt.address, userAgent });
        return { id: user.id, email: user.email, name: user.name, sessionId };
      },
    }),
  ],
  callbacks: {
    // The token carries the user id and the session id (`sid`); the session row, the role, the
    // organisation and "disabled" are read from the database on every request, so a sign-out, a
    // revocation or a change applies at once.
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sid = (user as { sessionId?: string }).sessionId;
      }
      return token;
    },
    // Runs for getServerSession (every guarded page, action and route) and for /api/auth/session.
    // A missing, revoked or expired session, or a disabled user, gets an empty session: `{}` from
    // /api/auth/session, null from getServerSession.
    async session({ session, token }) {
      const signedIn = await findSignedInSession(db, { userId: token.sub, sessionId: token.sid, now: new Date() });
      if (!signedIn) return {} as Session;
      const { user } = signedIn;
      return rememberSignedIn({ expires: session.expires, user: { name: user.name, email: user.email }, userId: user.id }, signedIn);
    },
    // Every redirect next-auth makes (sign-in, sign-out) stays on this site: a foreign or tricky
    // callback URL becomes "/", which sends the user to their role's home.
    async redirect({ url, baseUrl }) {
      return new URL(resolveCallbackPath(url, baseUrl) ?? "/", baseUrl).href;
    },
  },
  events: {
    // Signing out ends the session on the server too: the cookie a browser (or a thief) kept
    // stops working with it. next-auth clears the cookie afterwards, even if this throws.
    async signOut({ token }) {
      if (typeof token?.sub !== "string" || typeof token.sid !== "string") return;
      await revokeUserSession(db, { userId: token.sub, sessionId: token.sid, now: new Date() });
    },
  },
  logger: {
    error(code, metadata) {
      const entry = classifyAuthError(code, metadata);
      if (entry.level === "warn") console.warn(entry.line);
      else console.error(`[next-auth][error][${code}]`, metadata);
    },
    warn(code) {
      console.warn(authWarningLine(code));
    },
    debug() {},
  },
};
