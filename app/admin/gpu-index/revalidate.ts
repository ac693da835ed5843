import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { kickQueuedJobs } from "@/lib/server/jobs/queue";

/** After fixes are written: the admin and lender pages re-render, and this instance starts the queued recompute now. */
export function afterIndexWrite(jobId: string | null) {
  revalidatePath("/admin", "layout");
  revalidatePath("/lender", "layout");
  if (jobId) kickQueuedJobs();
}
