import "@/lib/server/server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { getSecrets } from "@/lib/server/config/secrets";

// Upstream provider keys at rest: AES-256-GCM with the app's ENCRYPTION_KEY (or the generated one).
// Format: "v1:" + base64(iv ‖ tag ‖ ciphertext). The plaintext is never sent back to any client.
const VERSION = "v1";

function key(encryptionKey = getSecrets().encryptionKey): Buffer {
  const bytes = Buffer.from(encryptionKey, "base64");
  if (bytes.length !== 32) throw new Error("ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32).");
  return bytes;
}

export function sealSecret(plaintext: string, encryptionKey?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(encryptionKey), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64")}`;
}

export function openSecret(sealed: string, encryptionKey?: string): string {
  const [version, payload] = sealed.split(":", 2);
  if (version !== VERSION || !payload) throw new Error("Unknown secret format.");
  const bytes = Buffer.from(payload, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key(encryptionKey), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
}
