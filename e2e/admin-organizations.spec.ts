import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, expectOnPath, signIn } from "./support";

const ADMIN = "admin@blockable.dev";
// A demo user with an open session that the admin disables, then enables again.
const VICTIM = "analyst@kestrel.example";

test("admin creates a startup and a user; the user must replace the temporary password, then reaches /startup", async ({ page, browser }) => {
  await signIn(page, ADMIN);
  await expectOnPath(page, "/admin");
  await page.goto("/admin/organizations");
  await expect(page.getByRole("heading", { level: 1, name: "Organisations and users" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/admin/organizations");

  const suffix = Date.now().toString(36);
  const orgName = `Nimbus Labs ${suffix}`;
  const email = `founder-${suffix}@nimbus.example`;
  await page.getByRole("button", { name: "Create organisation" }).click();
  const orgDialog = page.getByRole("dialog");
  await orgDialog.getByLabel("Name").fill(orgName);
  await orgDialog.getByLabel("Kind").selectOption("STARTUP");
  await orgDialog.getByRole("button", { name: "Create organisation" }).click();

  // The new organisation's page: create a user in it and read the temporary password, shown once.
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(orgName) })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "an organisation's page");
  await page.getByRole("button", { name: "Create user" }).click();
  const userDialog = page.getByRole("dialog");
  await userDialog.getByLabel("Name").fill("Nia Founder");
  await userDialog.getByLabel("Email").fill(email);
  await userDialog.getByRole("button", { name: "Create user" }).click();
  const temporaryPassword = await userDialog.getByLabel("Temporary password").inputValue();
  expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
  await userDialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("region", { name: "Users" }).getByRole("cell", { name: email, exact: true })).toBeVisible();

  const userContext = await browser.newContext();
  try {
    const userPage = await userContext.newPage();
    await signIn(userPage, email, temporaryPassword);
    await expectOnPath(userPage, "/account/password");
    // Every other page sends them back until they choose a password.
    await userPage.goto("/startup");
    await expectOnPath(userPage, "/account/password");
    await expect(userPage.getByRole("heading", { level: 1, name: "Choose your password" })).toBeVisible();
    await expectNoSeriousA11yViolations(userPage, "/account/password");

    await userPage.getByLabel("Temporary password").fill(temporaryPassword);
    await userPage.getByLabel("New password", { exact: true }).fill("nimbus-own-password");
    await userPage.getByLabel("New password again").fill("nimbus-own-password");
    await userPage.getByRole("button", { name: "Change password" }).click();
    await expectOnPath(userPage, "/startup");
  } finally {
    await userContext.close();
  }
});

test("admin disables a user behind a confirm dialog: their open session ends on its next request", async ({ page, browser }) => {
  const victimContext = await browser.newContext();
  try {
    const victimPage = await victimContext.newPage();
    await signIn(victimPage, VICTIM);
    await expectOnPath(victimPage, "/lender");

    await signIn(page, ADMIN);
    await expectOnPath(page, "/admin");
    await page.goto("/admin/organizations");
    const users = page.getByRole("region", { name: "Users" });
    await users.getByRole("searchbox", { name: "Filter rows" }).fill(VICTIM);

    // Cancel changes nothing.
    await users.getByRole("button", { name: `Disable ${VICTIM}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    await victimPage.goto("/lender");
    await expectOnPath(victimPage, "/lender");

    await users.getByRole("button", { name: `Disable ${VICTIM}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disable", exact: true }).click();
    await expect(users.getByRole("button", { name: `Enable ${VICTIM}` })).toBeVisible();
    await victimPage.goto("/lender");
    await expectOnPath(victimPage, "/login");

    await users.getByRole("button", { name: `Enable ${VICTIM}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Enable", exact: true }).click();
    await expect(users.getByRole("button", { name: `Disable ${VICTIM}` })).toBeVisible();
    await signIn(victimPage, VICTIM);
    await expectOnPath(victimPage, "/lender");
  } finally {
    await victimContext.close();
    // Leave the demo user enabled for the other specs even if a step above failed.
    const enable = page.getByRole("button", { name: `Enable ${VICTIM}` });
    if (await enable.isVisible().catch(() => false)) {
      await enable.click();
      await page.getByRole("dialog").getByRole("button", { name: "Enable", exact: true }).click();
      await expect(page.getByRole("button", { name: `Disable ${VICTIM}` })).toBeVisible();
    }
  }
});
