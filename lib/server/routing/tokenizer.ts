import "@/lib/server/server-only";
import { countTokens as countO200kTokens } from "gpt-tokenizer/encoding/o200k_base";
import { O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";

/**
 * A real BPE tokenizer (OpenAI's o200k_base) for the input estimate behind every hold and for
 * counting output when an upstream reports no usage. For other model families it is an estimate;
 * settlement prefers the upstream's own usage whenever it sends one.
 *
 * Counting runs on the event loop, so what one request can make it cost is bounded:
 * - BPE merges a pre-tokenizer piece in time quadratic in its length (a 100 KB one-word message
 *   blocked the server ~8 s). A piece longer than {@link MAX_PIECE_CHARS} is counted in slices of
 *   that length: real words are far shorter, so only pathological runs are affected, and slicing
 *   can only stop merges across a cut (a token or so more per slice).
 * - Even linear, exact counting costs 0.2–1 µs per UTF-8 byte (1 MB of prose ~150 ms, random
 *   Unicode more). All counting in one turn of the event loop (one request's messages and tools are
 *   counted in one turn) shares a budget: the first {@link GUARANTEED_EXACT_BYTES_PER_TURN} bytes are
 *   always counted exactly, then counting stays exact while the turn has spent less than
 *   {@link EXACT_COUNTING_MS_PER_TURN}; the rest is estimated from its UTF-8 size, high (below).
 */
export function countTokens(text: string): number {
  if (!text) return 0;
  const turn = currentTurn();
  const startedMs = performance.now();
  const countExactly = (segment: string) => {
    const tokens = countO200kTokens(segment, SPECIAL_TOKENS_AS_TEXT);
    const bytes = Buffer.byteLength(segment, "utf8");
    turn.guaranteedBytesLeft -= bytes;
    turn.sampleTokens += tokens;
    turn.sampleBytes += bytes;
    return tokens;
  };
  // The common case, a message of a few KB: one call, as the library alone would count it.
  if (text.length * MAX_UTF8_BYTES_PER_CHAR <= turn.guaranteedBytesLeft && !mayHoldALongPiece(text, 0, text.length)) {
    const tokens = countExactly(text);
    turn.countingMs += performance.now() - startedMs;
    return tokens;
  }
  const isSpent = () => turn.guaranteedBytesLeft <= 0 && turn.countingMs + (performance.now() - startedMs) >= EXACT_COUNTING_MS_PER_TURN;
  let tokens = 0;
  let countedUpTo = 0;
  for (const [start, end] of isSpent() ? [] : segmentsOf(text)) {
    if (isSpent()) break;
    tokens += countExactly(text.slice(start, end));
    countedUpTo = end;
  }
  if (countedUpTo < text.length) {
    const restBytes = Buffer.byteLength(text.slice(countedUpTo), "utf8");
    tokens += Math.ceil(restBytes * estimatedTokensPerByte(turn.sampleTokens, turn.sampleBytes));
  }
  turn.countingMs += performance.now() - startedMs;
  return tokens;
}

/** Longest piece BPE sees whole; a piece is one word with its leading space or punctuation. */
export const MAX_PIECE_CHARS = 128;
/** Always counted exactly in a turn: ~15–25 ms of the slowest content measured on 2 cores. */
export const GUARANTEED_EXACT_BYTES_PER_TURN = 24 * 1024;
/** Beyond the guaranteed bytes, counting stays exact until the turn has spent this long on it. */
export const EXACT_COUNTING_MS_PER_TURN = 20;

/** A UTF-16 code unit is at most three bytes of UTF-8 (a surrogate pair, two units, is four). */
const MAX_UTF8_BYTES_PER_CHAR = 3;

/** Pieces are handed to the library in runs of about this many characters (one call each). */
const SEGMENT_CHARS = 1024;
/** User text is text: `<|endoftext|>` in a message is counted as characters, never refused. */
const SPECIAL_TOKENS_AS_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * The estimate errs high, since it sizes the hold: o200k reads prose at ~0.26 tokens per UTF-8
 * byte and code ~0.3, so the rest is taken at one token per three bytes, or, for denser text, at
 * 1.25 times the density of what this turn counted exactly (at least 24 KiB by then; a document's
 * later parts may be denser than its start), never above one token per byte (every token is at
 * least one byte).
 */
const FLOOR_TOKENS_PER_BYTE = 1 / 3;
const DENSITY_MARGIN = 1.25;
const MAX_TOKENS_PER_BYTE = 1;

function estimatedTokensPerByte(sampleTokens: number, sampleBytes: number): number {
  const measured = sampleBytes > 0 ? (sampleTokens / sampleBytes) * DENSITY_MARGIN : 0;
  return Math.min(MAX_TOKENS_PER_BYTE, Math.max(FLOOR_TOKENS_PER_BYTE, measured));
}

/**
 * The text as [start, end) runs to count one by one, each ending where a pre-tokenizer piece
 * ends, so that counting them apart adds up to counting the text whole. Runs are cut about every
 * SEGMENT_CHARS before a space or tab that follows a non-space character: no o200k piece holds
 * such a pair (a letter or punctuation piece takes a space only in front, a whitespace piece is
 * all whitespace, and the pattern looks behind nothing), so that is always a piece boundary. A run
 * that may hold a piece over MAX_PIECE_CHARS, or a stretch with no such boundary (one long word,
 * Chinese without spaces), is split by the pre-tokenizer itself and its long pieces in slices.
 * Lazy, so a text cut short by the budget is not split further.
 */
function* segmentsOf(text: string): Generator<[number, number]> {
  for (let start = 0; start < text.length; ) {
    const target = start + SEGMENT_CHARS;
    const end = target >= text.length ? text.length : spaceAfterWord(text, target, target + SEGMENT_CHARS);
    if (end !== null && !mayHoldALongPiece(text, start, end)) {
      yield [start, end];
      start = end;
      continue;
    }
    // Piece by piece, to `end`, or with no boundary in reach, to the first piece end past target.
    const pieces = new RegExp(O200K_TOKEN_SPLIT_REGEX.source, "gu");
    pieces.lastIndex = start;
    let segmentStart = start;
    let stop = end ?? text.length;
    for (let match = pieces.exec(text); match; match = pieces.exec(text)) {
      const pieceStart = match.index;
      const pieceEnd = pieceStart + match[0].length;
      if (pieceEnd - pieceStart > MAX_PIECE_CHARS) {
        if (pieceStart > segmentStart) yield [segmentStart, pieceStart];
        for (let sliceStart = pieceStart; sliceStart < pieceEnd; ) {
          const sliceEnd = sliceStart + MAX_PIECE_CHARS >= pieceEnd ? pieceEnd : keepSurrogatePair(text, sliceStart + MAX_PIECE_CHARS);
          yield [sliceStart, sliceEnd];
          sliceStart = sliceEnd;
        }
        segmentStart = pieceEnd;
      } else if (pieceEnd - segmentStart >= SEGMENT_CHARS) {
        yield [segmentStart, pieceEnd];
        segmentStart = pieceEnd;
      }
      if (end === null ? pieceEnd >= target : pieceEnd >= end) {
        stop = pieceEnd;
        break;
      }
    }
    if (segmentStart < stop) yield [segmentStart, stop];
    start = stop;
  }
}

/** JavaScript's `\s` (the pattern's whitespace), without a regular expression per character. */
function isSpace(char: number): boolean {
  if (char < 0x80) return char === 0x20 || (char >= 0x09 && char <= 0x0d);
  return char === 0xa0 || char === 0x1680 || (char >= 0x2000 && char <= 0x200a) || char === 0x2028 || char === 0x2029 || char === 0x202f || char === 0x205f || char === 0x3000 || char === 0xfeff;
}

/** The first index in [from, limit) holding a space or tab right after a non-space, or null. */
function spaceAfterWord(text: string, from: number, limit: number): number | null {
  for (let i = from; i < Math.min(limit, text.length); i++) {
    const char = text.charCodeAt(i);
    if ((char === 0x20 || char === 0x09) && !isSpace(text.charCodeAt(i - 1))) return i;
  }
  return null;
}

/** Runs this long can make a piece over MAX_PIECE_CHARS; shorter ones cannot (below). */
const LONG_RUN_CHARS = 60;

/**
 * Whether text[start, end) may hold a piece longer than MAX_PIECE_CHARS. An o200k piece is a run
 * of letters and marks with one character in front and a contraction (`'ll`) behind, a run of
 * punctuation with a space in front and a run of newlines and slashes behind, a run of whitespace,
 * or up to three digits. With every such run under 60 characters, no piece is over 1 + 59 + 59.
 * One pass, a few operations a character, far less than the count itself. A character outside
 * ASCII counts as both a letter and punctuation (telling them apart needs Unicode's tables), which
 * can only answer yes more often.
 */
function mayHoldALongPiece(text: string, start: number, end: number): boolean {
  let letterRun = 0;
  let punctuationRun = 0;
  let spaceRun = 0;
  let newlineOrSlashRun = 0;
  for (let i = start; i < end; i++) {
    const char = text.charCodeAt(i);
    const kind = char < 0x80 ? ASCII_KINDS[char] : isSpace(char) ? SPACE : LETTER | PUNCTUATION;
    letterRun = kind & LETTER ? letterRun + 1 : 0;
    punctuationRun = kind & PUNCTUATION ? punctuationRun + 1 : 0;
    spaceRun = kind & SPACE ? spaceRun + 1 : 0;
    newlineOrSlashRun = kind & NEWLINE_OR_SLASH ? newlineOrSlashRun + 1 : 0;
    if (letterRun >= LONG_RUN_CHARS || punctuationRun >= LONG_RUN_CHARS || spaceRun >= LONG_RUN_CHARS || newlineOrSlashRun >= LONG_RUN_CHARS) return true;
  }
  return false;
}

const LETTER = 1;
const PUNCTUATION = 2;
const SPACE = 4;
const NEWLINE_OR_SLASH = 8;

/** What each ASCII character is to the pattern (digits are none of these: they break every run). */
const ASCII_KINDS = Uint8Array.from({ length: 0x80 }, (_, char) => {
  const isLetter = (char >= 0x61 && char <= 0x7a) || (char >= 0x41 && char <= 0x5a);
  const isDigit = char >= 0x30 && char <= 0x39;
  const kind = isSpace(char) ? SPACE : isLetter ? LETTER : isDigit ? 0 : PUNCTUATION;
  return kind | (char === 0x0a || char === 0x0d || char === 0x2f ? NEWLINE_OR_SLASH : 0);
});

/** `cut`, moved back one if it would split a surrogate pair, so an emoji is never cut in half. */
function keepSurrogatePair(text: string, cut: number): number {
  const before = text.charCodeAt(cut - 1);
  return before >= 0xd800 && before <= 0xdbff ? cut - 1 : cut;
}

type Turn = { guaranteedBytesLeft: number; countingMs: number; sampleTokens: number; sampleBytes: number };

let turn: Turn | null = null;

/**
 * This turn's budget. A new one starts once the event loop has moved on (the check phase after this
 * turn's I/O callbacks): everything counted before that blocked the loop together.
 */
function currentTurn(): Turn {
  if (turn) return turn;
  const fresh: Turn = { guaranteedBytesLeft: GUARANTEED_EXACT_BYTES_PER_TURN, countingMs: 0, sampleTokens: 0, sampleBytes: 0 };
  turn = fresh;
  setImmediate(() => {
    if (turn === fresh) turn = null;
  }).unref();
  return fresh;
}
