import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Viewer } from "@/lib/server/auth/guard";
import type { LoanCaller } from "@/lib/server/loans/queries";

// What the approval queue's actions share: the loan id at the edge, the admin as the loan services'
// caller, and the pages that read fresh after a decision.

export const loanIdInput = z.string({ error: "pick an application." }).trim().min(1, "pick an application.").max(64, "that is not an application id.");

export function adminCaller(viewer: Viewer): LoanCaller {
  return { role: viewer.role === "admin" ? "admin" : "startup", userId: viewer.userId, orgId: viewer.orgId, kind: "user" };
}

/** After a decision: the queue, the application, the admin home (its count), and the borrower's and lenders' pages. */
export function revalidateApplication(loanId: string): void {
  revalidatePath("/admin", "layout");
  revalidatePath("/admin/applications");
  revalidatePath(`/admin/applications/${loanId}`);
  revalidatePath("/startup", "layout");
  revalidatePath("/lender", "layout");
}
