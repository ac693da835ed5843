import { expect, test, type APIResponse, type BrowserContext, type Response } from "@playwright/test";
import { demoApiKey, expectOnPath, queryE2eDatabase, signIn } from "./support";

// Security headers on the built app (issue 18, item 4): every page has a Content-Security-Policy
// whose nonce is on each of Next's scripts, and the app works under it — signing in, the charts,
// the theme script — without a single violation; every API reply, the routing API's included, is
// inert (nothing may load, run or frame it). Served over plain HTTP here, so no HSTS.

const STARTUP = "cto@acme-ai.example";
const LENDER = "analyst@northwind.example";
const ADMIN = "admin@blockable.dev";

const COMMON = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

function headersOf(response: Response | APIResponse): Record<string, string> {
  return response.headers();
}

function expectPageHeaders(response: Response | APIResponse, label: string): string {
  const headers = headersOf(response);
  expect(headers, label).toMatchObject(COMMON);
  expect(headers["permissions-policy"], label).toContain("camera=()");
  expect(headers["permissions-policy"], label).toContain("microphone=()");
  expect(headers["cross-origin-opener-policy"], label).toBe("same-origin");
  expect(headers["strict-transport-security"], `${label}: no HSTS over plain HTTP`).toBeUndefined();
  const policy = headers["content-security-policy"];
  expect(policy, label).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'(;|$)/);
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "connect-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:"]) {
    expect(policy, label).toContain(directive);
  }
  expect(policy, `${label}: no eval in a build`).not.toContain("unsafe-eval");
  return /'nonce-([^']+)'/.exec(policy)![1];
}

function expectApiHeaders(response: APIResponse, label: string) {
  expect(headersOf(response), label).toMatchObject({ ...COMMON, "content-security-policy": "default-src 'none'; frame-ancestors 'none'" });
  expect(headersOf(response)["strict-transport-security"], label).toBeUndefined();
}

/**
 * Every CSP violation in the context's pages, as the page itself reports it (the event) and as
 * Chromium logs it. The listener is injected by the browser, outside the page's policy.
 */
