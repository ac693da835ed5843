import { afterEach, describe, expect, it, vi } from "vitest";
import { newRowId } from "./ids";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millisecondsOf = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);

describe("newRowId", () => {
  afterEach(() => vi.useRealTimers());

  it("is a UUIDv7 (version 7, RFC variant) carrying the current Unix millisecond", () => {
    const before = Date.now();
    const id = newRowId();
    const after = Date.now();
    expect(id).toMatch(UUID_V7);
    expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisecondsOf(id)).toBeLessThanOrEqual(after);
  });

  it("sorts in the order the ids were made, within a millisecond and across many", () => {
    const ids = Array.from({ length: 20_000 }, () => newRowId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("keeps increasing when the clock stands still for more ids than a millisecond's counter holds, and when it steps back", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00.000Z"));
    const sameMillisecond = Array.from({ length: 5_000 }, () => newRowId());
    vi.setSystemTime(new Date("2029-12-31T23:59:59.000Z"));
    const afterStepBack = Array.from({ length: 10 }, () => newRowId());
    const ids = [...sameMillisecond, ...afterStepBack];
    expect(ids.every((id) => UUID_V7.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
