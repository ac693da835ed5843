import { BlockList, isIP } from "node:net";

/**
 * Where a webhook may be delivered. Lenders type endpoint URLs in; without this check a URL could
 * make the server POST into its own network — its loopback interface, a cloud metadata service on
 * 169.254.169.254, a database on 10.x — and read the answer back from the delivery log (server-side
 * request forgery). Only public unicast addresses are destinations.
 */

type Range = { network: string; prefix: number; family: "ipv4" | "ipv6"; reason: string };

const NON_PUBLIC_RANGES: Range[] = [
  { network: "0.0.0.0", prefix: 8, family: "ipv4", reason: "an unspecified address" },
  { network: "10.0.0.0", prefix: 8, family: "ipv4", reason: "a private address" },
  { network: "100.64.0.0", prefix: 10, family: "ipv4", reason: "a carrier-grade NAT address" },
  { network: "127.0.0.0", prefix: 8, family: "ipv4", reason: "a loopback address" },
  { network: "169.254.0.0", prefix: 16, family: "ipv4", reason: "a link-local address (where cloud metadata services answer)" },
  { network: "172.16.0.0", prefix: 12, family: "ipv4", reason: "a private address" },
  { network: "192.0.0.0", prefix: 24, family: "ipv4", reason: "an IETF protocol address" },
  { network: "192.0.2.0", prefix: 24, family: "ipv4", reason: "a documentation address" },
  { network: "192.168.0.0", prefix: 16, family: "ipv4", reason: "a private address" },
  { network: "198.18.0.0", prefix: 15, family: "ipv4", reason: "a benchmarking address" },
  { network: "198.51.100.0", prefix: 24, family: "ipv4", reason: "a documentation address" },
  { network: "203.0.113.0", prefix: 24, family: "ipv4", reason: "a documentation address" },
  { network: "224.0.0.0", prefix: 4, family: "ipv4", reason: "a multicast address" },
  { network: "240.0.0.0", prefix: 4, family: "ipv4", reason: "a reserved address" },
  { network: "::", prefix: 128, family: "ipv6", reason: "an unspecified address" },
  { network: "::1", prefix: 128, family: "ipv6", reason: "a loopback address" },
  // NAT64 embeds an IPv4 address, possibly a private one: not a destination either.
  { network: "64:ff9b::", prefix: 96, family: "ipv6", reason: "a NAT64 address" },
  { network: "64:ff9b:1::", prefix: 48, family: "ipv6", reason: "a local NAT64 address" },
  { network: "100::", prefix: 64, family: "ipv6", reason: "a discard address" },
  { network: "2001:db8::", prefix: 32, family: "ipv6", reason: "a documentation address" },
  { network: "fc00::", prefix: 7, family: "ipv6", reason: "a private (unique local) address" },
  { network: "fe80::", prefix: 10, family: "ipv6", reason: "a link-local address" },
  { network: "ff00::", prefix: 8, family: "ipv6", reason: "a multicast address" },
];

// One list per range so a refusal can say which kind of address it met. IPv4 ranges also match the
// same addresses written as IPv4-mapped IPv6 (::ffff:127.0.0.1).
const LISTS = NON_PUBLIC_RANGES.map((range) => {
  const list = new BlockList();
  list.addSubnet(range.network, range.prefix, range.family);
  return { list, reason: range.reason };
});

/** Why an IP address is not a webhook destination, or null when it is a public one. */
export function nonPublicAddressReason(address: string): string | null {
  const version = isIP(address);
  if (version === 0) return "not an IP address";
  const family = version === 4 ? "ipv4" : "ipv6";
  for (const { list, reason } of LISTS) if (list.check(address, family)) return reason;
  return null;
}

/**
 * Why a URL's host (as `new URL().hostname` gives it) can never be a webhook destination, or null
 * when only resolving the name can tell: a literal non-public address, or a name that always
 * means this machine.
 */
export function nonPublicHostReason(hostname: string): string | null {
  const host = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  if (isIP(host)) return nonPublicAddressReason(host);
  const name = host.toLowerCase().replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return "this machine (localhost)";
  return null;
}
