import "@/lib/server/server-only";
import { apiSecurityHeaders, isHttpsSite, nonceFromBytes, pageSecurityHeaders } from "@/lib/domain/http/csp";

/**
 * The security headers this process sends (policies in lib/domain/http/csp.ts). HSTS is on when
 * the site's public URL, NEXTAUTH_URL, is https — the same switch next-auth uses for its Secure
 * cookies; a deployment behind a TLS proxy sets it to its https address. Read once at start: the
 * routing API spreads these objects into every reply and does no work per request for them.
 */
const isHttps = isHttpsSite(process.env.NEXTAUTH_URL);

/** Route handlers under /api (set by proxy.ts) and the routing API (spread into its replies). */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze(apiSecurityHeaders({ isHttps }));

/** next-auth's own HTML pages under /api/auth (its error and sign-out pages style themselves inline). */
export const AUTH_API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze(apiSecurityHeaders({ isHttps, isAuthPages: true }));

/** 128 random bits, fresh for each page request. */
export function newCspNonce(): string {
  return nonceFromBytes(crypto.getRandomValues(new Uint8Array(16)));
}

/** A page's headers, its Content-Security-Policy allowing the scripts that carry `nonce`. */
export function pageSecurityHeadersFor(nonce: string): Record<string, string> {
  return pageSecurityHeaders({ nonce, isHttps, isDevelopment: process.env.NODE_ENV === "development" });
}
