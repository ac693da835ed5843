import "@/lib/server/server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { ensureSecretsFile, secretsFilePath } from "@/lib/server/config/secrets";

// The bearer token of the index ingestion API (POST /api/v1/index/fixes). BLOCKABLE_INDEX_INGEST_TOKEN
// wins; otherwise a random token is generated on first use into the git-ignored secrets file that
// lib/server/config/secrets.ts manages (.blockable/secrets.json, key "indexIngestToken"), where the
// operator reads it. Several instances sharing a database should set the environment variable.

export const INDEX_INGEST_TOKEN_ENV = "BLOCKABLE_INDEX_INGEST_TOKEN";
const PREFIX = "bl-idx-";

let cached: string | undefined;

function readFileToken(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const value = (JSON.parse(readFileSync(file, "utf8")) as { indexIngestToken?: unknown }).indexIngestToken;
  return typeof value === "string" && value.length >= 32 ? value : undefined;
}

/** The token: the environment variable, else the secrets file's (created there when missing). */
export function getIndexIngestToken(): string {
  const fromEnv = process.env[INDEX_INGEST_TOKEN_ENV]?.trim();
  if (fromEnv) return fromEnv;
  if (cached) return cached;
  ensureSecretsFile();
  const file = secretsFilePath();
  let token = readFileToken(file);
  if (!token) {
    // Write beside and rename: a reader never sees half a file. The other keys are kept as they are.
    const secrets = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    secrets.indexIngestToken = `${PREFIX}${randomBytes(32).toString("base64url")}`;
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
    renameSync(temporary, file);
    token = readFileToken(file)!;
    console.log(`index ingestion: generated a bearer token for POST /api/v1/index/fixes in ${file} (indexIngestToken); set ${INDEX_INGEST_TOKEN_ENV} to choose your own.`);
  }
  cached = token;
  return token;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Constant-time comparison of a presented token with the expected one. */
export function isIndexIngestTokenValid(presented: string | null, expected: string): boolean {
  if (!presented || !expected) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}
