"use client";

import { useEffect, useState } from "react";
import { formatExactUtc, formatRelativeTime } from "./alert-labels";

/** The current time, ticking every `intervalMs` so "5 minutes ago" stays true while the page is open. */
export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "5 minutes ago", with the exact UTC time as its title (hover) and in `dateTime`. */
export function RelativeTime({ iso, now }: { iso: string; now: Date }) {
  const at = new Date(iso);
  return (
    // The server and the browser read the clock a moment apart: the words may differ at hydration.
    <time dateTime={iso} title={formatExactUtc(at)} suppressHydrationWarning>
      {formatRelativeTime(at, now)}
    </time>
  );
}
