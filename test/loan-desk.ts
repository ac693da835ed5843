// What the financing service tests (lib/server/loans, lib/server/payments) share: a refusal read
// as the edge would send it, a platform admin as a caller, and the approval desk's world (a lender
// with one facility, an admin, one GPU index fix).
import type { Db } from "@/lib/server/db/client";
import { toApiError } from "@/lib/server/http/errors";
import type { LoanCaller } from "@/lib/server/loans/queries";
import { createLender, createUser, type Lender } from "@/test/collateral-world";

const USD = 1_000_000n;

/** What a refusal looks like at the edge (the ApiError an action or route would send); a success fails the test. */
export async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const apiError = toApiError(error);
    return { status: apiError.status, code: apiError.code, param: apiError.param, message: apiError.message };
  }
  throw new Error("expected a refusal, got a success");
}

/** An admin of a new platform organisation, as a service's caller. */
export async function createPlatformAdmin(db: Db): Promise<LoanCaller> {
  const platform = await createUser(db, "PLATFORM");
  return { role: "admin", userId: platform.userId, orgId: platform.orgId };
}

/**
 * The approval desk: a GPU index fix of $2.00/GPU-hour on 2026-01-01, a lender with the facility
 * "Fund I" ($100M limit, 12% APR by default) and a platform admin.
 */
export async function createLoanDesk(db: Db): Promise<{ lender: Lender; facilityId: string; admin: LoanCaller }> {
  await db.gpuIndexFix.create({ data: { day: "2026-01-01", priceMicrosPerGpuHour: 2_000_000n, source: "seed" } });
  const lender = await createLender(db);
  const facility = await db.lenderFacility.create({ data: { lenderOrgId: lender.orgId, name: "Fund I", limitMicros: 100_000_000n * USD, defaultAprBps: 1_200 } });
  return { lender, facilityId: facility.id, admin: await createPlatformAdmin(db) };
}
