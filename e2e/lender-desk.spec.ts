import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { demoApiKey, expectNoSeriousA11yViolations, expectOnPath, queryE2eDatabase, signIn } from "./support";

// The lender's desk as Northwind's analyst uses it, on the built app and the seeded demo world:
// find the loan that needs attention, freeze it and see the routing API refuse its borrower,
// unfreeze, liquidate part of it after reading the waterfall, work the alerts inbox, and wire the
// fund's automation (an API token, a webhook to a receiver on 127.0.0.1).

const NORTHWIND = "analyst@northwind.example";
const KESTREL = "analyst@kestrel.example";

type LoanRow = { id: string; reference: string };

function loanOf(startupName: string): LoanRow {
  const [loan] = queryE2eDatabase<LoanRow>(
    `SELECT l.id, l.reference FROM "Loan" l JOIN "Organization" o ON o.id = l."startupOrgId"
     WHERE o.name = ? AND l.state NOT IN ('SUBMITTED','REJECTED','WITHDRAWN','REPAID','LIQUIDATED') LIMIT 1`,
    startupName,
  );
  if (!loan) throw new Error(`No open loan for ${startupName}`);
  return loan;
}

async function chat(request: APIRequestContext, apiKey: string) {
  const response = await request.post("/api/v1/chat/completions", {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { model: "llama-3.1-8b-instruct", messages: [{ role: "user", content: "Still admitted?" }], max_tokens: 8 },
  });
  const body = await response.json();
  return { status: response.status(), code: body?.error?.code as string | undefined };
}

