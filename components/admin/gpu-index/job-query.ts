import { queryOptions } from "@tanstack/react-query";
import { HttpError } from "@/lib/client/query-keys";
import type { JobDto } from "./types";

// A background job an admin started, polled while it is QUEUED or RUNNING (GET /api/admin/jobs/[jobId]).

export const jobKeys = { job: (jobId: string) => ["admin", "jobs", jobId] as const };

/** How often a running job is asked for its progress. */
export const JOB_POLL_MS = 1_000;

export function isJobActive(job: Pick<JobDto, "status"> | undefined): boolean {
  return job?.status === "QUEUED" || job?.status === "RUNNING";
}

async function fetchJob(jobId: string): Promise<JobDto> {
  const response = await fetch(`/api/admin/jobs/${encodeURIComponent(jobId)}`, { headers: { accept: "application/json" }, cache: "no-store" });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new HttpError(response.status, body?.error?.message ?? `Request failed (${response.status})`);
  }
  return (await response.json()) as JobDto;
}

export const jobQuery = (jobId: string) =>
  queryOptions({
    queryKey: jobKeys.job(jobId),
    queryFn: () => fetchJob(jobId),
    // Poll until the job has finished; a finished job never changes again.
    refetchInterval: (query) => (query.state.data && !isJobActive(query.state.data) ? false : JOB_POLL_MS),
    staleTime: (query) => (query.state.data && !isJobActive(query.state.data) ? Infinity : 0),
  });
