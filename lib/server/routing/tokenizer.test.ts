import fc from "fast-check";
import { countTokens as countO200kTokens } from "gpt-tokenizer/encoding/o200k_base";
import { O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { countTokens, GUARANTEED_EXACT_BYTES_PER_TURN, MAX_PIECE_CHARS } from "./tokenizer";

const libraryCalls = vi.hoisted(() => ({ longestPieceChars: 0, sawLoneSurrogate: false }));

// The library as it is, watched: the longest pre-tokenizer piece it is ever handed (BPE's time
// grows with the square of a piece's length), and whether a slice ever cut a character in half.
vi.mock("gpt-tokenizer/encoding/o200k_base", async (importOriginal) => {
  const library = await importOriginal<typeof import("gpt-tokenizer/encoding/o200k_base")>();
  const { O200K_TOKEN_SPLIT_REGEX } = await import("gpt-tokenizer/encodingParams/constants");
  return {
    ...library,
    countTokens: (text: string, options?: Parameters<typeof library.countTokens>[1]) => {
      for (const [piece] of text.matchAll(O200K_TOKEN_SPLIT_REGEX)) libraryCalls.longestPieceChars = Math.max(libraryCalls.longestPieceChars, piece.length);
      if (!text.isWellFormed()) libraryCalls.sawLoneSurrogate = true;
      return library.countTokens(text, options);
    },
  };
});

/** The counter's budget is per turn of the event loop; each test starts in a fresh one. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

beforeEach(async () => {
  await nextTurn();
  libraryCalls.longestPieceChars = 0;
  libraryCalls.sawLoneSurrogate = false;
});

/** Deterministic filler (mulberry32), so a failure reproduces. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomText(chars: number, pick: (random: () => number) => string, seed = 7): string {
  const random = randomSource(seed);
  const parts: string[] = [];
  for (let length = 0; length < chars; ) {
    const part = pick(random);
    parts.push(part);
    length += part.length;
  }
  return parts.join("");
}

const WORDS = "the of routing gateway tokens request model budget provider loan lender startup credits hold settle stream reply schema tool answer quickly".split(" ");
/** English-like prose: words, commas, sentences, paragraphs. */
const prose = (chars: number, seed = 3) =>
  randomText(chars, (random) => {
    const word = WORDS[Math.floor(random() * WORDS.length)];
    const roll = random();
    return roll < 0.05 ? `${word}.\n\n` : roll < 0.15 ? `${word}, ` : roll < 0.25 ? `${word}. ` : `${word} `;
  }, seed);

const byteLength = (text: string) => Buffer.byteLength(text, "utf8");

describe("countTokens on ordinary text: exactly o200k's count", () => {
  it.each<[string, string, number]>([
    ["an empty message", "", 0],
    ["a greeting", "Hello, world!", 4],
    ["a sentence", "The quick brown fox jumps over the lazy dog.", 10],
    ["a question with a number", "How many tokens are in 2,048 bytes of JSON?", 13],
  ])("%s", (_, text, expected) => {
    expect(countTokens(text)).toBe(expected);
    expect(countTokens(text)).toBe(countO200kTokens(text));
  });

  it.each<[string, string]>([
    ["code", "export function add(a: number, b: number): number {\n  return a + b; // sum\n}\n"],
    ["Chinese with punctuation", "路由网关在收费之前估算提示的令牌数量。每个请求都会先预留额度，然后按实际用量结算。"],
    ["Japanese", "東京の天気は晴れです。明日は雨が降るでしょう。"],
    ["emoji between words", "Ship it 🚀 then celebrate 🎉🎉 and rest 😴."],
    ["JSON of a tool definition", JSON.stringify([{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }])],
    ["a long German compound", "Die Donaudampfschifffahrtsgesellschaftskapitänsmütze liegt auf dem Tisch."],
    ["markdown with a URL", "# Title\n\nSee [the docs](https://example.com/docs/routing?tab=api#limits) — and `npm run bench`."],
  ])("%s", (_, text) => {
    expect(countTokens(text)).toBe(countO200kTokens(text));
  });

  it("20 KB of prose (within one turn's guaranteed bytes) counts exactly", () => {
    const text = prose(20_000);
    expect(byteLength(text)).toBeLessThan(GUARANTEED_EXACT_BYTES_PER_TURN);
    expect(countTokens(text)).toBe(countO200kTokens(text));
  });

  it("20 KB of markdown with long rules, URLs and indented code counts exactly", () => {
    const block = [
      prose(600, 21),
      "-".repeat(100),
      "[![npm](https://img.shields.io/npm/v/blockable-gateway-client.svg?style=flat-square&logo=npm)](https://www.npmjs.com/package/blockable-gateway-client)",
      `${" ".repeat(70)}return routeRequestToTheCheapestHealthyProviderWithinBudget(request);`,
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ].join("\n");
    const text = Array.from({ length: 20 }, () => block).join("\n\n").slice(0, 20_000);
    expect(countTokens(text)).toBe(countO200kTokens(text));
  });

  it("7,000 characters of Chinese (no spaces: split by the pre-tokenizer itself) count exactly", () => {
    const sentences = ["路由网关在收费之前估算提示的令牌数量。", "每个请求都会先预留额度，然后按实际用量结算！", "模型、供应商和价格都在目录里；", "如果上游失败，网关会尝试下一个供应商？"];
    const text = randomText(7_000, (random) => sentences[Math.floor(random() * sentences.length)]);
    expect(byteLength(text)).toBeLessThan(GUARANTEED_EXACT_BYTES_PER_TURN);
    expect(countTokens(text)).toBe(countO200kTokens(text));
  });

  it("any text whose pieces are all within the limit counts exactly, however it is cut up", { timeout: 60_000 }, async () => {
    const ordinary = fc.oneof(
      fc.constantFrom(" ", "  ", "\t", "\n", "\r\n", "\n\n", " \n", "\u00a0", "\u3000", "/", "//\n", "!", "...", "'s", "'ll", "—", "🚀", "é", "ß", "ǅ", "1", "2024"),
      fc.constantFrom(...WORDS).map((word) => ` ${word}`),
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.string({ unit: "grapheme", maxLength: 12 }),
    );
    // Rare, so most of a text's runs are cut at spaces and some go through the pre-tokenizer.
    const longRun = fc.oneof(fc.constantFrom("-".repeat(70), " ".repeat(80), "\n/".repeat(40)), fc.integer({ min: 60, max: 128 }).map((length) => "x".repeat(length)));
    const fragment = fc.oneof({ weight: 300, arbitrary: ordinary }, { weight: 1, arbitrary: longRun });
    await fc.assert(
      fc.asyncProperty(fc.array(fragment, { minLength: 1, maxLength: 1500, size: "max" }), async (fragments) => {
        await nextTurn();
        const text = fragments.join("");
        const longestPiece = Math.max(0, ...[...text.matchAll(O200K_TOKEN_SPLIT_REGEX)].map(([piece]) => piece.length));
        fc.pre(longestPiece <= MAX_PIECE_CHARS && byteLength(text) < GUARANTEED_EXACT_BYTES_PER_TURN);
        expect(countTokens(text)).toBe(countO200kTokens(text, { disallowedSpecial: new Set() }));
      }),
      { numRuns: 100, seed: 17 },
    );
  });

  it("counts special-token text as text instead of refusing it", () => {
    const text = "Please explain what <|endoftext|> and <|im_start|> mean.";
    expect(() => countO200kTokens(text)).toThrow(/Disallowed special token/);
    expect(countTokens(text)).toBe(countO200kTokens(text, { disallowedSpecial: new Set() }));
  });
});

describe("countTokens on long runs without spaces: sliced, so BPE stays linear", () => {
  it.each<[string, string]>([
    ["one letter repeated", "a".repeat(20_000)],
    ["random letters", randomText(20_000, (random) => String.fromCharCode(97 + Math.floor(random() * 26)))],
    ["CJK ideographs", randomText(6_000, (random) => String.fromCodePoint(0x4e00 + Math.floor(random() * 0x5000)))],
    ["emoji", randomText(10_000, (random) => String.fromCodePoint(0x1f300 + Math.floor(random() * 0x300)))],
    ["spaces", " ".repeat(20_000)],
    ["punctuation", "!".repeat(20_000)],
  ])("%s: never hands BPE a piece over the limit, and counts within 5% of whole-piece BPE", (_, text) => {
    const tokens = countTokens(text);
    expect(libraryCalls.longestPieceChars).toBeLessThanOrEqual(MAX_PIECE_CHARS);
    const exact = countO200kTokens(text);
    expect(tokens).toBeGreaterThanOrEqual(Math.floor(exact * 0.95));
    expect(tokens).toBeLessThanOrEqual(Math.max(Math.ceil(exact * 1.05), exact + Math.ceil(text.length / MAX_PIECE_CHARS)));
  });

  it("never cuts an emoji in half when slicing", () => {
    // One UTF-16 unit, then pairs: every slice boundary would otherwise fall inside an emoji.
    const text = `!${"😀".repeat(1000)}`;
    const tokens = countTokens(text);
    expect(libraryCalls.sawLoneSurrogate).toBe(false);
    expect(tokens).toBeLessThanOrEqual(Math.ceil(countO200kTokens(text) * 1.05));
  });

  it("counts a 2 MiB one-word message, and never more tokens than bytes", { timeout: 60_000 }, () => {
    const text = randomText(2 * 1024 * 1024, (random) => String.fromCharCode(97 + Math.floor(random() * 26)));
    const tokens = countTokens(text);
    expect(libraryCalls.longestPieceChars).toBeLessThanOrEqual(MAX_PIECE_CHARS);
    // Random letters run ~0.55 tokens a byte in o200k; the estimate must not fall far below.
    expect(tokens).toBeGreaterThan(byteLength(text) * 0.4);
    expect(tokens).toBeLessThanOrEqual(byteLength(text));
  });
});

describe("countTokens on large text: exact up to the turn's budget, then estimated high", () => {
  it("estimates 1 MB of prose high: at least its exact count, at most one token per three bytes", { timeout: 60_000 }, async () => {
    const text = prose(1_000_000, 11);
    const estimate = countTokens(text);
    await nextTurn();
    const exact = countO200kTokens(text);
    expect(estimate).toBeGreaterThanOrEqual(exact);
    expect(estimate).toBeLessThanOrEqual(Math.max(exact * 1.25, byteLength(text) / 3));
  });

  it("estimates denser text at its own density: rare ideographs in short words", { timeout: 60_000 }, async () => {
    // ~0.45 tokens a byte, above the one-in-three floor, so the measured density decides.
    const text = randomText(500_000, (random) => String.fromCodePoint(0x4e00 + Math.floor(random() * 0x5000)) + (random() < 0.5 ? " " : ""));
    const estimate = countTokens(text);
    await nextTurn();
    const exact = countO200kTokens(text);
    expect(estimate).toBeGreaterThanOrEqual(exact);
    expect(estimate).toBeLessThanOrEqual(exact * 1.3);
  });

  it.each<[string, (random: () => number) => string]>([
    ["random Unicode", (random) => String.fromCodePoint(0xa1 + Math.floor(random() * 0xd000))],
    ["digits and spaces", (random) => "0123456789 "[Math.floor(random() * 11)]],
    ["whitespace of every kind", (random) => " \t\n\r"[Math.floor(random() * 4)]],
    ["punctuation, newlines and slashes", (random) => "!/\n"[Math.floor(random() * 3)]],
  ])("%s, a million characters: a count between a quarter of its bytes and its bytes", { timeout: 60_000 }, (_, pick) => {
    const text = randomText(1024 * 1024, pick);
    const tokens = countTokens(text);
    expect(libraryCalls.longestPieceChars).toBeLessThanOrEqual(MAX_PIECE_CHARS);
    expect(tokens).toBeGreaterThanOrEqual(byteLength(text) / 4);
    expect(tokens).toBeLessThanOrEqual(byteLength(text));
  });

  it("shares one budget across a turn (one request), and the next turn counts exactly again", { timeout: 60_000 }, async () => {
    // 64 messages of 32 KB in one turn, as a 2 MiB request: more than a turn counts exactly, so
    // the later messages are estimated (high), not each counted exactly on its own budget.
    const messages = Array.from({ length: 64 }, (_, i) => prose(32 * 1024, 100 + i));
    const counted = messages.reduce((sum, message) => sum + countTokens(message), 0);
    await nextTurn();
    const exact = messages.reduce((sum, message) => sum + countO200kTokens(message), 0);
    expect(counted).toBeGreaterThan(exact);
    expect(counted).toBeLessThanOrEqual(Math.max(exact * 1.25, messages.reduce((sum, message) => sum + byteLength(message), 0) / 3));
    await nextTurn();
    const text = prose(20_000, 5);
    expect(countTokens(text)).toBe(countO200kTokens(text));
  });
});
