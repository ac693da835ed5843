import { describe, expect, it } from "vitest";
import {
  API_CONTENT_SECURITY_POLICY,
  apiSecurityHeaders,
  isHttpsSite,
  nonceFromBytes,
  pageContentSecurityPolicy,
  pageSecurityHeaders,
  PERMISSIONS_POLICY,
  STRICT_TRANSPORT_SECURITY,
} from "./csp";

const NONCE = "AAECAwQFBgcICQoLDA0ODw==";

/** A policy as a browser reads it: directive name → its sources. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split(";").map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe("the page Content-Security-Policy", () => {
  const production = directives(pageContentSecurityPolicy({ nonce: NONCE, isDevelopment: false }));

  it.each([
    ["scripts run only with this request's nonce, and what they load", "script-src", ["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'"]],
    ["styles from this origin and inline (Radix, recharts, Tailwind set style attributes)", "style-src", ["'self'", "'unsafe-inline'"]],
    ["images from this origin, data: and blob: URLs (charts, avatars, downloads)", "img-src", ["'self'", "data:", "blob:"]],
    ["fonts from this origin and data: URLs", "font-src", ["'self'", "data:"]],
    ["fetches only to this origin", "connect-src", ["'self'"]],
    ["anything else only from this origin", "default-src", ["'self'"]],
    ["no plugins", "object-src", ["'none'"]],
    ["no <base> pointing elsewhere", "base-uri", ["'self'"]],
    ["forms post only here", "form-action", ["'self'"]],
    ["no site may frame a page (clickjacking)", "frame-ancestors", ["'none'"]],
  ])("%s: %s", (_label, name, sources) => {
    expect(production[name]).toEqual(sources);
  });

  it("never allows inline or eval'd script in a build", () => {
    expect(production["script-src"]).not.toContain("'unsafe-inline'");
    expect(production["script-src"]).not.toContain("'unsafe-eval'");
  });

  it("allows eval under `next dev` only (React rebuilds server error stacks with it)", () => {
    expect(directives(pageContentSecurityPolicy({ nonce: NONCE, isDevelopment: true }))["script-src"]).toEqual(["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'", "'unsafe-eval'"]);
  });

  it.each([
    ["empty", ""],
    ["too short to be unguessable", "abc123"],
    ["a quote that would end the source", `${NONCE}' 'unsafe-inline`],
    ["a semicolon that would start a directive", `${NONCE}; script-src *`],
    ["whitespace", `${NONCE} x`],
  ])("refuses a nonce that is %s", (_label, nonce) => {
    expect(() => pageContentSecurityPolicy({ nonce, isDevelopment: false })).toThrow(/nonce/);
  });
});

describe("nonces", () => {
  it("are the base64 of the random bytes", () => {
    expect(nonceFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i))).toBe(NONCE);
  });

  it("refuse fewer than 128 bits", () => {
    expect(() => nonceFromBytes(new Uint8Array(15))).toThrow(/16 random bytes/);
  });

  it("from any 16 bytes are accepted by the policy", () => {
    expect(() => pageContentSecurityPolicy({ nonce: nonceFromBytes(new Uint8Array(16).fill(255)), isDevelopment: false })).not.toThrow();
  });
});

describe("whether the site is served over HTTPS (HSTS)", () => {
  it.each([
    ["an https public URL", "https://blockable.example", true],
    ["an https URL with a port and path", "https://blockable.example:8443/app", true],
    ["plain http", "http://localhost:3000", false],
    ["no URL configured", undefined, false],
    ["an empty URL", "", false],
    ["not a URL", "blockable.example", false],
  ])("%s → %s", (_label, siteUrl, isHttps) => {
    expect(isHttpsSite(siteUrl)).toBe(isHttps);
  });
});

describe("the headers of a page", () => {
  it("over plain HTTP: policy, framing, sniffing, referrer, features, opener — no HSTS", () => {
    expect(pageSecurityHeaders({ nonce: NONCE, isDevelopment: false, isHttps: false })).toEqual({
      "content-security-policy": pageContentSecurityPolicy({ nonce: NONCE, isDevelopment: false }),
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "permissions-policy": PERMISSIONS_POLICY,
      "cross-origin-opener-policy": "same-origin",
    });
  });

  it("over HTTPS: the same with a year of HSTS, subdomains included", () => {
    expect(pageSecurityHeaders({ nonce: NONCE, isDevelopment: false, isHttps: true })["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });

  it.each(["camera", "microphone", "geolocation", "payment", "usb"])("turns off %s for the page and anything it embeds", (feature) => {
    expect(PERMISSIONS_POLICY.split(", ")).toContain(`${feature}=()`);
  });
});

describe("the headers of an API reply", () => {
  it("over plain HTTP: nothing loads, runs or frames; no sniffing; no HSTS", () => {
    expect(apiSecurityHeaders({ isHttps: false })).toEqual({
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
  });

  it("over HTTPS: with HSTS", () => {
    expect(apiSecurityHeaders({ isHttps: true })["strict-transport-security"]).toBe(STRICT_TRANSPORT_SECURITY);
  });

  it("next-auth's own HTML pages may style themselves inline and post to themselves, still unframed and scriptless", () => {
    const policy = directives(apiSecurityHeaders({ isHttps: false, isAuthPages: true })["content-security-policy"]);
    expect(policy["default-src"]).toEqual(["'none'"]);
    expect(policy["style-src"]).toEqual(["'unsafe-inline'"]);
    expect(policy["form-action"]).toEqual(["'self'"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(policy["script-src"]).toBeUndefined();
    expect(API_CONTENT_SECURITY_POLICY).not.toContain("unsafe");
  });
});
