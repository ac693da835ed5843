import { describe, expect, it } from "vitest";
import { percentOf, readFileInChunks, type ReadProgress } from "./read-file";

describe("readFileInChunks reads a file piece by piece and reports how far it got", () => {
  it.each([
    ["an empty file", "", 4, [[0, 0]]],
    ["a file smaller than one chunk", "day,price\n", 64, [[0, 10], [10, 10]]],
    ["a file of three chunks", "abcdefghij", 4, [[0, 10], [4, 10], [8, 10], [10, 10]]],
  ])("%s", async (_label, text, chunkBytes, expected) => {
    const seen: ReadProgress[] = [];
    expect(await readFileInChunks(new Blob([text]), (p) => seen.push(p), { chunkBytes })).toBe(text);
    expect(seen.map((p) => [p.loadedBytes, p.totalBytes])).toEqual(expected);
  });

  it("a UTF-8 character split across two chunks (µ is 2 bytes, € is 3) is decoded whole", async () => {
    const text = "µUSD,€\n2026-03-01,2.15\n";
    for (const chunkBytes of [1, 2, 3, 5]) expect(await readFileInChunks(new Blob([text]), () => undefined, { chunkBytes })).toBe(text);
  });

  it("a cancelled read stops with an AbortError", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readFileInChunks(new Blob(["abc"]), () => undefined, { chunkBytes: 1, signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("percentOf", () => {
  it.each([
    ["nothing of nothing", 0, 0, 0],
    ["something of an unknown total", 3, 0, 100],
    ["a third", 1, 3, 33],
    ["all", 7, 7, 100],
    ["more than all (a total that grew)", 9, 7, 100],
  ])("%s → %i%%", (_label, done, total, percent) => {
    expect(percentOf(done, total)).toBe(percent);
  });
});
