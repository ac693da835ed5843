import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secret-box";

const encryptionKey = randomBytes(32).toString("base64");

describe("secret box (upstream keys at rest)", () => {
  it("round-trips and never contains the plaintext", () => {
    const sealed = sealSecret("sk-upstream-123", encryptionKey);
    expect(sealed).not.toContain("sk-upstream-123");
    expect(openSecret(sealed, encryptionKey)).toBe("sk-upstream-123");
  });

  it("uses a fresh IV each time", () => {
    expect(sealSecret("same", encryptionKey)).not.toBe(sealSecret("same", encryptionKey));
  });

  it("refuses a tampered ciphertext or another key", () => {
    const sealed = sealSecret("secret", encryptionKey);
    const tampered = sealed.slice(0, -4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(() => openSecret(tampered, encryptionKey)).toThrow();
    expect(() => openSecret(sealed, randomBytes(32).toString("base64"))).toThrow();
  });

  it("refuses a key of the wrong size with a clear message", () => {
    expect(() => sealSecret("x", Buffer.alloc(16).toString("base64"))).toThrow("32 bytes");
  });
});
