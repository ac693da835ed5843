import { describe, expect, it } from "vitest";
import { authWarningLine, classifyAuthError } from "./auth-log";

/** An error shaped like jose's (a class name and an ERR_… code), as next-auth passes it on. */
function joseError(name: string, code: string, message: string) {
  return Object.assign(new Error(message), { name, code });
}

describe("classifyAuthError", () => {
  it.each([
    ["a garbage cookie", "JWT_SESSION_ERROR", joseError("JWEInvalid", "ERR_JWE_INVALID", "Invalid Compact JWE"), "[next-auth] JWT_SESSION_ERROR: session cookie refused (ERR_JWE_INVALID: Invalid Compact JWE)"],
    ["a cookie sealed with another secret", "JWT_SESSION_ERROR", joseError("JWEDecryptionFailed", "ERR_JWE_DECRYPTION_FAILED", "decryption operation failed"), "[next-auth] JWT_SESSION_ERROR: session cookie refused (ERR_JWE_DECRYPTION_FAILED: decryption operation failed)"],
    ["an expired token", "JWT_SESSION_ERROR", joseError("JWTExpired", "ERR_JWT_EXPIRED", '"exp" claim timestamp check failed'), '[next-auth] JWT_SESSION_ERROR: session cookie refused (ERR_JWT_EXPIRED: "exp" claim timestamp check failed)'],
    ["signing out with a garbage cookie", "SIGNOUT_ERROR", joseError("JWEInvalid", "ERR_JWE_INVALID", "Invalid Compact JWE"), "[next-auth] SIGNOUT_ERROR: session cookie refused (ERR_JWE_INVALID: Invalid Compact JWE)"],
    ["a message with newlines stays on one line", "JWT_SESSION_ERROR", joseError("JWEInvalid", "ERR_JWE_INVALID", "bad\ncookie\r\nvalue"), "[next-auth] JWT_SESSION_ERROR: session cookie refused (ERR_JWE_INVALID: bad cookie value)"],
  ])("%s → one warning line", (_label, code, error, line) => {
    expect(classifyAuthError(code, error)).toEqual({ level: "warn", line });
  });

  it("bounds a long message", () => {
    const entry = classifyAuthError("JWT_SESSION_ERROR", joseError("JWEInvalid", "ERR_JWE_INVALID", "x".repeat(5_000)));
    expect(entry.level).toBe("warn");
    expect(entry.level === "warn" && entry.line.length).toBeLessThan(300);
  });

  it.each([
    ["our own callback failing (the database is down) under the cookie code", "JWT_SESSION_ERROR", new Error("connect ECONNREFUSED 127.0.0.1:5432")],
    ["a token error under another code", "CALLBACK_CREDENTIALS_ERROR", joseError("JWEInvalid", "ERR_JWE_INVALID", "Invalid Compact JWE")],
    ["a plain object that claims to be a token error (not an Error)", "JWT_SESSION_ERROR", { name: "JWEInvalid", code: "ERR_JWE_INVALID", message: "forged" }],
    ["an error with a non-jose code", "JWT_SESSION_ERROR", Object.assign(new Error("boom"), { code: "ECONNRESET" })],
    ["nothing", "JWT_SESSION_ERROR", undefined],
  ])("%s → logged as an error, with its stack", (_label, code, metadata) => {
    expect(classifyAuthError(code, metadata)).toEqual({ level: "error" });
  });
});

describe("authWarningLine", () => {
  it("is one line naming the warning and where to read about it", () => {
    expect(authWarningLine("NEXTAUTH_URL")).toBe("[next-auth] warning NEXTAUTH_URL: https://next-auth.js.org/warnings#nextauth_url");
  });
});
