// Reads V8's `--trace-gc-nvp` output of a process under benchmark and sums its minor GCs
// (scavenges) per phase of the benchmark: how often they ran, how long they paused the process,
// and how much memory survived them long enough to be promoted to the old generation.

export type MinorGc = { isolate: string; atMs: number; pauseMs: number; promotedBytes: number };

// `[1234:0x55d0c0a8]    15128 ms: pause=5.2 mutator=293.9 gc=s … promoted=1219672 …`
const NVP_LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+(\d+(?:\.\d+)?) ms: pause=([\d.]+) .*?\bgc=(\w+)\b/;
const PROMOTED = /\bpromoted=(\d+)\b/;

/** The scavenges in a stretch of `--trace-gc-nvp` output (full GCs and other lines are skipped). */
export function parseMinorGcs(text: string): MinorGc[] {
  const gcs: MinorGc[] = [];
  for (const line of text.split("\n")) {
    const match = NVP_LINE.exec(line.trim());
    if (!match || match[4] !== "s") continue;
    gcs.push({ isolate: match[1], atMs: Number(match[2]), pauseMs: Number(match[3]), promotedBytes: Number(PROMOTED.exec(line)?.[1] ?? 0) });
  }
  return gcs;
}

/**
 * A process can run several isolates (the server's WAL checkpoint worker is one); the one serving
 * requests is the one that collects most often.
 */
export function busiestIsolate(gcs: MinorGc[]): string | null {
  const counts = new Map<string, number>();
  for (const gc of gcs) counts.set(gc.isolate, (counts.get(gc.isolate) ?? 0) + 1);
  let busiest: string | null = null;
  for (const [isolate, count] of counts) if (busiest === null || count > counts.get(busiest)!) busiest = isolate;
  return busiest;
}

/** A stretch of the benchmark, in ms since the process under benchmark started, and the requests it served then. */
export type GcWindow = { fromMs: number; toMs: number; requests: number };

export type GcSummary = { requests: number; minorGcs: number; minorGcsPer1000Requests: number; meanPauseMs: number; promotedBytesPerRequest: number };

/** The main isolate's scavenges inside the windows, per request served in them. */
export function summarizeMinorGcs(gcs: MinorGc[], windows: GcWindow[]): GcSummary {
  const isolate = busiestIsolate(gcs);
  const inWindows = gcs.filter((gc) => gc.isolate === isolate && windows.some((w) => gc.atMs >= w.fromMs && gc.atMs < w.toMs));
  const requests = windows.reduce((sum, w) => sum + w.requests, 0);
  const pauseMs = inWindows.reduce((sum, gc) => sum + gc.pauseMs, 0);
  const promotedBytes = inWindows.reduce((sum, gc) => sum + gc.promotedBytes, 0);
  return {
    requests,
    minorGcs: inWindows.length,
    minorGcsPer1000Requests: requests ? (1000 * inWindows.length) / requests : 0,
    meanPauseMs: inWindows.length ? pauseMs / inWindows.length : 0,
    promotedBytesPerRequest: requests ? promotedBytes / requests : 0,
  };
}
