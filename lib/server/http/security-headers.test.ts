import { getScriptNonceFromHeader } from "next/dist/server/app-render/get-script-nonce-from-header";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { config, proxy } from "@/proxy";
import { API_SECURITY_HEADERS, newCspNonce, pageSecurityHeadersFor } from "./security-headers";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

const ORIGIN = "http://127.0.0.1:3000";
const SESSION = { cookie: "next-auth.session-token=x" };

function forwardedRequestHeader(response: Response, name: string): string | null {
  // How NextResponse.next({ request: { headers } }) hands the page its changed request headers.
  return response.headers.get(`x-middleware-request-${name}`);
}

describe("the nonce", () => {
  it("is fresh on every request", () => {
    const nonces = new Set(Array.from({ length: 1_000 }, newCspNonce));
    expect(nonces.size).toBe(1_000);
  });

  it("is the one Next finds in the policy and puts on its own scripts", () => {
    const nonce = newCspNonce();
    expect(getScriptNonceFromHeader(pageSecurityHeadersFor(nonce)["content-security-policy"])).toBe(nonce);
  });
});

describe("proxy.ts on a page", () => {
  it("sends the page policy and hands the same policy and nonce to the page's render", async () => {
    const response = (await proxy(new NextRequest(`${ORIGIN}/login`)));
    const policy = response.headers.get("content-security-policy")!;
    const nonce = getScriptNonceFromHeader(policy);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(forwardedRequestHeader(response, "content-security-policy")).toBe(policy);
    expect(forwardedRequestHeader(response, "x-nonce")).toBe(nonce);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("permissions-policy")).toContain("camera=()");
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("gives two requests two nonces", async () => {
    const first = (await proxy(new NextRequest(`${ORIGIN}/login`))).headers.get("x-middleware-request-x-nonce");
    const second = (await proxy(new NextRequest(`${ORIGIN}/login`))).headers.get("x-middleware-request-x-nonce");
    expect(first).not.toBe(second);
  });

  it.each(["/startup", "/lender/loans", "/admin/organizations"])("still sends an anonymous visitor of %s to the login page and back, with the headers", async (path) => {
    const response = (await proxy(new NextRequest(`${ORIGIN}${path}?tab=x`)));
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location")!);
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("callbackUrl")).toBe(`${path}?tab=x`);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it.each(["/startup", "/login", "/", "/startupish"])("lets %s through with a session cookie, or when it is not a signed-in area", async (path) => {
    const response = (await proxy(new NextRequest(`${ORIGIN}${path}`, { headers: path === "/startup" ? SESSION : {} })));
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });
});

describe("proxy.ts on an API route", () => {
  it.each(["/api/startup/credits", "/api/admin/queue"])("%s gets the API headers, no page policy, no nonce", async (path) => {
    const response = (await proxy(new NextRequest(`${ORIGIN}${path}`)));
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(forwardedRequestHeader(response, "x-nonce")).toBeNull();
    expect(response.headers.get("location")).toBeNull();
  });

  it("lets next-auth's own pages under /api/auth style themselves, nothing more", async () => {
    const policy = (await proxy(new NextRequest(`${ORIGIN}/api/auth/error`))).headers.get("content-security-policy")!;
    expect(policy).toContain("style-src 'unsafe-inline'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("script-src");
  });
});

describe("which requests proxy.ts sees", () => {
  it.each([
    ["a page", "/login", true],
    ["a signed-in page", "/startup/financing", true],
    ["the home page", "/", true],
    ["an App Router API", "/api/startup/credits", true],
    ["the lender API (its own API headers; its body limit must not wait for the proxy to read the body)", "/api/lender/v1/alerts", false],
    ["next-auth", "/api/auth/session", true],
    ["the routing API (its own precomputed headers: the hot path)", "/api/v1/chat/completions", false],
    ["the routing API's models", "/api/v1/models", false],
    ["the routing API's root", "/api/v1", false],
    ["a static chunk (served with a year's immutable caching)", "/_next/static/chunks/main.js", false],
    ["the image optimiser", "/_next/image?url=%2Flogo.svg&w=64&q=75", false],
  ])("%s (%s): %s", (_label, path, isMatched) => {
    expect(unstable_doesMiddlewareMatch({ config, url: path })).toBe(isMatched);
  });
});

describe("HSTS follows the site's public URL (NEXTAUTH_URL)", () => {
  it.each([
    ["https", "https://blockable.example", "max-age=31536000; includeSubDomains"],
    ["http", "http://localhost:3000", undefined],
  ])("%s → %s on pages and APIs alike", async (_label, siteUrl, hsts) => {
    vi.stubEnv("NEXTAUTH_URL", siteUrl);
    vi.resetModules();
    const fresh = await import("./security-headers");
    expect(fresh.API_SECURITY_HEADERS["strict-transport-security"]).toBe(hsts);
    expect(fresh.pageSecurityHeadersFor(newCspNonce())["strict-transport-security"]).toBe(hsts);
  });

  it("the API headers are one frozen object, shared by every reply", () => {
    expect(Object.isFrozen(API_SECURITY_HEADERS)).toBe(true);
  });
});
