import "@/lib/server/server-only";
import { randomUUID } from "node:crypto";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { getSecrets } from "@/lib/server/config/secrets";
import { hashPassword, verifyPassword } from "./passwords";

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
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await db.user.findUnique({ where: { email: parsed.data.email } });
        const isValid = await verifyPassword(user?.passwordHash ?? (await dummyHash()), parsed.data.password);
        if (!user || !isValid) return null;
        if (user.isDisabled) throw new Error(AUTH_ERROR_ACCOUNT_DISABLED);
        await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    // The token carries only the user id; role, organisation and "disabled" are read from the
    // database on every request by the guard, so changes apply at once.
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.authTimeMs = Date.now();
      }
      return token;
    },
    async session({ session, token }) {
      return { ...session, userId: token.sub, authTimeMs: token.authTimeMs };
    },
  },
};
