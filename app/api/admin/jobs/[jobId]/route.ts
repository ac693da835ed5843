import { can, type Permission } from "@/lib/domain/auth/permissions";
import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { ApiError } from "@/lib/server/http/errors";
import { getJob } from "@/lib/server/jobs/queue";

export const dynamic = "force-dynamic";

// GET /api/admin/jobs/[jobId] — a background job's status, progress and result, polled by the admin
// screen that started it. Admins only; each kind may also need its own permission.
const PERMISSION_BY_KIND: Record<string, Permission> = { "index.recompute": "gpuIndex.manage", "ledger.health": "ledger.health" };

export const GET = authed<{ jobId: string }>({ permission: "org.manage" }, async (_request, { viewer, params }) => {
  const job = await getJob(db, params.jobId);
  const permission = job ? PERMISSION_BY_KIND[job.kind] : undefined;
  if (!job || (permission && !can(viewer.role, permission))) throw new ApiError(404, "job_not_found", "No such job.");
  return Response.json(job, { headers: { "cache-control": "no-store" } });
});
