import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { demoApiKey, expectNoSeriousA11yViolations, expectOnPath, queryE2eDatabase, signIn } from "./support";

// The approval queue as the demo admins use it, on the built app and the seeded demo world:
// approve Quill Health's application as offered (its credits rise on the routing API), reject
// Tessera Legal's with a reason (Tessera sees it rejected), and approve Orbital Genomics' large
// application with four eyes (the same admin twice is refused, a second admin disburses).

const ADMIN = "admin@blockable.dev";
const SECOND_ADMIN = "ops@blockable.dev";

type LoanRow = { id: string; reference: string; state: string; decidedById: string | null; rejectionReason: string | null };

function applicationOf(startupName: string): LoanRow {
  const [loan] = queryE2eDatabase<LoanRow>(
    `SELECT l.id, l.reference, l.state, l."decidedById", l."rejectionReason" FROM "Loan" l JOIN "Organization" o ON o.id = l."startupOrgId"
     WHERE o.name = ? ORDER BY l."createdAt" DESC LIMIT 1`,
    startupName,
  );
  if (!loan) throw new Error(`No application for ${startupName}`);
  return loan;
}

function loanById(id: string): LoanRow {
  return queryE2eDatabase<LoanRow>(`SELECT id, reference, state, "decidedById", "rejectionReason" FROM "Loan" WHERE id = ?`, id)[0];
}

async function spendableMicros(request: APIRequestContext, orgName: string): Promise<bigint> {
  const response = await request.get("/api/v1/account/credits", { headers: { authorization: `Bearer ${demoApiKey(orgName)}` } });
  expect(response.status()).toBe(200);
  return BigInt((await response.json()).spendable_micros);
}

async function openApplication(page: Page, startupName: string, loan: LoanRow) {
  await page.goto("/admin/applications");
  await expect(page.getByRole("heading", { level: 1, name: "Applications" })).toBeVisible();
  await page.getByRole("link", { name: new RegExp(startupName) }).first().click();
  await expectOnPath(page, `/admin/applications/${loan.id}`);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(loan.reference) })).toBeVisible();
}

async function approveAsOffered(page: Page) {
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(dialog).toBeHidden();
}

test.describe("the approval queue", () => {
  test("approve Quill Health's application as offered: its credits rise and the loan is active", async ({ page, request }) => {
    const quill = applicationOf("Quill Health");
    expect(quill.state).toBe("SUBMITTED");
    const before = await spendableMicros(request, "Quill Health");

    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await page.goto("/admin/applications");
    await expect(page.getByText("Second approval above $250,000")).toBeVisible();
    await expectNoSeriousA11yViolations(page, "/admin/applications");

    await openApplication(page, "Quill Health", quill);
    // The live preview of the suggested terms: $200,000 at 1.5× issues $300,000 of credits, 153% initial coverage.
    await expect(page.getByText("$300,000.00").first()).toBeVisible();
    await expect(page.getByText("153.00%").first()).toBeVisible();
    await expect(page.getByRole("img", { name: /daily burn/ })).toBeVisible();
    await expectNoSeriousA11yViolations(page, `/admin/applications/${quill.id}`);

    await approveAsOffered(page);
    await expect(page.getByText(/the loan is active/)).toBeVisible();
    expect(loanById(quill.id).state).toBe("ACTIVE");
    expect(await spendableMicros(request, "Quill Health")).toBeGreaterThanOrEqual(before + 299_000_000_000n);
  });

  test("reject Tessera Legal's application with a reason: the startup sees it rejected", async ({ page, browser }) => {
    const tessera = applicationOf("Tessera Legal");
    expect(tessera.state).toBe("SUBMITTED");
    const reason = "Nothing pledged: at 1.5× the initial coverage would be 127.5%, below 150%. Pledge at least $13,300 and reapply.";

    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await openApplication(page, "Tessera Legal", tessera);
    // The preview already says why it cannot be approved as asked.
    await expect(page.getByText(/below the initial threshold/).first()).toBeVisible();

    await page.getByRole("button", { name: "Reject", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Reject", exact: true }).click();
    await expect(dialog.getByText("Say why, so the startup can act on it.")).toBeVisible();
    await dialog.getByLabel("Reason").fill(reason);
    await dialog.getByRole("button", { name: "Reject", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(reason)).toBeVisible();
    expect(loanById(tessera.id)).toMatchObject({ state: "REJECTED", rejectionReason: reason });

    const startup = await (await browser.newContext()).newPage();
    await signIn(startup, "cto@tessera-legal.example");
    await expectOnPath(startup, "/startup");
    await startup.goto("/startup/financing");
    const row = startup.getByRole("row", { name: new RegExp(tessera.reference) });
    await expect(row.getByText("rejected")).toBeVisible();
    await expect(row.getByText(`Reason: ${reason}`)).toBeVisible();
    await row.getByRole("link", { name: tessera.reference }).click();
    await expect(startup.getByRole("heading", { name: /The platform rejected this application/ })).toBeVisible();
    await expect(startup.getByText(`Reason: ${reason}`)).toBeVisible();
    await startup.context().close();
  });

  test("four-eyes: Orbital Genomics' $300,000 waits for a second admin; the same admin cannot approve twice", async ({ page, browser }) => {
    const orbital = applicationOf("Orbital Genomics");
    expect(orbital.state).toBe("SUBMITTED");

    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await openApplication(page, "Orbital Genomics", orbital);
    await approveAsOffered(page);
    await expect(page.getByText("Approved by Platform Admin, waiting for a second admin")).toBeVisible();
    expect(loanById(orbital.id).state).toBe("SUBMITTED");

    // The same admin again: refused, nothing changes.
    await approveAsOffered(page);
    await expect(page.getByRole("alert").filter({ hasText: "A second admin must approve" }).first()).toBeVisible();
    expect(loanById(orbital.id).state).toBe("SUBMITTED");
    await page.goto("/admin/applications");
    await expect(page.getByText("Approved by Platform Admin, waiting for a second admin")).toBeVisible();

    const second = await (await browser.newContext()).newPage();
    await signIn(second, SECOND_ADMIN);
    await expectOnPath(second, "/admin");
    await openApplication(second, "Orbital Genomics", orbital);
    await expect(second.getByText("Approved by Platform Admin, waiting for a second admin")).toBeVisible();
    await approveAsOffered(second);
    await expect(second.getByText(/the loan is active/)).toBeVisible();
    const [ops] = queryE2eDatabase<{ id: string }>(`SELECT id FROM "User" WHERE email = ?`, SECOND_ADMIN);
    expect(loanById(orbital.id)).toMatchObject({ state: "ACTIVE", decidedById: ops.id });
    await second.context().close();
  });
});
