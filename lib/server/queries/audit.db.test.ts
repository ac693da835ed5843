// The admin's audit log against real SQLite and PostgreSQL: filters by who (name, email, the tokens
// a person made, the system), action, organisation and UTC days; keyset pages that neither skip nor
// repeat an entry when many share one timestamp, forwards and back; and the CSV export, streamed
// through the route with the same filters.
import { expect, it, vi } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { createUser } from "@/test/collateral-world";
import { describeEachProvider } from "@/test/databases";
import { decodeAuditCursor, type AuditFilters } from "@/lib/domain/audit/filters";
import { AUDIT_CSV_HEADERS, iterateAdminAuditEntries, listAdminAuditPage, type AdminAuditEntryDto } from "./audit";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { GET: exportAudit } = await import("@/app/api/admin/audit/export/route");

let counter = 0;
const unique = () => `${Date.now().toString(36)}${++counter}${Math.random().toString(36).slice(2, 6)}`;

/** One organisation's small audit world: a person, a token they made, the system; 7 entries in one millisecond. */
async function auditWorld(db: Db) {
  const suffix = unique();
  const org = await db.organization.create({ data: { name: `Audit Lender ${suffix}`, slug: `audit-${suffix}`, kind: "LENDER" } });
  const person = await db.user.create({ data: { orgId: org.id, email: `zoe.${suffix}@example.test`, name: `Zoë Quant ${suffix}`, passwordHash: "x", role: "lender" } });
  const token = await db.lenderApiToken.create({ data: { orgId: org.id, name: `desk bot ${suffix}`, prefix: `lk-${suffix.slice(0, 6)}`, hash: `hash-${suffix}`, createdById: person.id } });
  const sameInstant = new Date("2026-02-10T09:30:00.123Z");
  const rows: { at: Date; action: string; actorKind: string; actorUserId?: string; actorTokenId?: string; detail?: object; requestId?: string }[] = [
    { at: new Date("2026-01-31T23:59:59.999Z"), action: "webhookEndpoint.created", actorKind: "user", actorUserId: person.id },
    { at: new Date("2026-02-01T00:00:00.000Z"), action: "webhookEndpoint.disabled", actorKind: "user", actorUserId: person.id, detail: { url: "https://hooks.example/a", before: { isEnabled: true }, after: { isEnabled: false } }, requestId: `req-${suffix}-1` },
    ...Array.from({ length: 7 }, (_, index) => ({ at: sameInstant, action: "collateral.freeze", actorKind: "api", actorTokenId: token.id, detail: { amountMicros: String((index + 1) * 1_000_000) } })),
    { at: new Date("2026-02-28T23:59:59.999Z"), action: "loan.coverageBelowMaintenance", actorKind: "system", detail: { from: "ACTIVE", to: "MARGIN_CALL" } },
    { at: new Date("2026-03-01T00:00:00.000Z"), action: "webhookEndpoint.enabled", actorKind: "user", actorUserId: person.id, detail: { before: { isEnabled: false }, after: { isEnabled: true } } },
  ];
  for (const row of rows) {
    await db.auditLog.create({
      data: { orgId: org.id, at: row.at, action: row.action, actorKind: row.actorKind, actorUserId: row.actorUserId ?? null, actorTokenId: row.actorTokenId ?? null, targetType: "Test", targetId: suffix, detailJson: JSON.stringify(row.detail ?? {}), requestId: row.requestId ?? null },
    });
  }
  return { orgId: org.id, suffix, person, token, sameInstant };
}

async function allEntries(db: Db, filters: AuditFilters) {
  const entries: AdminAuditEntryDto[] = [];
  for await (const batch of iterateAdminAuditEntries(db, filters, 2)) entries.push(...batch);
  return entries;
}

