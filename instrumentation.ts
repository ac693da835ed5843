// Next.js calls register() once per server process: start the background jobs there, and make a
// shutdown wait for the routing API's deferred settlements (unless the host handles signals itself:
// with NEXT_MANUAL_SIG_HANDLE, Next registers no handler and ours must not keep SIGTERM from ending the process).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startBackgroundJobs } = await import("@/lib/server/jobs/background");
    startBackgroundJobs();
    if (!process.env.NEXT_MANUAL_SIG_HANDLE) {
      const { holdExitForDeferredSettlements } = await import("@/lib/server/routing/deferred-settlements");
      holdExitForDeferredSettlements();
    }
  }
}
