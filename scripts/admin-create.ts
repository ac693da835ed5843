// `npm run admin:create`: a platform admin, made from the command line — the first one of a
// deployment without the demo world, or another one later. See HELP below.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import type { ZodType } from "zod";
import {
  ADMIN_PASSWORD_MIN_LENGTH,
  adminAccountInput,
  adminEmail,
  adminName,
  adminPassword,
  describeIssues,
  stripTrailingNewline,
  type AdminAccountInput,
} from "../lib/server/config/admin-account";
import { createDb } from "../lib/server/db/client";
import { databaseUrlFromEnv } from "../lib/server/db/config";
import { migrateDatabase } from "../lib/server/db/migrate";
import { createAdminAccount } from "./db/admin-account";

const HELP = `Create a platform admin (role admin, in the platform organisation).

Usage:
  npm run admin:create                      prompts for email, name and password (in a terminal)
  npm run admin:create -- --email <email> --name <name> --password-file <path>
  printf '%s' "$PASSWORD" | npm run admin:create -- --email <email> --name <name> --password-stdin

Options:
  --email <email>         the admin's sign-in email
  --name <name>           the admin's name, as the console and the audit log show it
  --password-file <path>  read the password from a file (one trailing newline is ignored)
  --password-stdin        read the password from standard input (one trailing newline is ignored)
  -h, --help              this text

The password needs at least ${ADMIN_PASSWORD_MIN_LENGTH} characters. In a terminal, whatever is not given as
an option is asked for; the password is typed twice and not shown. A password is never taken as an
option's value (--password): it would stay in the shell's history and in the process list.

The database is DATABASE_URL (default file:./data/blockable.db); it is created and migrated when
it does not exist yet, so the admin can be made before the first start. The platform organisation
is created when missing. An email that already has an account is refused and left unchanged.
The new admin and the way it was made are written to the audit log; the password never is.

Exit codes: 0 created · 1 invalid input (nothing changed) · 2 the email already has an account ·
3 anything else (e.g. the database cannot be reached).`;

const EXIT = { ok: 0, invalid: 1, exists: 2, failed: 3 } as const;

class InvalidInput extends Error {}

type Flags = { email?: string; name?: string; passwordFile?: string; passwordStdin: boolean; help: boolean };

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { passwordStdin: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [option, inlineValue] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const next = inlineValue ?? argv[++i];
      if (next === undefined || (inlineValue === undefined && next.startsWith("--"))) throw new InvalidInput(`${option} needs a value.`);
      return next;
    };
    if (option === "-h" || option === "--help") flags.help = true;
    else if (option === "--email") flags.email = value();
    else if (option === "--name") flags.name = value();
    else if (option === "--password-file") flags.passwordFile = value();
    else if (option === "--password-stdin") flags.passwordStdin = true;
    else if (option === "--password") throw new InvalidInput("--password is not accepted: a password on the command line stays in the shell's history and the process list. Use --password-stdin, --password-file <path>, or run without it in a terminal to be asked.");
    else throw new InvalidInput(`Unknown option ${arg} (see --help).`);
  }
  if (flags.passwordFile && flags.passwordStdin) throw new InvalidInput("Use --password-file or --password-stdin, not both.");
  return flags;
}

function check<T>(schema: ZodType<T>, value: unknown, label: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidInput(`${label}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function askVisible(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  rl.on("SIGINT", () => {
    process.stderr.write("\n");
    process.exit(130);
  });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** Reads a line from the terminal without echoing it. Ctrl-C aborts (exit 130). */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let typed = "";
    const onData = (data: Buffer) => {
      for (const char of data.toString("utf8")) {
        if (char === "\r" || char === "\n" || char === "\u0004") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stderr.write("\n");
          resolve(typed);
          return;
        }
        if (char === "\u0003") {
          stdin.setRawMode(false);
          process.stderr.write("\n");
          process.exit(130);
        }
        if (char === "\u007f" || char === "\b") typed = [...typed].slice(0, -1).join("");
        else if (char >= " ") typed += char;
      }
    };
    stdin.on("data", onData);
  });
}

/** Asks until the answer passes (a terminal user gets to correct a typo). */
async function askUntilValid<T>(ask: () => Promise<string>, schema: ZodType<T>, label: string): Promise<T> {
  for (;;) {
    const parsed = schema.safeParse(await ask());
    if (parsed.success) return parsed.data;
    process.stderr.write(`${label}: ${parsed.error.issues[0]?.message ?? "invalid"}\n`);
  }
}

async function gatherInput(flags: Flags): Promise<AdminAccountInput> {
  const isInteractive = Boolean(process.stdin.isTTY) && !flags.passwordStdin;
  let password: string | undefined;
  if (flags.passwordFile) {
    try {
      password = stripTrailingNewline(readFileSync(flags.passwordFile, "utf8"));
    } catch (error) {
      throw new InvalidInput(`--password-file: cannot read ${flags.passwordFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
  } else if (flags.passwordStdin) {
    password = stripTrailingNewline(await readStdin());
  }
  if (!isInteractive) {
    const missing = [!flags.email && "--email", !flags.name && "--name", password === undefined && "--password-file or --password-stdin"].filter(Boolean);
    if (missing.length) throw new InvalidInput(`Not in a terminal, so nothing can be asked: give ${missing.join(", ")} (see --help).`);
    const parsed = adminAccountInput.safeParse({ email: flags.email, name: flags.name, password });
    if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error));
    return parsed.data;
  }
  // In a terminal: options given are checked as they are (a typo in a script should fail, not prompt).
  const email = flags.email !== undefined ? check(adminEmail, flags.email, "email") : await askUntilValid(() => askVisible("Email: "), adminEmail, "email");
  const name = flags.name !== undefined ? check(adminName, flags.name, "name") : await askUntilValid(() => askVisible("Name: "), adminName, "name");
  if (password !== undefined) return { email, name, password: check(adminPassword, password, "password") };
  for (;;) {
    const first = await askUntilValid(() => askHidden(`Password (at least ${ADMIN_PASSWORD_MIN_LENGTH} characters): `), adminPassword, "password");
    if ((await askHidden("Password again: ")) === first) return { email, name, password: first };
    process.stderr.write("The two passwords are not the same; once more.\n");
  }
}

async function main(): Promise<number> {
  // The database this may create, and its -wal and -shm, are the owner's alone.
  process.umask(0o077);
  let flags: Flags;
  let input: AdminAccountInput;
  try {
    flags = parseFlags(process.argv.slice(2));
    if (flags.help) {
      console.log(HELP);
      return EXIT.ok;
    }
    input = await gatherInput(flags);
  } catch (error) {
    if (error instanceof InvalidInput) {
      console.error(error.message);
      return EXIT.invalid;
    }
    throw error;
  }
  // Like `npm start`: a relative DATABASE_URL (the default one) is the app's, wherever this runs from.
  const root = path.resolve(import.meta.dirname, "..");
  process.chdir(root);
  const databaseUrl = databaseUrlFromEnv();
  await migrateDatabase(databaseUrl, root);
  const { db } = createDb(databaseUrl);
  try {
    const result = await createAdminAccount(db, { ...input, source: "admin:create" });
    if (result.kind === "exists") {
      console.error(`${input.email} already has an account (${result.role}, ${result.orgName}); nothing was changed. Choose another email, or reset that account's password in the admin console.`);
      return EXIT.exists;
    }
    console.log(`Created the admin ${input.email} (${input.name})${result.orgCreated ? " and the platform organisation" : ""}. Sign in at /login.`);
    return EXIT.ok;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`admin:create failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(EXIT.failed);
  },
);
