import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { API_KEY_HASH_ALGORITHM, apiKeyPrefix, generateApiKeySecret, isWellFormedApiKey } from "./api-keys";

const filled = (byte: number) => (n: number) => new Uint8Array(n).fill(byte);
const counting = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);

describe("generateApiKeySecret", () => {
  it.each<[string, (n: number) => Uint8Array, string]>([
    ["all-zero bytes encode as all zeros", filled(0), "sk-bl-" + "0".repeat(33)],
    ["a single 1 bit is the first (least significant) digit", (n) => Uint8Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : 0)), "sk-bl-1" + "0".repeat(32)],
    ["61 is the last base62 digit, z", (n) => Uint8Array.from({ length: n }, (_, i) => (i === n - 1 ? 61 : 0)), "sk-bl-z" + "0".repeat(32)],
    ["62 carries into the second digit", (n) => Uint8Array.from({ length: n }, (_, i) => (i === n - 1 ? 62 : 0)), "sk-bl-01" + "0".repeat(31)],
  ])("%s", (_label, randomBytes, expected) => {
    expect(generateApiKeySecret(randomBytes)).toBe(expected);
  });

  it("asks for 24 bytes (192 bits, above the 128-bit floor)", () => {
    const asked: number[] = [];
    generateApiKeySecret((n) => {
      asked.push(n);
      return counting(n);
    });
    expect(asked).toEqual([24]);
    expect(asked[0] * 8).toBeGreaterThanOrEqual(128);
  });

  it("the largest 24-byte value still fits 33 characters", () => {
    const key = generateApiKeySecret(filled(255));
    expect(key).toHaveLength(6 + 33);
    expect(isWellFormedApiKey(key)).toBe(true);
  });

  it("is deterministic from the random source", () => {
    expect(generateApiKeySecret(counting)).toBe(generateApiKeySecret(counting));
  });

  it("refuses a random source that returns the wrong number of bytes", () => {
    expect(() => generateApiKeySecret(() => new Uint8Array(16))).toThrow(RangeError);
  });

  it("every key is sk-bl- + 33 base62 characters, and different bytes give different keys (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), fc.uint8Array({ minLength: 24, maxLength: 24 }), (a, b) => {
        const keyA = generateApiKeySecret(() => a);
        expect(keyA).toMatch(/^sk-bl-[0-9A-Za-z]{33}$/);
        expect(isWellFormedApiKey(keyA)).toBe(true);
        const isSameBytes = a.every((byte, i) => byte === b[i]);
        expect(keyA === generateApiKeySecret(() => b)).toBe(isSameBytes);
      }),
    );
  });

  it("the visible prefix is not stuck on a few leading characters", () => {
    const firstChars = new Set<string>();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), (bytes) => {
        firstChars.add(apiKeyPrefix(generateApiKeySecret(() => bytes))[6]);
      }),
      { numRuns: 2_000 },
    );
    expect(firstChars.size).toBeGreaterThan(40);
  });
});

describe("apiKeyPrefix and isWellFormedApiKey", () => {
  const key = "sk-bl-Ab3xQ9" + "z".repeat(27);

  it("shows sk-bl- and the first 6 characters of the secret", () => {
    expect(apiKeyPrefix(key)).toBe("sk-bl-Ab3xQ9");
  });

  it.each<[string, string, boolean]>([
    ["a generated key", key, true],
    ["one character short", key.slice(0, -1), false],
    ["one character long", key + "a", false],
    ["a non-base62 character", key.slice(0, -1) + "-", false],
    ["another product's prefix", "sk-" + key.slice(6) + "abc", false],
    ["upper-case prefix", "SK-BL-" + key.slice(6), false],
    ["surrounding whitespace", ` ${key}`, false],
    ["empty", "", false],
    ["just the visible prefix", "sk-bl-Ab3xQ9", false],
  ])("%s → %s", (_label, candidate, expected) => {
    expect(isWellFormedApiKey(candidate)).toBe(expected);
  });

  it("refuses to take a prefix of something that is not a key", () => {
    expect(() => apiKeyPrefix("sk-bl-short")).toThrow(RangeError);
  });

  it("names sha256 as the storage hash", () => {
    expect(API_KEY_HASH_ALGORITHM).toBe("sha256");
  });
});
