// The admin audit log's query on real SQLite and PostgreSQL: every entry names its actor — a
// person by name and email, a lender API token by its name, prefix and the person who made it,
// or the system — never by a bare id.
import { afterAll, beforeAll, expect, it } from "vitest";
import { recordAudit } from "@/lib/server/services/audit";
import { createLender, createLoan, seedIndex } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { startLenderApiServer } from "@/test/lender-api-server";
import { listAuditLog } from "./admin";

const USD = 1_000_000n;

await describeEachProvider("admin audit log", (provider) => {
  let test: TestDatabase;
  let server: Awaited<ReturnType<typeof startLenderApiServer>>;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await seedIndex(test.db);
    server = await startLenderApiServer(test.db);
  });
  afterAll(async () => {
    await server?.close();
    await test?.drop();
  });

  it("a freeze through the lender API reads as the token (name, prefix) and the analyst who made it, by name and email", async () => {
    const lender = await createLender(test.db);
    const analyst = await test.db.user.findUniqueOrThrow({ where: { id: lender.userId } });
    const token = await test.db.lenderApiToken.findFirstOrThrow({ where: { orgId: lender.orgId } });
    const { loan } = await createLoan(test.db, { lender, financedMicros: 100n * USD, principalMicros: 50n * USD });
    const response = await fetch(`${server.baseUrl}/loans/${loan.id}/freeze`, {
      method: "POST",
      headers: { authorization: `Bearer ${lender.token}`, "content-type": "application/json" },
      body: JSON.stringify({ mode: "FULL", reason: "desk rule" }),
    });
    expect(response.status).toBe(201);

    const entries = (await listAuditLog(test.db, 500)).filter((entry) => entry.targetId === loan.id);
    expect(entries.map((entry) => entry.action).sort()).toEqual(["collateral.freeze", "loan.freeze"]);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        actorKind: "api",
        orgName: lender.name,
        user: null,
        token: { name: "risk desk", prefix: token.prefix, createdBy: { name: analyst.name, email: analyst.email } },
      });
    }
  });

  it("a person reads as name and email; the system as no one; an id that names no one as unknown, not as the id", async () => {
    const lender = await createLender(test.db);
    const analyst = await test.db.user.findUniqueOrThrow({ where: { id: lender.userId } });
    const marker = `target-${lender.orgId}`;
    await recordAudit(test.db, { orgId: lender.orgId, actorUserId: lender.userId, actorKind: "user", action: "alert.acknowledge", targetType: "Alert", targetId: marker });
    await recordAudit(test.db, { orgId: null, actorKind: "system", action: "loan.coverageBelowMaintenance", targetType: "Loan", targetId: marker });
    await recordAudit(test.db, { orgId: lender.orgId, actorUserId: "user-that-never-existed", actorKind: "user", action: "loan.pledge", targetType: "Loan", targetId: marker });
    const entries = new Map((await listAuditLog(test.db, 500)).filter((entry) => entry.targetId === marker).map((entry) => [entry.action, entry]));
    expect(entries.get("alert.acknowledge")).toMatchObject({ actorKind: "user", user: { name: analyst.name, email: analyst.email }, token: null, orgName: lender.name });
    expect(entries.get("loan.coverageBelowMaintenance")).toMatchObject({ actorKind: "system", user: null, token: null, orgName: null });
    expect(entries.get("loan.pledge")).toMatchObject({ actorKind: "user", user: null, token: null });
    expect(JSON.stringify(entries.get("loan.pledge"))).not.toContain("user-that-never-existed");
  });

  it("lists newest first, at most `take` entries", async () => {
    const lender = await createLender(test.db);
    for (let i = 0; i < 3; i++) await recordAudit(test.db, { orgId: lender.orgId, actorUserId: lender.userId, actorKind: "user", action: `test.step${i}`, targetType: "Test", targetId: lender.orgId });
    await test.db.auditLog.updateMany({ where: { action: "test.step0" }, data: { at: new Date("2030-01-01T00:00:00Z") } });
    const entries = await listAuditLog(test.db, 2);
    expect(entries).toHaveLength(2);
    expect(entries[0].action).toBe("test.step0");
  });
});
