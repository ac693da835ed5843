import { describe, expect, test } from "vitest";
import {
  decodeUsageCursor,
  encodeUsageCursor,
  usageCursorOf,
  usageFilterFieldsFromQuery,
  usageFiltersFromQuery,
  usageSortOrder,
  usageTimeBounds,
  usageViewToQuery,
  type UsageCursor,
  type UsageSort,
} from "./explorer";

describe("usageFiltersFromQuery", () => {
  test("blank fields are no filter; values are trimmed; repeated keys take the first; the sort defaults to newest first", () => {
    const parsed = usageFiltersFromQuery({ from: "2026-01-01", to: ["2026-01-31", "2027-01-01"], model: " gpt-4o-mini ", provider: "", key: undefined, status: "ok" });
    expect(parsed.success && parsed.data).toEqual({ from: "2026-01-01", to: "2026-01-31", model: "gpt-4o-mini", provider: undefined, key: undefined, status: "ok", sort: "time_desc" });
  });

  test.each<[string, Record<string, string>, string]>([
    ["a day that does not exist", { from: "2026-02-30" }, "From: not a real calendar date."],
    ["29 February of a common year", { to: "2026-02-29" }, "To: not a real calendar date."],
    ["month 13", { from: "2026-13-01" }, "From: not a real calendar date."],
    ["a day in another format", { to: "31/01/2026" }, "To: use a date as YYYY-MM-DD."],
    ["a range backwards", { from: "2026-02-01", to: "2026-01-31" }, "To: must be on or after From."],
    ["a model with spaces", { model: "gpt 4o" }, "Model: not a model id."],
    ["a key id with a quote", { key: "k'1" }, "API key: not an API key id."],
    ["an unknown status", { status: "pending" }, "Status: one of ok, error, aborted, frozen."],
    ["an unknown sort", { sort: "latency_desc" }, "Sort: one of time_desc, time_asc, cost_desc."],
  ])("refuses %s", (_label, query, message) => {
    const parsed = usageFiltersFromQuery(query);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe(message);
  });

  test.each<[string, Record<string, string>]>([
    ["29 February of a leap year", { from: "2024-02-29", to: "2024-02-29" }],
    ["a one-day range", { from: "2026-03-01", to: "2026-03-01" }],
    ["a model id with dots, slashes and a colon", { model: "meta-llama/Llama-3.1-8B:free" }],
    ["no key recorded", { key: "none" }],
    ["dearest first", { sort: "cost_desc" }],
  ])("accepts %s", (_label, query) => {
    expect(usageFiltersFromQuery(query).success).toBe(true);
  });
});

test("usageFilterFieldsFromQuery keeps what the address says, refused or not, for the form", () => {
  expect(usageFilterFieldsFromQuery({ from: "2026-02-30", model: ["a", "b"], sort: "cost_desc" })).toEqual({ from: "2026-02-30", to: "", model: "a", provider: "", key: "", status: "" });
});

describe("usageViewToQuery", () => {
  test.each<[string, Parameters<typeof usageViewToQuery>, string]>([
    ["nothing", [{}], ""],
    ["the default sort is left out", [{ sort: "time_desc" }], ""],
    ["fixed order, no empty ones, the sort, then extras", [{ status: "error", model: "gpt-4o-mini", from: "2026-01-01", to: "", sort: "cost_desc" }, { after: "c5_x", before: null }], "?from=2026-01-01&model=gpt-4o-mini&status=error&sort=cost_desc&after=c5_x"],
    ["values are encoded", [{ model: "meta-llama/x y" }], "?model=meta-llama%2Fx+y"],
  ])("%s", (_label, args, expected) => {
    expect(usageViewToQuery(...args)).toBe(expected);
  });

  test("round trip through the address", () => {
    const query = Object.fromEntries(new URLSearchParams(usageViewToQuery({ from: "2026-01-01", to: "2026-01-31", provider: "simulator", key: "none", sort: "time_asc" })));
    const parsed = usageFiltersFromQuery(query);
    expect(parsed.success && parsed.data).toEqual({ from: "2026-01-01", to: "2026-01-31", model: undefined, provider: "simulator", key: "none", status: undefined, sort: "time_asc" });
  });
});

test("usageTimeBounds: whole UTC days, `to` inclusive", () => {
  expect(usageTimeBounds({ from: "2026-01-01", to: "2026-01-31" })).toEqual({ atOrAfter: new Date("2026-01-01T00:00:00.000Z"), before: new Date("2026-02-01T00:00:00.000Z") });
  expect(usageTimeBounds({ to: "2024-02-28" })).toEqual({ atOrAfter: null, before: new Date("2024-02-29T00:00:00.000Z") });
  expect(usageTimeBounds({})).toEqual({ atOrAfter: null, before: null });
});

describe("usage cursors", () => {
  test.each<[string, UsageCursor, UsageSort, string]>([
    ["a time cursor", { kind: "time", at: new Date("2026-03-04T05:06:07.089Z"), id: "cm1abc_def-9" }, "time_desc", "t1772600767089_cm1abc_def-9"],
    ["a cost cursor above 2^53 µUSD", { kind: "cost", costMicros: 9_007_199_254_740_993n, id: "c1" }, "cost_desc", "c9007199254740993_c1"],
    ["a zero-cost cursor", { kind: "cost", costMicros: 0n, id: "x" }, "cost_desc", "c0_x"],
  ])("%s round trips", (_label, cursor, sort, text) => {
    expect(encodeUsageCursor(cursor)).toBe(text);
    expect(decodeUsageCursor(text, sort)).toEqual(cursor);
  });

  test("a time cursor serves both time sorts and no cost sort, and the other way round", () => {
    expect(decodeUsageCursor("t5_a", "time_asc")).toEqual({ kind: "time", at: new Date(5), id: "a" });
    expect(decodeUsageCursor("t5_a", "cost_desc")).toBeNull();
    expect(decodeUsageCursor("c5_a", "time_desc")).toBeNull();
  });

  test.each(["", "abc", "t12_", "t_abc", "t12_a b", "c-5_a", `t1_${"x".repeat(65)}`, "t1234567890123456_a"])("%j is no cursor", (value) => {
    expect(decodeUsageCursor(value, "time_desc")).toBeNull();
    expect(decodeUsageCursor(value, "cost_desc")).toBeNull();
  });

  test("usageCursorOf picks the sort's key", () => {
    const row = { id: "r1", createdAt: new Date(1_000), costMicros: 42n };
    expect(usageCursorOf("time_desc", row)).toBe("t1000_r1");
    expect(usageCursorOf("time_asc", row)).toBe("t1000_r1");
    expect(usageCursorOf("cost_desc", row)).toBe("c42_r1");
  });
});

test.each<[UsageSort, ReturnType<typeof usageSortOrder>]>([
  ["time_desc", { field: "createdAt", direction: "desc" }],
  ["time_asc", { field: "createdAt", direction: "asc" }],
  ["cost_desc", { field: "costMicros", direction: "desc" }],
])("usageSortOrder(%s)", (sort, expected) => {
  expect(usageSortOrder(sort)).toEqual(expected);
});
