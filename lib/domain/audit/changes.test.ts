import { describe, expect, test } from "vitest";
import { describeAuditChanges, readAuditDetail } from "./changes";

describe("readAuditDetail: before and after, field by field", () => {
  test("settings changed: each field with its unit, the rest as lines", () => {
    const view = readAuditDetail(JSON.stringify({ url: "https://hooks.example/a", before: { isEnabled: true, aprBps: 1200 }, after: { isEnabled: false, aprBps: 1200 } }));
    expect(view.changes).toEqual([
      { field: "isEnabled", label: "Is enabled", before: "true", after: "false", isChanged: true },
      { field: "aprBps", label: "APR", before: "12.00%", after: "12.00%", isChanged: false },
    ]);
    expect(view.details).toEqual(["Url: https://hooks.example/a"]);
  });

  test.each<[string, Record<string, unknown>, { field: string; before: string; after: string }[]]>([
    ["a field only after (added)", { before: {}, after: { spendCapMicros: "5000000" } }, [{ field: "spendCapMicros", before: "—", after: "$5.00" }]],
    ["a field only before (removed)", { before: { name: "old" }, after: {} }, [{ field: "name", before: "old", after: "—" }]],
    ["before is null (created)", { before: null, after: { name: "new" } }, [{ field: "name", before: "—", after: "new" }]],
    ["plain values read as one field", { before: "ACTIVE", after: "FROZEN" }, [{ field: "value", before: "ACTIVE", after: "FROZEN" }]],
    ["a loan's from/to reads as its state", { from: "SUBMITTED", to: "ACTIVE", reason: "ok" }, [{ field: "state", before: "SUBMITTED", after: "ACTIVE" }]],
  ])("%s", (_label, detail, expected) => {
    expect(readAuditDetail(JSON.stringify(detail)).changes.map(({ field, before, after }) => ({ field, before, after }))).toEqual(expected);
  });

  test.each<[string, string, string[]]>([
    ["no before/after: every detail a line", '{"amountMicros":"12500000","mode":"ALL"}', ["Amount: $12.50", "Mode: ALL"]],
    ["not JSON: as it is", "by hand", ["by hand"]],
    ["from without to is just a detail", '{"from":"A"}', ["From: A"]],
  ])("%s", (_label, json, details) => {
    expect(readAuditDetail(json)).toEqual({ changes: [], details });
  });
});

test("describeAuditChanges: only what changed, one line", () => {
  const { changes } = readAuditDetail(JSON.stringify({ before: { isDisabled: false, email: "a@x" }, after: { isDisabled: true, email: "a@x" } }));
  expect(describeAuditChanges(changes)).toBe("Is disabled: false → true");
});
