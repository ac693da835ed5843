import { describe, expect, test } from "vitest";
import { evaluateFreezeAlerts } from "./freeze-alerts";
import type { AlertKind } from "./kinds";

describe("evaluateFreezeAlerts", () => {
  test.each<[string, "FREEZE" | "UNFREEZE", bigint, AlertKind[], { open: AlertKind[]; resolve: AlertKind[] }]>([
    ["a first freeze opens FROZEN", "FREEZE", 100n, [], { open: ["FROZEN"], resolve: [] }],
    ["a second freeze keeps the one FROZEN alert", "FREEZE", 200n, ["FROZEN"], { open: [], resolve: [] }],
    ["a freeze after an unfreeze resolves UNFROZEN", "FREEZE", 100n, ["UNFROZEN"], { open: ["FROZEN"], resolve: ["UNFROZEN"] }],
    ["a full unfreeze opens UNFROZEN and resolves FROZEN", "UNFREEZE", 0n, ["FROZEN"], { open: ["UNFROZEN"], resolve: ["FROZEN"] }],
    ["a partial unfreeze opens UNFROZEN; FROZEN stays while credits are frozen", "UNFREEZE", 50n, ["FROZEN"], { open: ["UNFROZEN"], resolve: [] }],
  ])("%s", (_label, action, frozenAfterMicros, openKinds, expected) => {
    expect(evaluateFreezeAlerts({ action, frozenAfterMicros, openKinds })).toEqual(expected);
  });
});
