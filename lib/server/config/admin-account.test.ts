import { describe, expect, it } from "vitest";
import { adminAccountInput, DEFAULT_ADMIN_NAME, describeIssues, firstAdminFromEnv, stripTrailingNewline } from "./admin-account";

const GOOD = "correct horse battery";

describe("an admin account's input", () => {
  it("normalises the email as sign-in does and trims the name", () => {
    expect(adminAccountInput.parse({ email: "  Ops@Example.COM ", name: " Ops ", password: GOOD })).toEqual({ email: "ops@example.com", name: "Ops", password: GOOD });
  });

  it.each([
    [{ email: "not-an-email", name: "Ops", password: GOOD }, "email: Enter a valid email address."],
    [{ email: "ops@example.com", name: "  ", password: GOOD }, "name: Enter the admin's name."],
    [{ email: "ops@example.com", name: "Ops", password: "elevenchars" }, "password: The password needs at least 12 characters."],
    [{ email: "ops@example.com", name: "Ops", password: "x".repeat(1_001) }, "password: The password has at most 1,000 characters."],
  ])("%j is refused: %s", (input, message) => {
    const parsed = adminAccountInput.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toBe(message);
  });

  it("keeps a password's own spaces but not the newline a file or echo adds", () => {
    expect(stripTrailingNewline(" pass phrase \n")).toBe(" pass phrase ");
    expect(stripTrailingNewline("pass\r\n")).toBe("pass");
    expect(stripTrailingNewline("pass\n\n")).toBe("pass\n");
  });
});

describe("the first admin from the environment", () => {
  const noFile = () => {
    throw Object.assign(new Error("missing"), { code: "ENOENT" });
  };

  it("is nothing when no variable is set", () => {
    expect(firstAdminFromEnv({}, noFile)).toEqual({ kind: "none" });
  });

  it("reads email, password and an optional name", () => {
    expect(firstAdminFromEnv({ BLOCKABLE_ADMIN_EMAIL: "Root@Example.com", BLOCKABLE_ADMIN_PASSWORD: GOOD }, noFile)).toEqual({
      kind: "account",
      account: { email: "root@example.com", name: DEFAULT_ADMIN_NAME, password: GOOD },
    });
    expect(firstAdminFromEnv({ BLOCKABLE_ADMIN_EMAIL: "root@example.com", BLOCKABLE_ADMIN_PASSWORD: GOOD, BLOCKABLE_ADMIN_NAME: "Rita Root" }, noFile)).toMatchObject({ account: { name: "Rita Root" } });
  });

  it("reads the password from BLOCKABLE_ADMIN_PASSWORD_FILE without its trailing newline", () => {
    const read = (file: string) => (file === "/run/secrets/admin" ? `${GOOD}\n` : noFile());
    expect(firstAdminFromEnv({ BLOCKABLE_ADMIN_EMAIL: "root@example.com", BLOCKABLE_ADMIN_PASSWORD_FILE: "/run/secrets/admin" }, read)).toMatchObject({ account: { password: GOOD } });
  });

  it.each([
    [{ BLOCKABLE_ADMIN_EMAIL: "root@example.com" }, "BLOCKABLE_ADMIN_EMAIL is set without BLOCKABLE_ADMIN_PASSWORD (or BLOCKABLE_ADMIN_PASSWORD_FILE): set both, or neither."],
    [{ BLOCKABLE_ADMIN_PASSWORD: GOOD }, "BLOCKABLE_ADMIN_PASSWORD is set without BLOCKABLE_ADMIN_EMAIL: set both, or neither."],
    [{ BLOCKABLE_ADMIN_EMAIL: "root", BLOCKABLE_ADMIN_PASSWORD: GOOD }, "BLOCKABLE_ADMIN_EMAIL: Enter a valid email address."],
    [{ BLOCKABLE_ADMIN_EMAIL: "root@example.com", BLOCKABLE_ADMIN_PASSWORD: "short" }, "BLOCKABLE_ADMIN_PASSWORD: The password needs at least 12 characters."],
    [{ BLOCKABLE_ADMIN_EMAIL: "root@example.com", BLOCKABLE_ADMIN_PASSWORD: GOOD, BLOCKABLE_ADMIN_PASSWORD_FILE: "/x" }, "Set BLOCKABLE_ADMIN_PASSWORD or BLOCKABLE_ADMIN_PASSWORD_FILE, not both."],
    [{ BLOCKABLE_ADMIN_EMAIL: "root@example.com", BLOCKABLE_ADMIN_PASSWORD_FILE: "/nope" }, "BLOCKABLE_ADMIN_PASSWORD_FILE: cannot read /nope (ENOENT)."],
  ])("%j is refused with a reason that names the variable", (env, message) => {
    expect(firstAdminFromEnv(env, noFile)).toEqual({ kind: "invalid", message });
  });
});
