import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { freePort } from "../test/free-port";
import { DEMO_ACCOUNTS, demoApiKey, expectOnPath } from "./support";

// A deployment as the README's "Deploy" section starts it: `npm start` (scripts/start.ts) with
// BLOCKABLE_DEMO_WORLD=off on its own empty database, beside the demo instance Playwright runs and
// on the same build (--no-build: never rebuild under a running server). No published demo login or
// key opens it; `npm run admin:create` makes the admin who does.

// Playwright runs from the project root (where its config is).
const root = process.cwd();
const ADMIN = { email: "founder@deploy.example", name: "Dana Deploy", password: "a deployment's own passphrase" };
const modeOf = (file: string) => statSync(file).mode & 0o777;

type Run = { code: number | null; stdout: string; stderr: string };

function runAdminCreate(databaseUrl: string, args: string[], stdin: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts/admin-create.ts"), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin!.end(stdin);
  });
}

async function signInAt(page: Page, baseURL: string, email: string, password: string) {
  await page.goto(`${baseURL}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("the demo instance's login page says it is a public demo", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByTestId("demo-notice")).toContainText("This is a public demo: the accounts below and their passwords are published in the README. Don't enter real data.");
});

test.describe.serial("a deployment started with BLOCKABLE_DEMO_WORLD=off", () => {
  let dataDir: string;
  let databaseFile: string;
  let secretsFile: string;
  let baseURL: string;
  let server: ChildProcess;
  let output = "";

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    dataDir = mkdtempSync(path.join(tmpdir(), "blockable-deploy-"));
    databaseFile = path.join(dataDir, "data", "deploy.db");
    secretsFile = path.join(dataDir, "secrets", "secrets.json");
    const port = await freePort();
    baseURL = `http://127.0.0.1:${port}`;
    // Only what a real deployment sets: none of the e2e instance's secrets, nor its demo settings.
    const { NEXTAUTH_SECRET: _secret, ENCRYPTION_KEY: _key, BLOCKABLE_SEED_SCALE: _scale, ...inherited } = process.env;
    server = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts/start.ts"), "--no-build"], {
      cwd: root,
      env: {
        ...inherited,
        PORT: String(port),
        HOSTNAME: "127.0.0.1",
        DATABASE_URL: `file:${databaseFile}`,
        BLOCKABLE_SECRETS_FILE: secretsFile,
        NEXTAUTH_URL: baseURL,
        BLOCKABLE_DEMO_WORLD: "off",
        BLOCKABLE_BACKGROUND_JOBS: "off",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 150_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`start.ts exited with ${server.exitCode}:\n${output}`);
      const isUp = await fetch(`${baseURL}/login`).then((response) => response.ok, () => false);
      if (isUp) break;
      if (Date.now() > deadline) throw new Error(`The deployment did not answer within 150 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  });

  test.afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test("start seeded no demo world and says how to make the first admin", async () => {
    expect(output).toContain("Demo world off (BLOCKABLE_DEMO_WORLD=off): created the platform organisation only");
    expect(output).toContain("No admin yet: run `npm run admin:create`");
    const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
    try {
      expect(db.prepare(`SELECT COUNT(*) AS n FROM "User"`).get()).toEqual({ n: 0 });
      expect(db.prepare(`SELECT COUNT(*) AS n FROM "ApiKey"`).get()).toEqual({ n: 0 });
      expect(db.prepare(`SELECT kind FROM "Organization"`).all()).toEqual([{ kind: "PLATFORM" }]);
    } finally {
      db.close();
    }
    expect(modeOf(databaseFile)).toBe(0o600);
    expect(modeOf(secretsFile)).toBe(0o600);
  });

  test("no published demo login or API key works, and the login page offers none", async ({ page }) => {
    await page.goto(`${baseURL}/login`);
    await expect(page.getByRole("heading", { name: "Sign in to Blockable" })).toBeVisible();
    await expect(page.getByTestId("demo-notice")).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Demo accounts" })).toHaveCount(0);
    for (const email of ["cto@acme-ai.example", "admin@blockable.dev"]) {
      const account = DEMO_ACCOUNTS.find((candidate) => candidate.email === email)!;
      await signInAt(page, baseURL, account.email, account.password);
      await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText("Invalid email or password.");
      await expectOnPath(page, "/login");
    }
    const routed = await fetch(`${baseURL}/api/v1/models`, { headers: { authorization: `Bearer ${demoApiKey("Acme AI")}` } });
    expect(routed.status).toBe(401);
  });

  test("npm run admin:create makes an admin who signs in to a working console", async ({ page }) => {
    const databaseUrl = `file:${databaseFile}`;
    const created = await runAdminCreate(databaseUrl, ["--email", ADMIN.email, "--name", ADMIN.name, "--password-stdin"], `${ADMIN.password}\n`);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Created the admin ${ADMIN.email} (${ADMIN.name}).`);

    await signInAt(page, baseURL, ADMIN.email, ADMIN.password);
    await expectOnPath(page, "/admin");
    await expect(page.getByRole("heading", { level: 1, name: "Platform" })).toBeVisible();
    await expect(page.getByText(ADMIN.name).first()).toBeVisible();
    // The empty catalogue an admin fills in: its page works with nothing in it.
    expect((await page.goto(`${baseURL}/admin/models`))?.status()).toBe(200);

    // The server's connection is open now: the WAL and its index are the owner's alone too.
    expect(existsSync(`${databaseFile}-wal`)).toBe(true);
    expect(modeOf(`${databaseFile}-wal`)).toBe(0o600);
    expect(modeOf(`${databaseFile}-shm`)).toBe(0o600);

    const again = await runAdminCreate(databaseUrl, ["--email", ADMIN.email, "--name", ADMIN.name, "--password-stdin"], "some other passphrase");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${ADMIN.email} already has an account (admin, Blockable); nothing was changed.`);
  });
});
