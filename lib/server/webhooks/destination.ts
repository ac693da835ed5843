import "@/lib/server/server-only";
import dns from "node:dns";
import type { LookupFunction } from "node:net";
import { nonPublicAddressReason, nonPublicHostReason } from "@/lib/domain/webhooks/destination";

/**
 * Webhooks go only to public addresses (lib/domain/webhooks/destination.ts says why), unless
 * BLOCKABLE_WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS=1: a self-hosted install whose receivers live on
 * its own network, local development, the tests' receivers on 127.0.0.1.
 */
export function privateDestinationsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.BLOCKABLE_WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS;
  return value === "1" || value === "true";
}

/** Resolves a host name to every address it has now (DNS by default; tests pass their own). */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

const resolveWithDns: ResolveHost = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** A destination refused before any byte was sent. */
export class NonPublicDestinationError extends Error {
  readonly code = "ENONPUBLIC";
}

/** A URL whose host is a non-public literal address or localhost: refused without a lookup. */
export function literalDestinationRefusal(url: string): string | null {
  const hostname = new URL(url).hostname;
  const reason = nonPublicHostReason(hostname);
  return reason ? `${hostname} is ${reason}` : null;
}

/**
 * The lookup a webhook request connects with when only public destinations are allowed: it
 * resolves the name and fails if any answer is not public, so the socket connects to an address
 * that was checked — a DNS answer that changes after a check (rebinding) cannot slip through.
 * Literal addresses never reach a lookup; `literalDestinationRefusal` covers them.
 */
export function publicOnlyLookup(resolve: ResolveHost = resolveWithDns): LookupFunction {
  return (hostname, options, callback) => {
    const done = callback as (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;
    resolve(hostname).then(
      (addresses) => {
        for (const { address } of addresses) {
          const reason = nonPublicAddressReason(address);
          if (reason) return done(new NonPublicDestinationError(`${hostname} resolves to ${address}, ${reason}`), "", 0);
        }
        if (addresses.length === 0) return done(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (options.all) return done(null, wanted);
        const first = wanted[0] ?? addresses[0];
        done(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => done(error, "", 0),
    );
  };
}
