import "@/lib/server/server-only";
import type { OrgKind } from "@/lib/domain/auth/permissions";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { recordAudit } from "./audit";

// The admin's side of organisations: create one of each kind, and open credit facilities for
// lenders. Each change is one transaction with its audit row inside it.

/** "Acme AI, Inc." → "acme-ai-inc"; accents dropped, anything else not a letter or digit becomes one dash. */
export function slugForOrganizationName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/g, "");
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

function slugTaken(name: string, slug: string) {
  return new ApiError(409, "org_slug_taken", `An organisation with the address “${slug}” already exists; “${name}” needs a different name.`, "name");
}

export async function createOrganization(db: Db, input: { actorUserId: string; name: string; kind: OrgKind }) {
  const slug = slugForOrganizationName(input.name);
  if (!slug) throw new ApiError(400, "org_name_invalid", "The name needs at least one letter or digit.", "name");
  try {
    return await db.$transaction(async (tx) => {
      if (await tx.organization.findUnique({ where: { slug }, select: { id: true } })) throw slugTaken(input.name, slug);
      const org = await tx.organization.create({ data: { name: input.name, slug, kind: input.kind } });
      await recordAudit(tx, {
        orgId: org.id,
        actorUserId: input.actorUserId,
        actorKind: "user",
        action: "org.created",
        targetType: "Organization",
        targetId: org.id,
        detail: { before: null, after: { name: org.name, slug: org.slug, kind: org.kind } },
      });
      return org;
    });
  } catch (error) {
    // Two admins creating the same name at once: the unique index decides, with the same message.
    if (isUniqueViolation(error)) throw slugTaken(input.name, slug);
    throw error;
  }
}

export async function createFacility(db: Db, input: { actorUserId: string; lenderOrgId: string; name: string; limitMicros: bigint; defaultAprBps: number }) {
  return db.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: input.lenderOrgId } });
    if (!org) throw new ApiError(404, "org_not_found", "No such organisation.");
    if (org.kind !== "LENDER") throw new ApiError(400, "org_not_lender", `${org.name} is not a lender: only lenders have facilities.`);
    const duplicate = await tx.lenderFacility.findFirst({ where: { lenderOrgId: org.id, name: input.name }, select: { id: true } });
    if (duplicate) throw new ApiError(409, "facility_name_taken", `${org.name} already has a facility named “${input.name}”.`, "name");
    const facility = await tx.lenderFacility.create({ data: { lenderOrgId: org.id, name: input.name, limitMicros: input.limitMicros, defaultAprBps: input.defaultAprBps } });
    await recordAudit(tx, {
      orgId: org.id,
      actorUserId: input.actorUserId,
      actorKind: "user",
      action: "facility.created",
      targetType: "LenderFacility",
      targetId: facility.id,
      detail: { before: null, after: { name: facility.name, limitMicros: facility.limitMicros, defaultAprBps: facility.defaultAprBps } },
    });
    return facility;
  });
}
