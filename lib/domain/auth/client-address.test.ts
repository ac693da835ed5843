import { describe, expect, it } from "vitest";
import { clientAddressFrom } from "./client-address";

describe("clientAddressFrom", () => {
  it.each([
    ["X-Forwarded-For's first address", { "x-forwarded-for": "203.0.113.7, 10.0.0.2" }, "203.0.113.7"],
    ["an IPv6 address", { "x-forwarded-for": "2001:db8::1" }, "2001:db8::1"],
    ["a bracketed IPv6 address", { "x-forwarded-for": "[::1]" }, "::1"],
    ["an IPv4-mapped IPv6 address, as IPv4", { "x-forwarded-for": "::ffff:127.0.0.1" }, "127.0.0.1"],
    ["past a first entry that is not an address", { "x-forwarded-for": "unknown, 198.51.100.4" }, "198.51.100.4"],
    ["X-Real-IP when X-Forwarded-For has none", { "x-forwarded-for": "<script>", "x-real-ip": "198.51.100.9" }, "198.51.100.9"],
    ["the first value of a repeated header", { "x-forwarded-for": ["192.0.2.1", "192.0.2.2"] }, "192.0.2.1"],
    ["nothing usable", { "x-forwarded-for": "evil.example", "x-real-ip": "" }, null],
    ["no headers", {}, null],
  ])("%s", (_label, headers, expected) => {
    expect(clientAddressFrom(headers)).toBe(expected);
  });
});
