"use client";

import { useEffect, useState } from "react";
import { cureCountdown } from "@/lib/domain/loans/cure-countdown";
import { cn } from "@/lib/utils";
import { utcMinute } from "./format";

/**
 * The time left in the cure window, ticking every second. The first render uses the server's
 * clock (`asOf`), so the server's HTML and the browser's first render agree; then the browser's.
 */
export function CureCountdown({ cureDeadline, asOf }: { cureDeadline: string; asOf: string }) {
  const deadline = new Date(cureDeadline).getTime();
  const [nowMs, setNowMs] = useState(() => new Date(asOf).getTime());
  useEffect(() => {
    const tick = () => setNowMs(Date.now());
    tick();
    const timer = setInterval(tick, 1_000);
    return () => clearInterval(timer);
  }, []);
  const countdown = cureCountdown(deadline, nowMs);
  return (
    <span className="inline-flex flex-col">
      <span role="timer" aria-label={countdown.isOver ? "cure window ended" : `${countdown.text} left in the cure window`} className={cn("num font-semibold", countdown.isOver ? "text-destructive" : "text-foreground")}>
        {countdown.isOver ? countdown.text : `${countdown.text} left`}
      </span>
      <span className="text-xs text-muted-foreground">{countdown.isOver ? "ended" : "ends"} {utcMinute(cureDeadline)}</span>
    </span>
  );
}
