// Display helpers for the Settings screens. Times are shown in UTC, the same on the server render
// and in the browser (a local-time render would differ between the two and break hydration).

/** "2026-03-01 12:00 UTC"; null → the fallback ("never", "—"). */
export function formatUtc(iso: string | null, fallback = "—"): string {
  if (!iso) return fallback;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