async function collectCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`securitypolicyviolation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  const watch = (page: import("@playwright/test").Page) =>
    page.on("console", (message) => {
      const text = message.text();
      if (/securitypolicyviolation|Content Security Policy/i.test(text)) violations.push(`${page.url()}: ${text}`);
    });
  context.pages().forEach(watch);
  context.on("page", watch);
  return violations;
}

test.describe("page headers", () => {
  test("the login page: the policy, and its nonce on every script Next wrote, fresh on each request", async ({ request }) => {
    const first = await request.get("/login");
    expect(first.status()).toBe(200);
    const nonce = expectPageHeaders(first, "/login");
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(3);
    for (const tag of scripts) expect(tag, "every script carries the request's nonce").toContain(`nonce="${nonce}"`);

    const second = expectPageHeaders(await request.get("/login"), "/login again");
    expect(second).not.toBe(nonce);
  });

  test("an anonymous visitor's redirect to the login page carries them too", async ({ request }) => {
    const response = await request.get("/startup", { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    expect(new URL(response.headers()["location"], "http://x").pathname).toBe("/login");
    expectPageHeaders(response, "redirect");
  });

  test("the build's static chunks keep their year of immutable caching", async ({ request }) => {
    const html = await (await request.get("/login")).text();
    const chunk = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(chunk).toBeTruthy();
    const response = await request.get(chunk!);
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  });
});

test.describe("API headers", () => {
  test("the routing API (its own precomputed headers), on a success and on a refusal", async ({ request }) => {
    const models = await request.get("/api/v1/models", { headers: { authorization: `Bearer ${demoApiKey("Acme AI")}` } });
    expect(models.status()).toBe(200);
    expectApiHeaders(models, "GET /api/v1/models");
    expect(models.headers()["access-control-allow-origin"]).toBe("*");

    const refused = await request.post("/api/v1/chat/completions", { data: {} });
    expect(refused.status()).toBe(401);
    expectApiHeaders(refused, "POST /api/v1/chat/completions without a key");
  });

  test("the lender API, the startup and admin route handlers, next-auth", async ({ page }) => {
    const lenderApi = await page.request.get("/api/lender/v1/alerts");
    expect(lenderApi.status()).toBe(401);
    expectApiHeaders(lenderApi, "GET /api/lender/v1/alerts without a token");

    await signIn(page, STARTUP);
    await expectOnPath(page, "/startup");
    const credits = await page.request.get("/api/startup/credits");
    expect(credits.status()).toBe(200);
    expectApiHeaders(credits, "GET /api/startup/credits");
    const admin = await page.request.get("/api/admin/queue");
    expect(admin.status()).toBe(403);
    expectApiHeaders(admin, "GET /api/admin/queue as a startup");

    const session = await page.request.get("/api/auth/session");
    expect(session.status()).toBe(200);
    expect(session.headers()).toMatchObject(COMMON);
    expect(session.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(session.headers()["content-security-policy"]).not.toContain("script-src");
  });
});

test.describe("the app works under its policy", () => {
  test("signing in and the startup's overview with its charts: no violation", async ({ page, context }) => {
    const violations = await collectCspViolations(context);
    await signIn(page, STARTUP);
    await expectOnPath(page, "/startup");
    const overview = await page.goto("/startup?range=30d");
    expectPageHeaders(overview!, "/startup");
    await expect(page.getByRole("heading", { level: 1, name: "Acme AI" })).toBeVisible();
    await expect(page.locator(".recharts-surface").first()).toBeVisible();
    await page.getByRole("tab", { name: "By provider" }).click();
    await expect(page.getByRole("img", { name: /daily spend by provider/ })).toBeVisible();
    // Hydrated: a client-side navigation works (the framework's scripts ran with the nonce).
    await page.getByRole("link", { name: "Last 7 days" }).click();
    await expect(page.getByRole("link", { name: "Last 7 days" })).toHaveAttribute("aria-current", "page");
    await page.waitForLoadState("networkidle");
    expect(violations).toEqual([]);
  });

  test("the lender's loan page (coverage chart) and the admin console, light and dark: no violation", async ({ page, context }) => {
    const violations = await collectCspViolations(context);
    const [loan] = queryE2eDatabase<{ id: string }>(
      `SELECT l.id FROM "Loan" l JOIN "Organization" o ON o.id = l."lenderOrgId" WHERE o.name = 'Northwind Credit Fund' AND l.state NOT IN ('SUBMITTED','REJECTED','WITHDRAWN') LIMIT 1`,
    );
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await context.clearCookies();
      await signIn(page, LENDER);
      await expectOnPath(page, "/lender");
      await page.goto(`/lender/loans/${loan.id}`);
      await expect(page.locator(".recharts-surface").first()).toBeVisible();
      // The theme's inline script ran (it carries the nonce): the page is in the system's scheme.
      await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${scheme}\\b`));
      await page.waitForLoadState("networkidle");
    }
    await context.clearCookies();
    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await expect(page.getByRole("heading", { level: 1, name: "Platform" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(violations).toEqual([]);
  });

  test("a script injected into the page (as an XSS would) does not run, and is reported", async ({ page, context }) => {
    const violations = await collectCspViolations(context);
    // The server's reply, headers and all, with an inline script and an inline handler added.
    await page.route("**/login", async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace("</body>", '<script>window.__injected = "script"</script><img src="/nope.png" onerror="window.__injected = \'handler\'"></body>');
      await route.fulfill({ response, body: html });
    });
    await page.goto("/login");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expect.poll(() => violations.filter((v) => v.includes("script-src")).length).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => (window as unknown as { __injected?: string }).__injected)).toBeUndefined();
  });
});
