import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import { processWide } from "@/lib/server/process-wide";

/**
 * Streams already running for an organisation must end within a second of a freeze committed on
 * any instance. One poller per organisation with live streams reads the org's latest FREEZE
 * transfer every FREEZE_POLL_MS; a stream whose baseline differs from it is told to stop.
 */
export const FREEZE_POLL_MS = 250;

type Watcher = { baseline: string | null; onFrozen: () => void };
type OrgPoller = { watchers: Set<Watcher>; timer: NodeJS.Timeout | null; isPolling: boolean };
const pollers = processWide("freezePollers", () => new Map<string, OrgPoller>());

export async function latestFreezeMarker(db: Db, orgId: string): Promise<string | null> {
  const latest = await db.ledgerTransfer.findFirst({ where: { orgId, kind: "FREEZE" }, orderBy: { createdAt: "desc" }, select: { id: true } });
  return latest?.id ?? null;
}

/** Returns an unsubscribe function. `baseline` is the marker read when the stream started. */
export function watchForFreeze(db: Db, orgId: string, baseline: string | null, onFrozen: () => void): () => void {
  let poller = pollers.get(orgId);
  if (!poller) {
    poller = { watchers: new Set(), timer: null, isPolling: false };
    pollers.set(orgId, poller);
  }
  const watcher: Watcher = { baseline, onFrozen };
  poller.watchers.add(watcher);
  const current = poller;
  if (!current.timer) {
    current.timer = setInterval(async () => {
      if (current.isPolling) return;
      current.isPolling = true;
      try {
        const marker = await latestFreezeMarker(db, orgId);
        for (const w of [...current.watchers]) {
          if (marker !== w.baseline) {
            current.watchers.delete(w);
            w.onFrozen();
          }
        }
      } catch {
        // A failed poll is retried on the next tick; the stream goes on meanwhile.
      } finally {
        current.isPolling = false;
        if (current.watchers.size === 0) stop(orgId);
      }
    }, FREEZE_POLL_MS);
    current.timer.unref?.();
  }
  return () => {
    current.watchers.delete(watcher);
    if (current.watchers.size === 0) stop(orgId);
  };
}

function stop(orgId: string) {
  const poller = pollers.get(orgId);
  if (poller?.timer) clearInterval(poller.timer);
  pollers.delete(orgId);
}
