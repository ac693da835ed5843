import { describe, expect, it } from "vitest";
import { nonPublicAddressReason, nonPublicHostReason } from "./destination";

describe("nonPublicAddressReason", () => {
  it.each([
    ["IPv4 loopback", "127.0.0.1", "a loopback address"],
    ["anywhere in 127/8", "127.255.1.2", "a loopback address"],
    ["10/8", "10.1.2.3", "a private address"],
    ["172.16/12, low end", "172.16.0.1", "a private address"],
    ["172.16/12, high end", "172.31.255.254", "a private address"],
    ["192.168/16", "192.168.1.10", "a private address"],
    ["the cloud metadata service", "169.254.169.254", "a link-local address (where cloud metadata services answer)"],
    ["carrier-grade NAT", "100.64.0.1", "a carrier-grade NAT address"],
    ["0.0.0.0 (reaches this machine on Linux)", "0.0.0.0", "an unspecified address"],
    ["multicast", "239.1.2.3", "a multicast address"],
    ["broadcast", "255.255.255.255", "a reserved address"],
    ["documentation", "203.0.113.5", "a documentation address"],
    ["IPv6 loopback", "::1", "a loopback address"],
    ["IPv6 unspecified", "::", "an unspecified address"],
    ["IPv4-mapped loopback, dotted", "::ffff:127.0.0.1", "a loopback address"],
    ["IPv4-mapped metadata service, hex", "::ffff:a9fe:a9fe", "a link-local address (where cloud metadata services answer)"],
    ["unique local", "fd12:3456::1", "a private (unique local) address"],
    ["IPv6 link-local", "fe80::1", "a link-local address"],
    ["NAT64 of a private address", "64:ff9b::a00:1", "a NAT64 address"],
    ["IPv6 multicast", "ff02::1", "a multicast address"],
    ["not an address at all", "hooks.example.com", "not an IP address"],
  ])("%s: %s is %s", (_label, address, reason) => {
    expect(nonPublicAddressReason(address)).toBe(reason);
  });

  it.each([
    ["a public IPv4 address", "93.184.216.34"],
    ["just outside 172.16/12 (below)", "172.15.255.255"],
    ["just outside 172.16/12 (above)", "172.32.0.1"],
    ["just outside carrier-grade NAT", "100.128.0.1"],
    ["a public IPv6 address", "2606:4700:4700::1111"],
    ["an IPv4-mapped public address", "::ffff:8.8.8.8"],
  ])("%s (%s) is a destination", (_label, address) => {
    expect(nonPublicAddressReason(address)).toBeNull();
  });
});

describe("nonPublicHostReason (a URL's hostname)", () => {
  it.each([
    ["localhost", "localhost", "this machine (localhost)"],
    ["localhost with a trailing dot", "localhost.", "this machine (localhost)"],
    ["any name under .localhost", "api.LOCALHOST", "this machine (localhost)"],
    ["a bracketed IPv6 literal", "[::1]", "a loopback address"],
    ["an IPv4 literal (URL parsing turns 0x7f.1 and 2130706433 into this)", "127.0.0.1", "a loopback address"],
    ["a private IPv4 literal", "10.0.0.7", "a private address"],
  ])("%s: %s", (_label, hostname, reason) => {
    expect(nonPublicHostReason(hostname)).toBe(reason);
  });

  it.each([
    ["a DNS name (only resolving it can tell)", "hooks.example.com"],
    ["a name that merely contains localhost", "localhost.example.com"],
    ["a public literal", "93.184.216.34"],
  ])("%s: %s passes", (_label, hostname) => {
    expect(nonPublicHostReason(hostname)).toBeNull();
  });

  it("sees through the spellings URL parsing normalises", () => {
    for (const url of ["http://0x7f.1/", "http://2130706433/", "http://[::ffff:127.0.0.1]/", "http://LOCALHOST./"]) {
      expect(nonPublicHostReason(new URL(url).hostname)).not.toBeNull();
    }
  });
});
