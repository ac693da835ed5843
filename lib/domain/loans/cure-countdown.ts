// The time left in a margin call's cure window, as the loan page's live countdown shows it.

export type CureCountdown = {
  /** The deadline has passed: the lender may act, and the page says "cure window ended". */
  isOver: boolean;
  /** Milliseconds left, never negative. */
  msLeft: number;
  /** "2 d 03 h 12 m 05 s", "03 h 12 m 05 s" under a day, "cure window ended" once over. */
  text: string;
};

const pad = (n: number) => String(n).padStart(2, "0");

/** Whole seconds left, counted down (a second that has started is not shown as still to come). */
export function cureCountdown(deadline: Date | number, now: Date | number): CureCountdown {
  const deadlineMs = typeof deadline === "number" ? deadline : deadline.getTime();
  const nowMs = typeof now === "number" ? now : now.getTime();
  if (!Number.isFinite(deadlineMs) || !Number.isFinite(nowMs)) throw new RangeError("cureCountdown needs valid instants.");
  const msLeft = Math.max(0, deadlineMs - nowMs);
  if (msLeft === 0) return { isOver: true, msLeft: 0, text: "cure window ended" };
  const seconds = Math.floor(msLeft / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const clock = `${pad(hours)} h ${pad(minutes)} m ${pad(seconds % 60)} s`;
  return { isOver: false, msLeft, text: days > 0 ? `${days} d ${clock}` : clock };
}
