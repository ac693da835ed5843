// Screenshots for the README: `BASE_URL=http://localhost:3000 npx tsx scripts/screenshot.ts`
// against a running app with the demo world.
import { chromium } from "@playwright/test";

const baseUrl = process.env.BASE_URL ?? "http://localhost:3000";
// `openLink`: after landing, follow the first link with this name (a loan from the portfolio) and
// wait for a URL matching `opens`.
const shots: { email: string; path: string; file: string; openLink?: RegExp; opens?: RegExp; fullPage?: boolean }[] = [
  { email: "cto@halcyon-voice.example", path: "/startup", file: "docs/screenshot-startup.png" },
  { email: "cto@acme-ai.example", path: "/startup/usage", file: "docs/screenshot-startup-usage.png" },
  { email: "analyst@northwind.example", path: "/lender", file: "docs/screenshot-lender.png" },
  { email: "analyst@northwind.example", path: "/lender", file: "docs/screenshot-lender-loan.png", openLink: /Vectorly/, opens: /\/lender\/loans\// },
  { email: "admin@blockable.dev", path: "/admin/applications", file: "docs/screenshot-admin-application.png", openLink: /Quill Health/, opens: /\/admin\/applications\/./ },
  { email: "admin@blockable.dev", path: "/admin/models", file: "docs/screenshot-admin-models.png" },
  { email: "admin@blockable.dev", path: "/admin/gpu-index", file: "docs/screenshot-admin-gpu-index.png" },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
for (const shot of shots) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: "light" });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(shot.email);
  await page.getByLabel("Password").fill("blockable-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  if (new URL(page.url()).pathname !== shot.path) await page.goto(`${baseUrl}${shot.path}`);
  if (shot.openLink) {
    await page.getByRole("link", { name: shot.openLink }).first().click();
    await page.waitForURL(shot.opens ?? /./);
  }
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(1_500);
  await page.screenshot({ path: shot.file });
  console.log(`wrote ${shot.file}`);
  await context.close();
}
await browser.close();