async function openFreezeDialog(page: Page, mode: RegExp) {
  await page.getByRole("button", { name: "Freeze", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("radio", { name: mode }).check();
  await dialog.getByLabel("Reason").fill("E2E: coverage below maintenance, protecting the facility.");
  return dialog;
}

test.describe("the lender's desk", () => {
  test("freeze a margin-call loan, the borrower's API refuses it; unfreeze, it is admitted; then liquidate part of it", async ({ page, request }) => {
    const vectorly = loanOf("Vectorly");
    const vectorlyKey = demoApiKey("Vectorly");
    await signIn(page, NORTHWIND);
    await expectOnPath(page, "/lender");
    await expect(page.getByRole("heading", { level: 1, name: "Portfolio" })).toBeVisible();

    // Worst coverage first: the margin-call loan is in the table and opens its page.
    await page.getByRole("link", { name: vectorly.reference }).first().click();
    await expectOnPath(page, `/lender/loans/${vectorly.id}`);
    await expect(page.getByRole("heading", { level: 1, name: vectorly.reference })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Coverage", exact: true })).toBeVisible();
    await expect(page.locator(".recharts-surface").first()).toBeVisible();

    expect((await chat(request, vectorlyKey)).status).toBe(200);

    const freeze = await openFreezeDialog(page, /^Everything/);
    await freeze.getByRole("button", { name: "Confirm freeze" }).click();
    await expect(freeze).toBeHidden();
    await expect(page.getByText(/Refusing: 402 credits_frozen/)).toBeVisible();
    await expect(page.getByText(/^Last freeze \(/)).toContainText(/committed \d+ ms after the request/);
    expect(await chat(request, vectorlyKey)).toEqual({ status: 402, code: "credits_frozen" });

    await page.getByRole("button", { name: "Unfreeze", exact: true }).click();
    const unfreeze = page.getByRole("dialog");
    await unfreeze.getByRole("radio", { name: /^Everything frozen/ }).check();
    await unfreeze.getByLabel("Reason").fill("E2E: cured by the borrower.");
    await unfreeze.getByRole("button", { name: "Confirm unfreeze" }).click();
    await expect(unfreeze).toBeHidden();
    await expect(page.getByText(/Still admitting/)).toBeVisible();
    expect((await chat(request, vectorlyKey)).status).toBe(200);

    // Liquidation sells frozen credits: freeze again, read the waterfall, sell part.
    const refreeze = await openFreezeDialog(page, /^Everything/);
    await refreeze.getByRole("button", { name: "Confirm freeze" }).click();
    await expect(refreeze).toBeHidden();
    await page.getByRole("button", { name: "Liquidate", exact: true }).click();
    const liquidate = page.getByRole("dialog");
    await liquidate.getByRole("radio", { name: /^Partial/ }).check();
    await expect(liquidate.getByText("The waterfall (partial)")).toBeVisible();
    await expect(liquidate.getByText("Proceeds at mark")).toBeVisible();
    await expect(liquidate.getByText(/Principal paid/).first()).toBeVisible();
    await liquidate.getByLabel("Reason").fill("E2E: restore maintenance from the frozen credits.");
    await liquidate.getByRole("button", { name: "Confirm liquidation" }).click();
    await expect(liquidate).toBeHidden();
    const [sale] = queryE2eDatabase<{ n: number }>(`SELECT COUNT(*) AS n FROM "AuditLog" WHERE action LIKE 'loan.liquidat%' AND "targetId" = ?`, vectorly.id);
    expect(sale.n).toBeGreaterThan(0);
  });

  test("acknowledge an alert from the inbox; the sidebar count drops", async ({ page }) => {
    await signIn(page, NORTHWIND);
    await expectOnPath(page, "/lender");
    await page.getByRole("link", { name: /^Alerts/ }).click();
    await expectOnPath(page, "/lender/alerts");
    const [{ n: openBefore }] = queryE2eDatabase<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "Alert" a JOIN "Organization" o ON o.id = a."lenderOrgId" WHERE o.name = 'Northwind Credit Fund' AND a.state = 'OPEN'`,
    );
    expect(openBefore).toBeGreaterThan(0);
    await expect(page.getByRole("link", { name: `Alerts, ${openBefore} open` })).toBeVisible();
    await page.getByRole("button", { name: "Acknowledge", exact: true }).first().click();
    const after = openBefore - 1 === 0 ? "Alerts" : `Alerts, ${openBefore - 1} open`;
    await expect(page.getByRole("link", { name: after, exact: true })).toBeVisible();
    const [{ n: openAfter }] = queryE2eDatabase<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "Alert" a JOIN "Organization" o ON o.id = a."lenderOrgId" WHERE o.name = 'Northwind Credit Fund' AND a.state = 'OPEN'`,
    );
    expect(openAfter).toBe(openBefore - 1);
  });

  test("create a lender API token, use it, revoke it and it is refused", async ({ page, request }) => {
    await signIn(page, NORTHWIND);
    await expectOnPath(page, "/lender");
    await page.goto("/lender/settings");
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    await page.getByRole("button", { name: "Create token" }).click();
    const create = page.getByRole("dialog");
    await create.getByLabel("Token name").fill("E2E risk bot");
    await create.getByRole("button", { name: "Create token" }).click();
    const secret = create.getByRole("textbox", { name: "API token" });
    await expect(secret).toHaveValue(/^lk-bl-[0-9A-Za-z]{20,}$/);
    await expect(create.getByRole("button", { name: "Copy token" })).toBeVisible();
    const token = await secret.inputValue();
    const loans = await request.get("/api/lender/v1/loans", { headers: { authorization: `Bearer ${token}` } });
    expect(loans.status()).toBe(200);
    await create.getByRole("button", { name: "Done" }).click();

    const row = page.getByRole("row").filter({ hasText: "E2E risk bot" });
    await row.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
    await expect(row.getByText(/Revoked/i)).toBeVisible();
    const refused = await request.get("/api/lender/v1/loans", { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status()).toBe(401);
  });

  test("send a test webhook to a receiver on 127.0.0.1", async ({ page }) => {
    const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/blockable`;
    try {
      await signIn(page, NORTHWIND);
      await expectOnPath(page, "/lender");
      await page.goto("/lender/settings");
      await page.getByRole("button", { name: "Add endpoint" }).click();
      const add = page.getByRole("dialog");
      await add.getByLabel("Endpoint URL").fill(url);
      await add.getByRole("button", { name: "Add endpoint" }).click();
      await expect(add.getByRole("textbox", { name: "Signing secret" })).toHaveValue(/.{20,}/);
      await expect(add.getByRole("button", { name: "Copy secret" })).toBeVisible();
      await add.getByRole("button", { name: "Done" }).click();
      const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 3, name: url }) });
      await card.getByRole("button", { name: "Send test event" }).click();
      await expect(card.getByRole("status")).toContainText("Delivered");
      await expect.poll(() => received.length).toBeGreaterThan(0);
      expect(received[0].body).toContain('"type"');
      expect(Object.keys(received[0].headers).some((h) => h.includes("signature"))).toBe(true);
    } finally {
      receiver.close();
    }
  });

  test("on a phone the navigation opens from a menu button and wide tables scroll inside, not the page", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, NORTHWIND);
    await expectOnPath(page, "/lender");
    await page.getByRole("button", { name: "Open navigation" }).click();
    await page.getByRole("link", { name: /^Alerts/ }).click();
    await expectOnPath(page, "/lender/alerts");
    for (const url of ["/lender", `/lender/loans/${loanOf("Vectorly").id}`, "/lender/settings"]) {
      await page.goto(url);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), url).toBeLessThanOrEqual(390);
    }
  });

  test("Kestrel's analyst cannot open Northwind's loan", async ({ page }) => {
    const acme = loanOf("Acme AI");
    await signIn(page, KESTREL);
    await expectOnPath(page, "/lender");
    const response = await page.goto(`/lender/loans/${acme.id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText(acme.reference)).toHaveCount(0);
  });

  for (const { scheme, width } of [{ scheme: "light", width: 1280 }, { scheme: "dark", width: 1280 }, { scheme: "light", width: 390 }] as const) {
    test(`every page of the lender's area passes axe (${scheme}, ${width} px wide)`, async ({ page }) => {
      await page.setViewportSize({ width, height: 844 });
      await page.emulateMedia({ colorScheme: scheme });
      const acme = loanOf("Acme AI");
      await signIn(page, NORTHWIND);
      await expectOnPath(page, "/lender");
      for (const url of ["/lender", `/lender/loans/${acme.id}`, "/lender/alerts", "/lender/settings"]) {
        await page.goto(url);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await page.waitForLoadState("networkidle");
        await expectNoSeriousA11yViolations(page, `${url} (${scheme}, ${width} px)`);
      }
    });
  }
});
