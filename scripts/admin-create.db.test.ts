// `npm run admin:create` as an operator runs it: a child process on a database that does not exist
// yet, the password on standard input or in a file, and the exit codes scripts rely on.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/server/auth/passwords";
import { createDb, type Db } from "@/lib/server/db/client";

const root = path.resolve(import.meta.dirname, "..");
const PASSWORD = "a long admin passphrase";

type Run = { code: number | null; stdout: string; stderr: string };

let dir: string;
let url: string;
let db: Db;

function adminCreate(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts/admin-create.ts"), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "blockable-admin-create-"));
  url = `file:${path.join(dir, "fresh.db")}`;
});

afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run admin:create", () => {
  it("creates a working admin on a database it migrates first, from --password-stdin", async () => {
    const run = await adminCreate(["--email", "Ops@Example.test", "--name", "Olga Ops", "--password-stdin"], `${PASSWORD}\n`);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Created the admin ops@example.test (Olga Ops) and the platform organisation.");
    db = createDb(url).db;
    const user = await db.user.findUniqueOrThrow({ where: { email: "ops@example.test" }, include: { org: true } });
    expect(user).toMatchObject({ name: "Olga Ops", role: "admin", isDisabled: false, mustChangePassword: false });
    expect(user.org).toMatchObject({ kind: "PLATFORM", slug: "blockable" });
    // The trailing newline from the pipe is not part of the password.
    expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "user.created", targetId: user.id } });
    expect(audit.actorKind).toBe("system");
    expect(JSON.parse(audit.detailJson)).toMatchObject({ via: "admin:create", after: { email: "ops@example.test", role: "admin", orgName: "Blockable" } });
    expect(audit.detailJson).not.toContain(PASSWORD);
  });

  it("refuses an email that already has an account with exit 2, leaving it unchanged", async () => {
    const before = await db.user.findUniqueOrThrow({ where: { email: "ops@example.test" } });
    const run = await adminCreate(["--email", "ops@example.test", "--name", "Someone Else", "--password-stdin"], "another passphrase here");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("ops@example.test already has an account (admin, Blockable); nothing was changed.");
    const after = await db.user.findUniqueOrThrow({ where: { email: "ops@example.test" } });
    expect(after).toEqual(before);
  });

  it("takes the password from --password-file into the existing platform organisation", async () => {
    const file = path.join(dir, "password.txt");
    writeFileSync(file, `${PASSWORD} two\n`, { mode: 0o600 });
    const run = await adminCreate(["--email=second@example.test", "--name=Sam Second", "--password-file", file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Created the admin second@example.test (Sam Second). Sign in at /login.");
    const user = await db.user.findUniqueOrThrow({ where: { email: "second@example.test" } });
    expect(await verifyPassword(user.passwordHash, `${PASSWORD} two`)).toBe(true);
    expect(await db.organization.count()).toBe(1);
  });

  it.each([
    [["--email", "not-an-email", "--name", "Ops", "--password-stdin"], PASSWORD, "email: Enter a valid email address."],
    [["--email", "short@example.test", "--name", "Ops", "--password-stdin"], "too short", "password: The password needs at least 12 characters."],
    [["--email", "ops2@example.test", "--name", "Ops", "--password", PASSWORD], "", "--password is not accepted"],
    [["--email", "ops2@example.test", "--name", "Ops"], "", "Not in a terminal, so nothing can be asked: give --password-file or --password-stdin"],
    [["--email", "ops2@example.test", "--name", "Ops", "--password-file", "/nonexistent/pw"], "", "--password-file: cannot read /nonexistent/pw (ENOENT)."],
    [["--emial", "ops2@example.test"], "", "Unknown option --emial (see --help)."],
  ])("%j exits 1 with a clear message and changes nothing", async (args, stdin, message) => {
    const run = await adminCreate(args, stdin);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(await db.user.count()).toBe(2);
  });

  it("documents itself in --help", async () => {
    const run = await adminCreate(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--password-stdin");
    expect(run.stdout).toContain("Exit codes: 0 created · 1 invalid input (nothing changed) · 2 the email already has an account");
  });
});
