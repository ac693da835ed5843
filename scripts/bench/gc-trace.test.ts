import { describe, expect, it } from "vitest";
import { busiestIsolate, parseMinorGcs, summarizeMinorGcs } from "./gc-trace";

const scavenge = (isolate: string, atMs: number, pauseMs: number, promoted: number) =>
  `[7508:${isolate}]    ${atMs} ms: pause=${pauseMs} mutator=293.9 gc=s reduce_memory=0 heap.prologue=0.00 scavenge=5.02 allocated=12705000 promoted=${promoted} new_space_survived=1153120 nodes_died_in_new=90`;
const markCompact = (isolate: string, atMs: number) => `[7508:${isolate}]    ${atMs} ms: pause=11.5 mutator=120.0 gc=mc reduce_memory=0 promoted=375328`;

const trace = [
  "▲ Next.js 16.4.6",
  "   - Local:        http://127.0.0.1:3000",
  scavenge("0x1", 100, 5.2, 1_000_000),
  scavenge("0x1", 400, 6.8, 1_200_000),
  markCompact("0x1", 500),
  scavenge("0x2", 550, 0.4, 10_000), // the checkpoint worker's isolate
  scavenge("0x1", 700, 4.0, 800_000),
  scavenge("0x1", 1_000, 3.0, 0),
].join("\n");

describe("parseMinorGcs", () => {
  it("keeps scavenges with their isolate, time, pause and promoted bytes, and skips everything else", () => {
    expect(parseMinorGcs(trace)).toEqual([
      { isolate: "0x1", atMs: 100, pauseMs: 5.2, promotedBytes: 1_000_000 },
      { isolate: "0x1", atMs: 400, pauseMs: 6.8, promotedBytes: 1_200_000 },
      { isolate: "0x2", atMs: 550, pauseMs: 0.4, promotedBytes: 10_000 },
      { isolate: "0x1", atMs: 700, pauseMs: 4.0, promotedBytes: 800_000 },
      { isolate: "0x1", atMs: 1_000, pauseMs: 3.0, promotedBytes: 0 },
    ]);
  });

  it("finds nothing in output without a GC trace", () => {
    expect(parseMinorGcs("URL http://127.0.0.1:4000\nready")).toEqual([]);
  });
});

describe("busiestIsolate", () => {
  it.each([
    { name: "the isolate with most scavenges", text: trace, expected: "0x1" },
    { name: "no isolate without scavenges", text: "", expected: null },
  ])("$name", ({ text, expected }) => {
    expect(busiestIsolate(parseMinorGcs(text))).toBe(expected);
  });
});

describe("summarizeMinorGcs", () => {
  const gcs = parseMinorGcs(trace);

  it.each([
    {
      name: "one window: the main isolate's scavenges in it, per request",
      windows: [{ fromMs: 0, toMs: 500, requests: 200 }],
      expected: { requests: 200, minorGcs: 2, minorGcsPer1000Requests: 10, meanPauseMs: 6, promotedBytesPerRequest: 11_000 },
    },
    {
      name: "two windows add up; the worker's scavenge at 550 ms is not counted",
      windows: [
        { fromMs: 0, toMs: 150, requests: 100 },
        { fromMs: 500, toMs: 800, requests: 100 },
      ],
      expected: { requests: 200, minorGcs: 2, minorGcsPer1000Requests: 10, meanPauseMs: 4.6, promotedBytesPerRequest: 9_000 },
    },
    {
      name: "a window's end is exclusive",
      windows: [{ fromMs: 400, toMs: 1_000, requests: 50 }],
      expected: { requests: 50, minorGcs: 2, minorGcsPer1000Requests: 40, meanPauseMs: 5.4, promotedBytesPerRequest: 40_000 },
    },
    {
      name: "no requests, no scavenges: zeros, not NaN",
      windows: [{ fromMs: 2_000, toMs: 3_000, requests: 0 }],
      expected: { requests: 0, minorGcs: 0, minorGcsPer1000Requests: 0, meanPauseMs: 0, promotedBytesPerRequest: 0 },
    },
  ])("$name", ({ windows, expected }) => {
    const summary = summarizeMinorGcs(gcs, windows);
    expect(summary.requests).toBe(expected.requests);
    expect(summary.minorGcs).toBe(expected.minorGcs);
    expect(summary.minorGcsPer1000Requests).toBeCloseTo(expected.minorGcsPer1000Requests, 9);
    expect(summary.meanPauseMs).toBeCloseTo(expected.meanPauseMs, 9);
    expect(summary.promotedBytesPerRequest).toBeCloseTo(expected.promotedBytesPerRequest, 9);
  });
});
