// Display formats shared by the loan page's parts. Instants are shown in UTC, the same on the
// server and in the browser (no hydration mismatch, and one clock for everyone reading a loan).

/** "2026-12-04T14:03:27.000Z" → "2026-12-04 14:03 UTC". */
export function utcMinute(iso: string | null): string {
  return iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—";
}

/** "2026-12-04T14:03:27.000Z" → "2026-12-04". */
export function utcDate(iso: string | null): string {
  return iso ? iso.slice(0, 10) : "—";
}

/** 850,000 ppm → "$0.8500" (USD per USD of credits). */
export function markText(markPpm: number | null): string {
  return markPpm === null ? "—" : `$${(markPpm / 1_000_000).toFixed(4)}`;
}

/** Compare two µUSD strings (tables sort money exactly). */
export function compareMicros(a: string | null, b: string | null): number {
  const x = a === null ? -1n : BigInt(a);
  const y = b === null ? -1n : BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
