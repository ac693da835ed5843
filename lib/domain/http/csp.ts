// The security headers of every reply: pages (a Content-Security-Policy with a nonce per request,
// framing refused, no sniffing, a referrer trimmed to the origin, powerful features off) and APIs
// (nothing a browser could render or frame). Pure: the nonce, the environment and whether the site
// is served over HTTPS are arguments, so each policy is table-tested as the browser reads it.

/** A year, with subdomains: what the HSTS preload list asks of a site, without preloading it. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/**
 * Features no screen of this app uses, turned off for it and anything it embeds. Only features
 * Chromium knows are listed: an unknown one costs a console error on every page.
 */
export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "camera=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "payment=()",
  "usb=()",
  "browsing-topics=()",
].join(", ");

/**
 * An API reply is JSON, CSV or a stream: nothing in it may load, run or be framed, so a reply
 * opened in a tab (or a JSON body an attacker got reflected) renders inert.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * next-auth's own HTML pages under /api/auth (the error page, the sign-out confirmation) carry an
 * inline <style> and a form posting to themselves; everything else stays refused.
 */
export const AUTH_PAGES_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Base64 (with the URL-safe alphabet accepted too), as CSP's nonce-source grammar and Next's parser take it. */
const NONCE_PATTERN = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

export type PagePolicyOptions = {
  /** Fresh for every request and unguessable (at least 128 random bits, base64). */
  nonce: string;
  /** `next dev`: React rebuilds server error stacks with eval. Never in a build. */
  isDevelopment: boolean;
};

/**
 * The page policy. Scripts run only with this request's nonce, which Next puts on its own scripts
 * (read from the request's copy of this header); 'strict-dynamic' extends that trust to the
 * chunks they load, so no host list is needed ('self' stays for browsers without CSP 3). Styles
 * allow inline: Tailwind's runtime bits, Radix's positioning and recharts set `style` attributes,
 * which a nonce cannot cover. Everything is fetched from this origin only.
 */
export function pageContentSecurityPolicy({ nonce, isDevelopment }: PagePolicyOptions): string {
  if (!NONCE_PATTERN.test(nonce)) throw new Error("A CSP nonce is base64 of at least 128 random bits.");
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(isDevelopment ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  return directives.map((directive) => directive.join(" ")).join("; ");
}

/** The nonce for `bytes` random bytes (16 or more), in base64. */
export function nonceFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new Error("A CSP nonce needs at least 16 random bytes.");
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Whether the site is served over HTTPS, from its public URL (NEXTAUTH_URL, the address next-auth
 * already builds callbacks and Secure cookies from). One decision per process, not per request:
 * HSTS is a year-long promise about the whole host, so it follows what the operator declared, not a
 * forwarded header any client can send when no proxy strips it; and the routing API's replies can
 * then carry it in a precomputed object.
 */
export function isHttpsSite(siteUrl: string | undefined): boolean {
  if (!siteUrl) return false;
  try {
    return new URL(siteUrl).protocol === "https:";
  } catch {
    return false;
  }
}

type HeaderOptions = { isHttps: boolean };

/** Headers every reply carries, page or API. */
function commonHeaders({ isHttps }: HeaderOptions): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    ...(isHttps ? { "strict-transport-security": STRICT_TRANSPORT_SECURITY } : {}),
  };
}

/** The headers of an API reply (route handlers, the routing API, next-auth's endpoints). */
export function apiSecurityHeaders(options: HeaderOptions & { isAuthPages?: boolean }): Record<string, string> {
  return {
    "content-security-policy": options.isAuthPages ? AUTH_PAGES_CONTENT_SECURITY_POLICY : API_CONTENT_SECURITY_POLICY,
    ...commonHeaders(options),
  };
}

/** The headers of a page (HTML, its RSC payloads, server actions). */
export function pageSecurityHeaders(options: HeaderOptions & PagePolicyOptions): Record<string, string> {
  return {
    "content-security-policy": pageContentSecurityPolicy(options),
    ...commonHeaders(options),
    "permissions-policy": PERMISSIONS_POLICY,
    "cross-origin-opener-policy": "same-origin",
  };
}
