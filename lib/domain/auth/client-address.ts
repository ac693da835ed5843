// The address a sign-in came from, as the sessions list shows it ("signed in from 203.0.113.7").
// Read from the proxy headers Next.js and reverse proxies set; a client can write those headers
// too, so the address is a hint for the person reading their own sessions, never an access rule.

import { isIP } from "node:net";

type HeaderValue = string | string[] | null | undefined;

/** The first well-formed IP address in X-Forwarded-For, else X-Real-IP, else null. */
export function clientAddressFrom(headers: Record<string, HeaderValue>): string | null {
  const forwardedFor = first(headers["x-forwarded-for"])?.split(",") ?? [];
  for (const candidate of [...forwardedFor, first(headers["x-real-ip"]) ?? ""]) {
    const address = normalise(candidate);
    if (address) return address;
  }
  return null;
}

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : (value ?? undefined);
}

/** "::ffff:127.0.0.1" → "127.0.0.1"; "[::1]" → "::1"; anything that is not an IP → null. */
function normalise(candidate: string): string | null {
  const trimmed = candidate.trim().replace(/^\[(.*)\]$/, "$1");
  const unmapped = trimmed.toLowerCase().startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
  return isIP(unmapped) ? unmapped : null;
}
