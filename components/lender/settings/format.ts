// Display helpers for the Settings screens. Times are shown in UTC, the same on the server render
// and in the browser (a local-time render would differ between the two and break hydration).

/** "2026-03-01 12:00 UTC"; null → the fallback ("never", "—"). */
export function formatUtc(iso: string | null, fallback = "—"): string {
  if (!iso) return fallback;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A field error from a server action, without the `field: ` prefix the server puts in front. */
export function fieldMessage(message: string, field: string | null): string {
  if (!field) return message;
  const prefix = `${field}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

export const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
