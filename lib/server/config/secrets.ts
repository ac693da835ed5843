import "@/lib/server/server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type Secrets = { authSecret: string; encryptionKey: string };

/** Where first start writes generated secrets (git-ignored). BLOCKABLE_SECRETS_FILE overrides it. */
export function secretsFilePath(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), process.env.BLOCKABLE_SECRETS_FILE ?? ".blockable/secrets.json");
}

/** Creates the secrets file with fresh random values when it does not exist yet. */
export function ensureSecretsFile(): Secrets {
  const file = secretsFilePath();
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Secrets;
  const secrets: Secrets = { authSecret: randomBytes(32).toString("base64url"), encryptionKey: randomBytes(32).toString("base64") };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  return secrets;
}

let cached: Secrets | undefined;

/** Environment variables win over the generated file: NEXTAUTH_SECRET (or AUTH_SECRET), ENCRYPTION_KEY. */
export function getSecrets(): Secrets {
  if (cached) return cached;
  const fromEnv = { authSecret: process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET, encryptionKey: process.env.ENCRYPTION_KEY };
  const fromFile = fromEnv.authSecret && fromEnv.encryptionKey ? null : ensureSecretsFile();
  cached = {
    authSecret: fromEnv.authSecret ?? fromFile!.authSecret,
    encryptionKey: fromEnv.encryptionKey ?? fromFile!.encryptionKey,
  };
  return cached;
}
