// The production server that `npm start` runs once the database is migrated and the build is
// current (scripts/start.ts): Next.js, with the routing API's metered endpoints served ahead of
// its request pipeline (lib/server/http/app-server.ts says why). Serves PORT (default 3000) on
// HOSTNAME (default: every interface). On SIGTERM or SIGINT it stops accepting connections, lets
// the requests in flight finish (streams included), waits for the routing API's deferred
// settlements (at most 10 s), and exits as `next start` does: 143 or 130.
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

async function main() {
  // Before Next is loaded: it reads NODE_ENV as it loads.
  Object.assign(process.env, { NODE_ENV: "production" });
  const { startAppServer } = await import("../lib/server/http/app-server");
  const { finishDeferredSettlements } = await import("../lib/server/routing/deferred-settlements");
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOSTNAME || undefined;
  const app = await startAppServer({ dir: root, port, hostname });
  console.log(`Ready on http://${hostname ?? "localhost"}:${port}`);

  let isStopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (isStopping) return;
    isStopping = true;
    void (async () => {
      await app.close().catch((error: unknown) => console.error(error));
      await finishDeferredSettlements();
      process.exit(signal === "SIGINT" ? 130 : 143);
    })();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
