// API key format: `sk-bl-` + 33 base62 characters encoding 24 random bytes (192 bits, above the
// 128-bit floor in DESIGN.md). The random source is injected so the format is testable and the
// demo world can mint reproducible keys; production passes node:crypto's randomBytes.

export const API_KEY_PREFIX = "sk-bl-";
export const API_KEY_RANDOM_BYTES = 24;
/** ⌈192 / log2(62)⌉ = 33: every 24-byte value fits, so keys have one fixed length. */
export const API_KEY_SECRET_LENGTH = 33;
/** Characters of the secret shown after `sk-bl-` so a user can tell their keys apart. */
export const API_KEY_VISIBLE_CHARS = 6;
/** Keys are stored only as this digest of the whole key, in lowercase hex. */
export const API_KEY_HASH_ALGORITHM = "sha256";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const WELL_FORMED = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${API_KEY_SECRET_LENGTH}}$`);

/**
 * Least significant digit first: 2^192 is only ~2.8 × 62^32, so a big-endian encoding would start
 * every key with 0, 1 or 2 and waste the visible prefix; the low digits are uniform.
 */
function base62LowDigitFirst(bytes: Uint8Array, length: number): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let digits = "";
  for (let i = 0; i < length; i++) {
    digits += BASE62[Number(value % 62n)];
    value /= 62n;
  }
  return digits;
}

export function generateApiKeySecret(randomBytes: (byteCount: number) => Uint8Array): string {
  const bytes = randomBytes(API_KEY_RANDOM_BYTES);
  if (bytes.length !== API_KEY_RANDOM_BYTES) throw new RangeError(`randomBytes returned ${bytes.length} bytes, expected ${API_KEY_RANDOM_BYTES}`);
  return API_KEY_PREFIX + base62LowDigitFirst(bytes, API_KEY_SECRET_LENGTH);
}

export function isWellFormedApiKey(key: string): boolean {
  return WELL_FORMED.test(key);
}

/** The part of a key that may be shown again after creation, e.g. `sk-bl-Ab3xQ9`. */
export function apiKeyPrefix(key: string): string {
  if (!isWellFormedApiKey(key)) throw new RangeError("Not a Blockable API key.");
  return key.slice(0, API_KEY_PREFIX.length + API_KEY_VISIBLE_CHARS);
}