await describeEachProvider("the admin's audit log", (provider) => {
  const test = useActionDatabase(provider);

  it("pages newest first by (at, id): 3 at a time through 7 entries in one millisecond, no entry skipped or repeated, and back again", async () => {
    const world = await auditWorld(test.db);
    const filters = { org: world.orgId };
    const expected = await test.db.auditLog.findMany({ where: { orgId: world.orgId }, orderBy: [{ at: "desc" }, { id: "desc" }], select: { id: true } });
    expect(expected).toHaveLength(11);

    const pages: string[][] = [];
    let page = await listAdminAuditPage(test.db, { filters, limit: 3 });
    expect(page.newerCursor).toBeNull();
    pages.push(page.entries.map((entry) => entry.id));
    while (page.olderCursor) {
      page = await listAdminAuditPage(test.db, { filters, limit: 3, after: decodeAuditCursor(page.olderCursor) });
      pages.push(page.entries.map((entry) => entry.id));
    }
    expect(pages.map((ids) => ids.length)).toEqual([3, 3, 3, 2]);
    expect(pages.flat()).toEqual(expected.map((row) => row.id));

    // "Newer" from the last page walks the same pages back.
    const back: string[][] = [pages[pages.length - 1]];
    while (page.newerCursor) {
      page = await listAdminAuditPage(test.db, { filters, limit: 3, before: decodeAuditCursor(page.newerCursor) });
      back.unshift(page.entries.map((entry) => entry.id));
    }
    expect(back).toEqual(pages);
    expect(page.olderCursor).not.toBeNull();
  });

  it("filters by action, by organisation and by UTC days (both ends inclusive)", async () => {
    const world = await auditWorld(test.db);
    await auditWorld(test.db); // another organisation's entries never leak in
    const actions = async (filters: AuditFilters) => (await allEntries(test.db, { org: world.orgId, ...filters })).map((entry) => entry.action);

    expect(await actions({ action: "webhookEndpoint.disabled" })).toEqual(["webhookEndpoint.disabled"]);
    expect(await actions({ from: "2026-02-01", to: "2026-02-28" })).toEqual(["loan.coverageBelowMaintenance", ...Array(7).fill("collateral.freeze"), "webhookEndpoint.disabled"]);
    expect(await actions({ from: "2026-03-01" })).toEqual(["webhookEndpoint.enabled"]);
    expect(await actions({ to: "2026-01-31" })).toEqual(["webhookEndpoint.created"]);
    expect((await allEntries(test.db, { org: world.orgId })).every((entry) => entry.org?.id === world.orgId)).toBe(true);
  });

  it("filters by who: a person's name or email in any case (with the tokens they made), a token's name, the system; nobody found is no entry", async () => {
    const world = await auditWorld(test.db);
    const count = async (actor: string) => (await allEntries(test.db, { org: world.orgId, actor })).length;
    expect(await count(`ZOË QUANT ${world.suffix}`.toLowerCase())).toBe(10); // 3 by hand + 7 by the token she made
    expect(await count(`ZOE.${world.suffix.toUpperCase()}@EXAMPLE`)).toBe(10);
    expect(await count(`desk bot ${world.suffix}`)).toBe(7);
    expect(await count("system")).toBe(1);
    expect(await count(`nobody-${world.suffix}`)).toBe(0);
    expect((await listAdminAuditPage(test.db, { filters: { actor: `nobody-${world.suffix}` } })).entries).toEqual([]);
  });

  it("each entry names its actor and reads its before and after", async () => {
    const world = await auditWorld(test.db);
    const entries = await allEntries(test.db, { org: world.orgId });
    const disabled = entries.find((entry) => entry.action === "webhookEndpoint.disabled")!;
    expect(disabled.actor).toMatchObject({ kind: "user", name: world.person.name, email: world.person.email });
    expect(disabled.requestId).toBe(`req-${world.suffix}-1`);
    expect(disabled.changes).toEqual([{ field: "isEnabled", label: "Is enabled", before: "true", after: "false", isChanged: true }]);
    expect(disabled.details).toEqual(["Url: https://hooks.example/a"]);
    const frozen = entries.find((entry) => entry.action === "collateral.freeze")!;
    expect(frozen.actor).toMatchObject({ kind: "token", tokenName: world.token.name, email: world.person.email });
    expect(entries.find((entry) => entry.action === "loan.coverageBelowMaintenance")!.changes[0]).toMatchObject({ label: "State", before: "ACTIVE", after: "MARGIN_CALL" });
  });

  it("the CSV export streams the filtered set with its header row; bad filters are a 400; only admins may export", async () => {
    const world = await auditWorld(test.db);
    const admin = await createUser(test.db, "PLATFORM");
    signInAs(admin.userId);
    const response = await exportAudit(new Request(`http://localhost/api/admin/audit/export?org=${world.orgId}&from=2026-02-01&to=2026-02-28`), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="blockable-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await response.text()).replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(AUDIT_CSV_HEADERS.join(","));
    expect(lines).toHaveLength(1 + 9);
    const disabledLine = lines.find((line) => line.includes("webhookEndpoint.disabled"))!;
    expect(disabledLine).toContain("Is enabled: true → false");
    expect(disabledLine).toContain(world.person.email);
    expect(disabledLine).toContain(`req-${world.suffix}-1`);
    expect(disabledLine.startsWith("2026-02-01T00:00:00.000Z,")).toBe(true);

    const bad = await exportAudit(new Request("http://localhost/api/admin/audit/export?from=2026-02-30"), { params: Promise.resolve({}) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("not a real calendar date");

    signInAs(world.person.id);
    expect((await exportAudit(new Request("http://localhost/api/admin/audit/export"), { params: Promise.resolve({}) })).status).toBe(403);
  });
});
