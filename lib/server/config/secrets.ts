import "@/lib/server/server-only";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export type Secrets = { authSecret: string; encryptionKey: string };

/** Where first start writes generated secrets (git-ignored). BLOCKABLE_SECRETS_FILE overrides it. */
export function secretsFilePath(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), process.env.BLOCKABLE_SECRETS_FILE ?? ".blockable/secrets.json");
}

function tightenToOwnerOnly(file: string) {
  if (process.platform === "win32" || (statSync(file).mode & 0o077) === 0) return;
  try {
    chmodSync(file, 0o600);
  } catch (error) {
    // A file mounted read-only or owned by another user (a container's secret): ours to read, not to change.
    console.warn(`${file} is readable by other users and could not be made 0600 (${(error as NodeJS.ErrnoException).code ?? error}).`);
  }
}

/**
 * Creates the secrets file with fresh random values when it does not exist yet. It is the owner's
 * alone (0600, in a 0700 directory when it makes one); a file an older version or a copy left
 * readable by others is tightened to 0600 when read.
 */
export function ensureSecretsFile(): Secrets {
  const file = secretsFilePath();
  if (existsSync(file)) {
    tightenToOwnerOnly(file);
    return JSON.parse(readFileSync(file, "utf8")) as Secrets;
  }
  const secrets: Secrets = { authSecret: randomBytes(32).toString("base64url"), encryptionKey: randomBytes(32).toString("base64") };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // `mode` applies only to a file this call creates, and the umask may only narrow it: 0600 at most.
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
