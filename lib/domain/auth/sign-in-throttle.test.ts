import { describe, expect, it } from "vitest";
import {
  retryAfterMsOfSignInError,
  signInThrottlePolicyFromEnv,
  throttleAddressEntry,
  throttleAddressKey,
  tooManyAttemptsError,
  tooManyAttemptsMessage,
} from "./sign-in-throttle";

describe("signInThrottlePolicyFromEnv", () => {
  it("defaults: 10 failures per account and 100 per address in 15 minutes, no proxy", () => {
    expect(signInThrottlePolicyFromEnv({})).toEqual({ windowMs: 15 * 60_000, maxFailuresPerAccount: 10, maxFailuresPerAddress: 100, trustedProxies: 0 });
  });

  it("reads each setting", () => {
    expect(
      signInThrottlePolicyFromEnv({ BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ACCOUNT: "5", BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ADDRESS: " 1000 ", BLOCKABLE_TRUSTED_PROXIES: "2" }),
    ).toMatchObject({ maxFailuresPerAccount: 5, maxFailuresPerAddress: 1000, trustedProxies: 2 });
  });

  it.each([
    ["BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ACCOUNT", "0", 'BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ACCOUNT must be a whole number from 1 to 1,000,000, not "0"'],
    ["BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ADDRESS", "ten", 'BLOCKABLE_SIGNIN_MAX_FAILURES_PER_ADDRESS must be a whole number from 1 to 1,000,000, not "ten"'],
    ["BLOCKABLE_TRUSTED_PROXIES", "true", 'BLOCKABLE_TRUSTED_PROXIES must be a whole number from 0 to 10, not "true"'],
    ["BLOCKABLE_TRUSTED_PROXIES", "-1", 'BLOCKABLE_TRUSTED_PROXIES must be a whole number from 0 to 10, not "-1"'],
  ])("a malformed %s (%s) is an error naming it", (name, value, message) => {
    expect(() => signInThrottlePolicyFromEnv({ [name]: value })).toThrow(message);
  });
});

describe("throttleAddressEntry: the X-Forwarded-For entry that names the client", () => {
  it.each([
    ["no proxy: the socket's address Next.js wrote", "203.0.113.7", 0, "203.0.113.7"],
    ["no proxy: a forged list counts as its right-most entry", "1.1.1.1, 203.0.113.7", 0, "203.0.113.7"],
    ["one proxy: what it appended, not what the client claimed", "10.9.9.9, 203.0.113.7", 1, "203.0.113.7"],
    ["two proxies: the one before the inner proxy", "10.9.9.9, 203.0.113.7, 198.51.100.1", 2, "203.0.113.7"],
    ["fewer entries than proxies: the left-most", "203.0.113.7", 3, "203.0.113.7"],
    ["empty entries are skipped", " , 203.0.113.7 ,", 0, "203.0.113.7"],
    ["a repeated header reads as one list", ["10.9.9.9", "203.0.113.7"], 1, "203.0.113.7"],
    ["no header", undefined, 0, null],
    ["an empty header", "", 1, null],
  ])("%s", (_label, header, trustedProxies, expected) => {
    expect(throttleAddressEntry(header, trustedProxies)).toBe(expected);
  });
});

describe("throttleAddressKey: IPv4 as itself, IPv6 by its /64", () => {
  it.each([
    ["IPv4", "203.0.113.7", "203.0.113.7"],
    ["IPv6, full", "2001:0db8:0001:0002:0000:0000:0000:0005", "2001:db8:1:2::/64"],
    ["IPv6, compressed, same /64", "2001:db8:1:2::ffff", "2001:db8:1:2::/64"],
    ["IPv6, compressed inside the prefix", "2001:db8::1", "2001:db8:0:0::/64"],
    ["IPv6, upper case", "2001:DB8:1:2::5", "2001:db8:1:2::/64"],
    ["loopback", "::1", "0:0:0:0::/64"],
    ["an embedded IPv4 tail", "64:ff9b::192.0.2.33", "64:ff9b:0:0::/64"],
    ["not an address: kept as written", "1::2::3", "1::2::3"],
  ])("%s", (_label, address, expected) => {
    expect(throttleAddressKey(address)).toBe(expected);
  });
});

describe("the refusal the login form shows", () => {
  it.each([
    ["a whole number of minutes", 9 * 60_000, "Too many sign-in attempts. Try again in 9 minutes."],
    ["a part minute rounds up", 8 * 60_000 + 1, "Too many sign-in attempts. Try again in 9 minutes."],
    ["a few seconds is one minute, never zero", 4_000, "Too many sign-in attempts. Try again in 1 minute."],
    ["10 failures at a window's start: 16½ minutes", 16.5 * 60_000, "Too many sign-in attempts. Try again in 17 minutes."],
  ])("%s", (_label, retryAfterMs, message) => {
    expect(tooManyAttemptsMessage(retryAfterMs)).toBe(message);
  });

  it("carries the wait in whole seconds (rounded up) from the server to the form", () => {
    expect(tooManyAttemptsError(539_001)).toBe("TooManyAttempts:540");
    expect(tooManyAttemptsError(0)).toBe("TooManyAttempts:1");
    expect(retryAfterMsOfSignInError("TooManyAttempts:540")).toBe(540_000);
    expect(tooManyAttemptsMessage(retryAfterMsOfSignInError(tooManyAttemptsError(539_001))!)).toBe("Too many sign-in attempts. Try again in 9 minutes.");
  });

  it.each([["CredentialsSignin"], ["AccountDisabled"], ["TooManyAttempts"], ["TooManyAttempts:"], ["TooManyAttempts:-5"], ["TooManyAttempts:12abc"], [""], [null], [undefined]])(
    "any other error (%s) carries no wait",
    (error) => {
      expect(retryAfterMsOfSignInError(error)).toBeNull();
    },
  );
});
