// FROZEN and UNFROZEN alerts follow the freeze events (DESIGN.md: every freeze and unfreeze is
// audited and sent as a webhook; the webhook goes out for each event, the alert stays one per kind).

import type { AlertChanges, AlertKind } from "./kinds";

/**
 * FREEZE opens FROZEN (unless open) and resolves an open UNFROZEN. UNFREEZE opens UNFROZEN (unless
 * open) and resolves FROZEN only when nothing of the loan is frozen any more.
 */
export function evaluateFreezeAlerts(input: { action: "FREEZE" | "UNFREEZE"; frozenAfterMicros: bigint; openKinds: ReadonlySet<AlertKind> | readonly AlertKind[] }): AlertChanges {
  const open = new Set<AlertKind>(input.openKinds);
  if (input.action === "FREEZE") {
    return { open: open.has("FROZEN") ? [] : ["FROZEN"], resolve: open.has("UNFROZEN") ? ["UNFROZEN"] : [] };
  }
  if (input.action !== "UNFREEZE") throw new RangeError(`action must be FREEZE or UNFREEZE, got ${String(input.action)}.`);
  return { open: open.has("UNFROZEN") ? [] : ["UNFROZEN"], resolve: open.has("FROZEN") && input.frozenAfterMicros <= 0n ? ["FROZEN"] : [] };
}
