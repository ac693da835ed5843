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
  const isSpent = () => turn.guaranteedBytesLeft <= 0 && turn.countingMs + (performance.now() - startedMs) >= EXACT_COUNTING_MS_PER_TURN;
  let tokens = 0;
  let countedUpTo = 0;
  for (const [start, end] of isSpent() ? [] : segmentsOf(text)) {
    if (isSpent()) break;
    const segment = text.slice(start, end);
    const segmentTokens = countO200kTokens(segment, SPECIAL_TOKENS_AS_TEXT);
    const segmentBytes = Buffer.byteLength(segment, "utf8");
    tokens += segmentTokens;
    turn.guaranteedBytesLeft -= segmentBytes;
    turn.sampleTokens += segmentTokens;
    turn.sampleBytes += segmentBytes;
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
 * The text as [start, end) runs to count one by one: whole pre-tokenizer pieces grouped up to
 * SEGMENT_CHARS, and each piece longer than MAX_PIECE_CHARS in slices. The library splits a run of
 * whole pieces into the same pieces again (the pattern has no look-behind, and its one look-ahead
 * cannot tell a piece's end from the text's), so text without long pieces counts exactly as the
 * library alone would count it. Lazy, so a text cut short by the budget is not split further.
 */
function* segmentsOf(text: string): Generator<[number, number]> {
  if (text.length <= MAX_PIECE_CHARS) {
    yield [0, text.length];
    return;
  }
  let segmentStart = 0;
  for (const match of text.matchAll(O200K_TOKEN_SPLIT_REGEX)) {
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
  }
  if (segmentStart < text.length) yield [segmentStart, text.length];
}

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
