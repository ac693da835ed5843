// Organisations and facilities as an admin creates them, on real SQLite and PostgreSQL: the slug is
// derived from the name and unique (a duplicate is refused on the name field, nothing written),
// facilities open only on lenders, and every change is audited with its before and after.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/server/http/errors";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { createFacility, createOrganization, slugForOrganizationName } from "./organizations";

const USD = 1_000_000n;

describe("slugForOrganizationName", () => {
  it.each([
    ["plain words", "Acme AI", "acme-ai"],
    ["punctuation collapses to one dash", "Acme AI, Inc.", "acme-ai-inc"],
    ["accents are dropped", "Crédit Agricole Ünd Co", "credit-agricole-und-co"],
    ["leading and trailing junk trimmed", "  --Quill & Health!!  ", "quill-health"],
    ["digits kept", "Fund 2026 II", "fund-2026-ii"],
    ["nothing usable", "!!!", ""],
  ])("%s: %s → %s", (_label, name, slug) => {
    expect(slugForOrganizationName(name)).toBe(slug);
  });
});

await describeEachProvider("organisations", (provider) => {
  let test: TestDatabase;
  let adminId: string;
  let sequence = 0;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    const platform = await test.db.organization.create({ data: { name: "Platform", slug: "platform", kind: "PLATFORM" } });
    adminId = (await test.db.user.create({ data: { orgId: platform.id, email: "admin@example.test", name: "Admin", passwordHash: "x", role: "admin" } })).id;
  });
  afterAll(async () => {
    await test?.drop();
  });

  const unique = (name: string) => `${name} ${++sequence}`;

  it("creates an organisation of each kind with a derived slug, audited with its after state", async () => {
    for (const kind of ["STARTUP", "LENDER", "PLATFORM"] as const) {
      const name = unique(`Nimbus ${kind.toLowerCase()}`);
      const org = await createOrganization(test.db, { actorUserId: adminId, name, kind });
      expect(org).toMatchObject({ name, kind, slug: slugForOrganizationName(name) });
      const audit = await test.db.auditLog.findFirstOrThrow({ where: { targetId: org.id } });
      expect(audit).toMatchObject({ action: "org.created", actorUserId: adminId, orgId: org.id, targetType: "Organization" });
      expect(JSON.parse(audit.detailJson)).toEqual({ before: null, after: { name, slug: org.slug, kind } });
    }
  });

  it("refuses a name whose slug is taken, on the name field, and writes nothing", async () => {
    const name = unique("Acme AI");
    const first = await createOrganization(test.db, { actorUserId: adminId, name, kind: "STARTUP" });
    const [orgsBefore, auditBefore] = await Promise.all([test.db.organization.count(), test.db.auditLog.count()]);
    const error = await createOrganization(test.db, { actorUserId: adminId, name: `${name.toUpperCase()}!`, kind: "LENDER" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "org_slug_taken", param: "name" });
    expect((error as ApiError).message).toContain(first.slug);
    expect(await test.db.organization.count()).toBe(orgsBefore);
    expect(await test.db.auditLog.count()).toBe(auditBefore);
  });

  it("refuses a name with no letter or digit", async () => {
    await expect(createOrganization(test.db, { actorUserId: adminId, name: "***", kind: "STARTUP" })).rejects.toMatchObject({ status: 400, code: "org_name_invalid", param: "name" });
  });

  it("opens a facility on a lender, audited; it starts with nothing deployed", async () => {
    const lender = await createOrganization(test.db, { actorUserId: adminId, name: unique("Harbor Credit"), kind: "LENDER" });
    const facility = await createFacility(test.db, { actorUserId: adminId, lenderOrgId: lender.id, name: "Growth I", limitMicros: 2_500_000n * USD, defaultAprBps: 1_250 });
    expect(facility).toMatchObject({ lenderOrgId: lender.id, name: "Growth I", limitMicros: 2_500_000n * USD, defaultAprBps: 1_250 });
    const audit = await test.db.auditLog.findFirstOrThrow({ where: { targetId: facility.id } });
    expect(audit).toMatchObject({ action: "facility.created", orgId: lender.id, actorUserId: adminId, targetType: "LenderFacility" });
    expect(JSON.parse(audit.detailJson)).toEqual({ before: null, after: { name: "Growth I", limitMicros: String(2_500_000n * USD), defaultAprBps: 1_250 } });

    // A second facility with the same name on the same lender is refused; another lender may use it.
    await expect(createFacility(test.db, { actorUserId: adminId, lenderOrgId: lender.id, name: "Growth I", limitMicros: USD, defaultAprBps: 100 })).rejects.toMatchObject({ status: 409, code: "facility_name_taken", param: "name" });
    const other = await createOrganization(test.db, { actorUserId: adminId, name: unique("Other Credit"), kind: "LENDER" });
    await expect(createFacility(test.db, { actorUserId: adminId, lenderOrgId: other.id, name: "Growth I", limitMicros: USD, defaultAprBps: 100 })).resolves.toMatchObject({ lenderOrgId: other.id });
  });

  it("refuses a facility on a startup or an unknown organisation, writing nothing", async () => {
    const startup = await createOrganization(test.db, { actorUserId: adminId, name: unique("Borrower"), kind: "STARTUP" });
    const before = await test.db.lenderFacility.count();
    await expect(createFacility(test.db, { actorUserId: adminId, lenderOrgId: startup.id, name: "F", limitMicros: USD, defaultAprBps: 100 })).rejects.toMatchObject({ status: 400, code: "org_not_lender" });
    await expect(createFacility(test.db, { actorUserId: adminId, lenderOrgId: "nope", name: "F", limitMicros: USD, defaultAprBps: 100 })).rejects.toMatchObject({ status: 404, code: "org_not_found" });
    expect(await test.db.lenderFacility.count()).toBe(before);
  });
});
