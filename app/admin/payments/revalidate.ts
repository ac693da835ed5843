import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";

/** After a decision: this screen, the sidebar's pending badge (the admin layout), and the pages that show the loan or the credits. */
export function revalidatePayments() {
  revalidatePath("/admin", "layout");
  revalidatePath("/startup", "layout");
  revalidatePath("/lender", "layout");
}
