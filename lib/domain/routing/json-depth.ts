// How deeply a request body nests. Everything downstream of the body reader walks it recursively
// (zod, JSON.stringify for the token count, the simulator's schema sampler, structuredClone): a
// deep enough body overflows the stack there (JSON.stringify throws RangeError at ~10,000 levels),
// which would be a 500 or a provider failure. V8's JSON.parse itself is iterative: it accepts a
// 1,000,000-deep array (2 MB) without error, but spends ~160–230 ms on it on 2 cores, so the
// raw text can be checked first with findTooDeepInJsonText, at a few ms for 2 MB.

/** Longest path spelled out in full; a longer one shows its first segments and "…". */
const PATH_SEGMENTS_SHOWN = 6;

/**
 * A value's path as the routing API names parameters (`tools.0.function.parameters`), the first
 * six segments and "…" when longer, so a 100,000-level path stays a readable line.
 */
export function formatJsonPath(segments: readonly (string | number)[]): string {
  const shown = segments.slice(0, PATH_SEGMENTS_SHOWN).map(String).join(".");
  return segments.length > PATH_SEGMENTS_SHOWN ? `${shown}…` : shown;
}

type Frame = { value: unknown; depth: number; parent: Frame | null; key: string | number | null };

/**
 * The path of the first object or array nested deeper than `maxDepth`, or
 * null. Depth counts the objects and arrays around a value and the value itself: `{}` and `[1]`
 * are 1 deep, `{"a":[{}]}` 3; strings and numbers add nothing. The top-level value too deep (only
 * with maxDepth 0) has the empty path "". Iterative: a 100,000-deep array does not touch the
 * call stack, and the walk never goes below maxDepth + 1, so it ends even on a cyclic value.
 */
export function findTooDeep(value: unknown, maxDepth: number): string | null {
  const stack: Frame[] = [{ value, depth: 1, parent: null, key: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.value === null || typeof frame.value !== "object") continue;
    if (frame.depth > maxDepth) return formatJsonPath(pathOf(frame));
    const entries: [string | number, unknown][] = Array.isArray(frame.value) ? frame.value.map((child, index) => [index, child]) : Object.entries(frame.value);
    // Reversed onto the stack, so the first child is looked at first: "first" is in the order
    // JavaScript lists the keys (the text's order, but for integer-like keys, which come first).
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      if (child !== null && typeof child === "object") stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
    }
  }
  return null;
}

function pathOf(frame: Frame): (string | number)[] {
  const segments: (string | number)[] = [];
  for (let at: Frame | null = frame; at?.parent; at = at.parent) segments.push(at.key!);
  return segments.reverse();
}

type TextFrame = { isArray: boolean; index: number; key: string | null; isAwaitingKey: boolean };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * findTooDeep on JSON text, before it is parsed: one pass over the characters that tracks the
 * open objects and arrays (and each one's current key or index), and stops at the first one
 * deeper than `maxDepth`, naming it by the same path. Text that is not valid JSON may answer null
 * or a path; either way JSON.parse then refuses it, so a caller may answer 400 for both.
 */
export function findTooDeepInJsonText(text: string, maxDepth: number): string | null {
  const open: TextFrame[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === QUOTE) {
      const end = endOfString(text, i);
      if (end < 0) return null;
      const top = open.at(-1);
      if (top?.isAwaitingKey) {
        top.key = text.slice(i, end + 1);
        top.isAwaitingKey = false;
      }
      i = end;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      if (open.length + 1 > maxDepth) return formatJsonPath(open.map(segmentOf));
      const isArray = char === OPEN_BRACKET;
      open.push({ isArray, index: 0, key: null, isAwaitingKey: !isArray });
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      open.pop();
    } else if (char === COMMA) {
      const top = open.at(-1);
      if (top?.isArray) top.index++;
      else if (top) top.isAwaitingKey = true;
    } else if (char === COLON) {
      const top = open.at(-1);
      if (top) top.isAwaitingKey = false;
    }
  }
  return null;
}

/** Index of the quote closing the string that opens at `start`, or -1 if it never closes. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === BACKSLASH) i++;
    else if (char === QUOTE) return i;
  }
  return -1;
}

function segmentOf(frame: TextFrame): string | number {
  if (frame.isArray) return frame.index;
  if (frame.key === null) return "";
  try {
    return String(JSON.parse(frame.key));
  } catch {
    return frame.key.slice(1, -1);
  }
}
