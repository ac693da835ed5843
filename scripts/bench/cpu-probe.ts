/**
 * This machine's speed at the time of the run (a fixed JavaScript loop, ms): figures from runs on
 * different days, or from different benches (routing, desk), compare only when this does — the
 * shared 2-core machine's speed varies by 2–3×.
 */
export function cpuProbeMs(): number {
  const started = performance.now();
  let sum = 0;
  for (let i = 0; i < 300_000_000; i++) sum += i % 7;
  if (sum < 0) console.log(sum);
  return performance.now() - started;
}
