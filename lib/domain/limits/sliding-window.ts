// A sliding-window counter: each bucket (an API key, a sign-in account, …) keeps one count per
// fixed window, and a request at `elapsedMs` into the current window sees
//
//     used = current + previous × (windowMs − elapsedMs) / windowMs
//
// i.e. the previous window's count weighted by how much of it still lies inside the last
// `windowMs`. Two integers per bucket, so every instance can share them through one row update
// (database) or one INCR (Redis), and a burst at a window's edge cannot double the limit the way
// plain fixed windows do.
//
// All comparisons are done in "units" (count × windowMs) so they stay in exact integer arithmetic,
// and the SQL statements and Lua scripts evaluate the same inequality with the numbers
// `admissionBounds` hands them.

export type WindowPosition = {
  windowMs: number;
  /** Start of the current fixed window, ms since the epoch (a multiple of windowMs). */
  windowStartMs: number;
  previousWindowStartMs: number;
  /** How far into the current window `nowMs` is: 0 … windowMs − 1. */
  elapsedMs: number;
};

export type WindowCounts = { currentCount: number; previousCount: number };

export function assertValidLimit(limit: number, what = "limit") {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`${what} must be a positive integer, got ${limit}`);
}

export function windowPosition(nowMs: number, windowMs: number): WindowPosition {
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new RangeError(`windowMs must be a positive integer, got ${windowMs}`);
  const windowStartMs = Math.floor(nowMs / windowMs) * windowMs;
  return { windowMs, windowStartMs, previousWindowStartMs: windowStartMs - windowMs, elapsedMs: nowMs - windowStartMs };
}

/**
 * The admission test as three integers, for SQL and Lua:
 * admit iff (current + 1) × windowMs + previous × previousWeight ≤ capacityUnits.
 */
export function admissionBounds(position: WindowPosition, limit: number) {
  assertValidLimit(limit);
  return { windowMs: position.windowMs, previousWeight: position.windowMs - position.elapsedMs, capacityUnits: limit * position.windowMs };
}

/** Whether one more request fits, given the counts before it. */
export function isAdmissible(counts: WindowCounts, position: WindowPosition, limit: number): boolean {
  const { windowMs, previousWeight, capacityUnits } = admissionBounds(position, limit);
  return (counts.currentCount + 1) * windowMs + counts.previousCount * previousWeight <= capacityUnits;
}

/**
 * Requests that would still be admitted now: limit − ⌈used⌉, never negative. At least 1 exactly
 * when `isAdmissible` says yes, so the header and the decision always agree.
 */
export function remainingRequests(counts: WindowCounts, position: WindowPosition, limit: number): number {
  const weightedPrevious = Math.ceil((counts.previousCount * (position.windowMs - position.elapsedMs)) / position.windowMs);
  return Math.max(0, limit - counts.currentCount - weightedPrevious);
}

/**
 * How long until one more request is admitted (0 if it is now). Either later in this window, as
 * the previous window's weight fades, or in the next one (this window's count then fades in turn),
 * or at the start of the one after (limit 1, this window already used).
 */
export function msUntilAdmissible(counts: WindowCounts, position: WindowPosition, limit: number): number {
  if (isAdmissible(counts, position, limit)) return 0;
  const { windowMs, elapsedMs } = position;
  const { currentCount, previousCount } = counts;
  if (currentCount + 1 <= limit && previousCount > 0) {
    // (c + 1) × W + p × (W − e′) ≤ L × W  ⇔  e′ ≥ W × (p + c + 1 − L) / p
    const elapsedNeededMs = Math.ceil((windowMs * (previousCount + currentCount + 1 - limit)) / previousCount);
    if (elapsedNeededMs < windowMs) return elapsedNeededMs - elapsedMs;
  }
  // Next window: current 0, previous c.  W + c × (W − e″) ≤ L × W  ⇔  e″ ≥ W × (c + 1 − L) / c
  const nextElapsedMs = currentCount === 0 ? 0 : Math.max(0, Math.ceil((windowMs * (currentCount + 1 - limit)) / currentCount));
  return windowMs - elapsedMs + Math.min(nextElapsedMs, windowMs);
}

/** How long until the bucket is back to its full limit (both windows' counts faded to nothing). */
export function msUntilReset(counts: WindowCounts, position: WindowPosition): number {
  if (counts.currentCount > 0) return 2 * position.windowMs - position.elapsedMs;
  if (counts.previousCount > 0) return position.windowMs - position.elapsedMs;
  return 0;
}

/**
 * A refusal decided by the database on the latest row, reported with a current count read from the
 * statement's snapshot (PostgreSQL), may see fewer requests than the row had. The refusal itself
 * proves at least this many; take the larger so retry-after is never too early.
 */
export function currentCountForRefusal(snapshotCurrentCount: number, previousCount: number, position: WindowPosition, limit: number): number {
  const { windowMs, previousWeight, capacityUnits } = admissionBounds(position, limit);
  // Refused ⇔ (c + 1) × W + p × w > L × W  ⇔  c ≥ ⌊(L × W − p × w) / W⌋
  const leastCurrentCount = Math.max(0, Math.floor((capacityUnits - previousCount * previousWeight) / windowMs));
  return Math.max(snapshotCurrentCount, leastCurrentCount);
}

export type WindowVerdict = {
  isAdmitted: boolean;
  limit: number;
  /** Counts after this request (admitted requests are counted, refused ones are not). */
  counts: WindowCounts;
  remaining: number;
  /** 0 when admitted. */
  retryAfterMs: number;
  resetMs: number;
};

/** The verdict on one request, given the counts before it (what the SQLite and Redis paths read). */
export function judgeRequest(before: WindowCounts, position: WindowPosition, limit: number): WindowVerdict {
  const isAdmitted = isAdmissible(before, position, limit);
  const counts = isAdmitted ? { ...before, currentCount: before.currentCount + 1 } : before;
  return describeWindow(isAdmitted, counts, position, limit);
}

/** The verdict's numbers for counts already updated (what the PostgreSQL statement returns). */
export function describeWindow(isAdmitted: boolean, counts: WindowCounts, position: WindowPosition, limit: number): WindowVerdict {
  return {
    isAdmitted,
    limit,
    counts,
    remaining: remainingRequests(counts, position, limit),
    retryAfterMs: isAdmitted ? 0 : msUntilAdmissible(counts, position, limit),
    resetMs: msUntilReset(counts, position),
  };
}

/** Where a bucket stands without counting anything: would one more request be admitted, and when. */
export function windowState(counts: WindowCounts, position: WindowPosition, limit: number): WindowVerdict {
  return describeWindow(isAdmissible(counts, position, limit), counts, position, limit);
}
