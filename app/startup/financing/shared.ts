import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import type { Viewer } from "@/lib/server/auth/guard";
import type { LoanCaller } from "@/lib/server/loans/queries";

// What the startup's financing actions share: the signed-in user as the services take them (the
// action has checked a startup-only permission, and every service scopes by this organisation), and
// the pages to re-render after a change.

export function startupCallerOf(viewer: Viewer): LoanCaller {
  return { role: "startup", userId: viewer.userId, orgId: viewer.orgId, kind: "user" };
}

/** The financing list, the loan's page, the overview (balances, banner) and the desks that read the loan. */
export function revalidateFinancing(loanId?: string) {
  revalidatePath("/startup");
  revalidatePath("/startup/financing");
  if (loanId) revalidatePath(`/startup/financing/${loanId}`);
  revalidatePath("/admin/applications");
  revalidatePath("/admin/payments");
  revalidatePath("/lender");
}
