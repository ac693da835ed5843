import "@/lib/server/server-only";
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Env } from "./demo-world";

// The first admin of a deployment without the demo world: what `npm run admin:create` and the
// BLOCKABLE_ADMIN_* variables accept. The rules match the change-password form's (12 to 1,000
// characters) and the sign-in form's email (trimmed, lower-cased).

export const ADMIN_PASSWORD_MIN_LENGTH = 12;
export const ADMIN_PASSWORD_MAX_LENGTH = 1_000;
export const DEFAULT_ADMIN_NAME = "Platform Admin";

export const adminEmail = z.string().trim().toLowerCase().max(254, "The email has at most 254 characters.").pipe(z.email("Enter a valid email address."));
export const adminName = z.string().trim().min(1, "Enter the admin's name.").max(80, "Keep the name to 80 characters.");
export const adminPassword = z
  .string()
  .min(ADMIN_PASSWORD_MIN_LENGTH, `The password needs at least ${ADMIN_PASSWORD_MIN_LENGTH} characters.`)
  .max(ADMIN_PASSWORD_MAX_LENGTH, `The password has at most ${ADMIN_PASSWORD_MAX_LENGTH.toLocaleString("en-US")} characters.`);

export const adminAccountInput = z.object({ email: adminEmail, name: adminName, password: adminPassword });
export type AdminAccountInput = z.infer<typeof adminAccountInput>;

/** "email: Enter a valid email address." — one line per problem, for a terminal or a log. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message)).join("\n");
}

/** A password read from a file or standard input: one trailing newline (what `echo` and editors add) is not part of it. */
export function stripTrailingNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}

export type FirstAdminFromEnv = { kind: "none" } | { kind: "invalid"; message: string } | { kind: "account"; account: AdminAccountInput };

/**
 * BLOCKABLE_ADMIN_EMAIL with BLOCKABLE_ADMIN_PASSWORD (or BLOCKABLE_ADMIN_PASSWORD_FILE, e.g. a
 * Docker secret) and optionally BLOCKABLE_ADMIN_NAME. None set → "none"; a partial or invalid set
 * → "invalid" with the reason, so start stops instead of serving without the admin it was asked for.
 */
export function firstAdminFromEnv(env: Env = process.env, readFile: (file: string) => string = (file) => readFileSync(file, "utf8")): FirstAdminFromEnv {
  const email = env.BLOCKABLE_ADMIN_EMAIL?.trim();
  const inlinePassword = env.BLOCKABLE_ADMIN_PASSWORD;
  const passwordFile = env.BLOCKABLE_ADMIN_PASSWORD_FILE?.trim();
  if (!email && !inlinePassword && !passwordFile) return { kind: "none" };
  if (!email) return { kind: "invalid", message: "BLOCKABLE_ADMIN_PASSWORD is set without BLOCKABLE_ADMIN_EMAIL: set both, or neither." };
  if (inlinePassword && passwordFile) return { kind: "invalid", message: "Set BLOCKABLE_ADMIN_PASSWORD or BLOCKABLE_ADMIN_PASSWORD_FILE, not both." };
  let password = inlinePassword;
  if (passwordFile) {
    try {
      password = stripTrailingNewline(readFile(passwordFile));
    } catch (error) {
      return { kind: "invalid", message: `BLOCKABLE_ADMIN_PASSWORD_FILE: cannot read ${passwordFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).` };
    }
  }
  if (!password) return { kind: "invalid", message: "BLOCKABLE_ADMIN_EMAIL is set without BLOCKABLE_ADMIN_PASSWORD (or BLOCKABLE_ADMIN_PASSWORD_FILE): set both, or neither." };
  const parsed = adminAccountInput.safeParse({ email, name: env.BLOCKABLE_ADMIN_NAME?.trim() || DEFAULT_ADMIN_NAME, password });
  if (!parsed.success) {
    const names: Record<string, string> = { email: "BLOCKABLE_ADMIN_EMAIL", name: "BLOCKABLE_ADMIN_NAME", password: passwordFile ? "BLOCKABLE_ADMIN_PASSWORD_FILE" : "BLOCKABLE_ADMIN_PASSWORD" };
    return { kind: "invalid", message: parsed.error.issues.map((issue) => `${names[String(issue.path[0])] ?? issue.path.join(".")}: ${issue.message}`).join("\n") };
  }
  return { kind: "account", account: parsed.data };
}
