// What `npm start` does to the database before serving: migrate, seed (the demo world, or with
// BLOCKABLE_DEMO_WORLD=off only the platform organisation), and the first admin from
// BLOCKABLE_ADMIN_EMAIL / BLOCKABLE_ADMIN_PASSWORD when the database has none.
import { firstAdminFromEnv } from "../../lib/server/config/admin-account";
import { demoWorldEnabled, type Env } from "../../lib/server/config/demo-world";
import { createDb } from "../../lib/server/db/client";
import { migrateDatabase } from "../../lib/server/db/migrate";
import { createFirstAdmin, type FirstAdminOutcome } from "./admin-account";
import { seedIfEmpty } from "./seed-if-empty";

export type PrepareResult = { appliedMigrations: string[]; demoWorld: boolean; demoWorldSeeded: boolean; firstAdmin: FirstAdminOutcome | null; adminCount: number };

export async function prepareDatabase(input: { databaseUrl: string; root?: string; env?: Env; log: (message: string) => void }): Promise<PrepareResult> {
  const env = input.env ?? process.env;
  const { log } = input;
  // Configuration first: a bad switch or a half-set admin stops start before it writes anything.
  const demoWorld = demoWorldEnabled(env);
  const adminFromEnv = firstAdminFromEnv(env);
  if (adminFromEnv.kind === "invalid") throw new Error(adminFromEnv.message);

  const migration = await migrateDatabase(input.databaseUrl, input.root);
  log(migration.applied.length ? `Applied migrations: ${migration.applied.join(", ")}` : "Schema is up to date");
  const demoWorldSeeded = await seedIfEmpty(input.databaseUrl, log, { demoWorld });

  const { db } = createDb(input.databaseUrl);
  try {
    let firstAdmin: FirstAdminOutcome | null = null;
    if (adminFromEnv.kind === "account") {
      firstAdmin = await createFirstAdmin(db, adminFromEnv.account);
      if (firstAdmin.kind === "created") log(`Created the first admin ${firstAdmin.email} from BLOCKABLE_ADMIN_EMAIL; they choose their own password at first sign-in.`);
      else if (firstAdmin.kind === "skipped-admin-exists") log(`BLOCKABLE_ADMIN_EMAIL (${firstAdmin.email}) ignored: the database already has ${firstAdmin.existingAdmins} admin(s), and start never changes an existing account.`);
      else if (firstAdmin.role === "admin") log(`The admin ${firstAdmin.email} already exists (made by another instance starting at the same time).`);
      else throw new Error(`BLOCKABLE_ADMIN_EMAIL: ${firstAdmin.email} already has an account as a ${firstAdmin.role} user; choose another email for the first admin.`);
    }
    const adminCount = await db.user.count({ where: { role: "admin", isDisabled: false } });
    if (adminCount === 0) log("No admin yet: run `npm run admin:create` (or set BLOCKABLE_ADMIN_EMAIL and BLOCKABLE_ADMIN_PASSWORD) to create the first one.");
    return { appliedMigrations: migration.applied, demoWorld, demoWorldSeeded, firstAdmin, adminCount };
  } finally {
    await db.$disconnect();
  }
}
