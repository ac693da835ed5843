// Display helpers for the startup's financing screens (display only: money stays µUSD until shown).

/** 13,000 bps → "1.3×", 12,500 → "1.25×". */
export function multiplierText(bps: number): string {
  return `${(bps / 10_000).toFixed(4).replace(/\.?0+$/, "")}×`;
}

/** Today's date (UTC) as YYYY-MM-DD, the default "sent on" day. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A request key per dialog opened (a double submit sends it once). */
export function newRequestKey(prefix: string): string {
  return `${prefix}-${typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`}`;
}
