// Calendar days as "YYYY-MM-DD" (UTC), the key of a GPU index fix.

export const DAY_MS = 86_400_000;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a "YYYY-MM-DD" UTC day; throws on anything else (2026-02-30 included). */
export function dayNumber(day: string): number {
  const match = typeof day === "string" ? DAY_PATTERN.exec(day) : null;
  if (match) {
    const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    if (new Date(ms).toISOString().slice(0, 10) === day) return ms / DAY_MS;
  }
  throw new RangeError(`${JSON.stringify(day)} is not a calendar day written YYYY-MM-DD.`);
}

/** "2026-02-28" is a day; "2026-02-30", "2026-99-99", "0000-00-00", "2026-2-3" and "yesterday" are not. */
export function isCalendarDay(day: string): boolean {
  try {
    dayNumber(day);
    return true;
  } catch {
    return false;
  }
}

/** The UTC calendar day of an instant, "YYYY-MM-DD". */
export function utcDay(at: Date | number): string {
  return new Date(typeof at === "number" ? at : at.getTime()).toISOString().slice(0, 10);
}
