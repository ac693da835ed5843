import "@/lib/server/server-only";
import { sampleJsonSchema, type SampleHint } from "@/lib/domain/routing/json-schema-sample";
import type { ChatCompletionRequest, ChatMessage, Usage } from "../types";

/**
 * What the simulator answers, decided up front from the request alone (pure, so it is tested as a
 * table). It behaves like a model a developer can build against:
 * - a text reply has a natural length (24–80 tokens, from the prompt and seed) and is cut, with
 *   `finish_reason: "length"`, only when max_tokens is smaller than that;
 * - `json_object` and `json_schema` replies are complete, valid JSON (cut only when the limit is
 *   smaller than the JSON itself, as OpenAI does) that reflects the prompt;
 * - a tool is called when the prompt asks for what it does (or tool_choice says so), with
 *   arguments valid against its parameters; once the tool's result is in, the reply is text that
 *   uses it, so agent loops end after one round;
 * - the same request and seed give the same reply, tool-call ids included.
 * Usage is the tokenizer's count of what was produced; streams send one chunk per piece, pieces
 * being split the way BPE pre-tokenizers split text.
 */

export type CountTokens = (text: string) => number;

export type SimulatedReply =
  | { kind: "text"; pieces: string[]; finishReason: "stop" | "length"; usage: Usage }
  | { kind: "tool_call"; toolCall: { id: string; name: string; arguments: string }; finishReason: "tool_calls" | "length"; usage: Usage };

/** OpenAI's accounting for chat framing: a few tokens per message plus the reply's priming. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;
const MIN_NATURAL_TOKENS = 24;
const MAX_NATURAL_TOKENS = 80;
/** How much of a prompt or tool result the heuristics read: they look for names, not meaning. */
const MAX_SCANNED_CHARS = 4_000;
const MAX_TOOL_RESULT_JSON_CHARS = 16_384;

// Each word is one token, capitalised or not, with or without its leading space, in OpenAI's
// o200k_base, and so is ".": a cut at max_tokens then keeps exactly max_tokens.
const WORDS = (
  "the a of to and in that for it with as on this by from at can will be is are was model " +
  "credit compute token request route provider answer simple quick clear result value " +
  "system data plan cost budget stream reply message useful small large fast good " +
  "works runs returns checks counts moves makes shows today here now again always often together"
).split(" ");
const PLACES = ["Paris", "Lisbon", "Nairobi", "Osaka", "Toronto", "Lima", "Oslo", "Cairo"];
const PEOPLE = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra", "Barbara Liskov"];
const COUNTRIES = ["France", "Portugal", "Kenya", "Japan", "Canada", "Peru", "Norway", "Egypt"];
const COLOURS = ["blue", "green", "amber", "teal", "violet"];
const CONDITIONS = ["sunny", "cloudy", "rain", "windy"];
/** Capitalised words after "in", "for"… that are not places. */
const NOT_PLACES = new Set(["JSON", "English", "French", "Markdown", "YAML", "XML", "CSV", "Celsius", "Fahrenheit", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "The", "A", "An", "I"]);
/** Words that say nothing about which tool is wanted. */
const STOPWORDS = new Set(
  ("the and for with from this that what which when where how who are was were can could would should will does did " +
    "about please tell give show get set fetch retrieve return returns current given use using used tool function call " +
    "value data info information result results input output specified provided some any all one two your you their " +
    "there then than into onto over also just like need want know make have has had its it's let me my our")
    .split(" "),
);

// ───────────────────────────── Small pure helpers ─────────────────────────────

/** FNV-1a: tiny, stable across processes and versions, which is all determinism needs here. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a seeded PRNG, uniform in [0, 1). */
export function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

function between(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

export function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (part && typeof part.text === "string" ? part.text : "")).join("");
}

/** Chat-framed input count, close to what OpenAI bills for the same messages. */
export function countInputTokens(request: ChatCompletionRequest, countTokens: CountTokens): number {
  let total = TOKENS_PER_REPLY;
  for (const message of request.messages) {
    total += TOKENS_PER_MESSAGE + countTokens(message.role) + countTokens(textOf(message.content));
    if (message.name) total += countTokens(message.name);
    if (message.tool_calls?.length) total += countTokens(JSON.stringify(message.tool_calls));
  }
  if (request.tools?.length) total += countTokens(JSON.stringify(request.tools));
  return total;
}

/**
 * Output pieces, split the way o200k/cl100k pre-tokenize: a word with its leading space, up to
 * three digits, a run of punctuation, whitespace. Joined, they give the text back exactly.
 */
export function piecesOf(text: string): string[] {
  return text.match(/[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu) ?? [];
}

function capitalise(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

/**
 * Sentences of 5–12 vocabulary words, as output pieces: `tokens` of them in all (words and full
 * stops), ending with a full stop.
 */
function sentencePieces(tokens: number, random: () => number): string[] {
  const pieces: string[] = [];
  let left = Math.max(2, tokens);
  while (left > 0) {
    let words = Math.min(between(random, 5, 12), left - 1);
    // Too little left for another sentence: this one takes it.
    if (left - (words + 1) < 4) words = left - 1;
    for (let i = 0; i < words; i++) {
      const word = pick(WORDS, random);
      pieces.push(i === 0 ? `${pieces.length === 0 ? "" : " "}${capitalise(word)}` : ` ${word}`);
    }
    pieces.push(".");
    left -= words + 1;
  }
  return pieces;
}

function sentences(tokens: number, random: () => number): string {
  return sentencePieces(tokens, random).join("");
}

function clip(text: string, maxChars: number): string {
  const collapsed = text.replace(/\s+/g, " ").trim();
  return collapsed.length <= maxChars ? collapsed : `${collapsed.slice(0, maxChars - 1).trimEnd()}…`;
}

// ───────────────────────────── Reading the conversation ─────────────────────────────

type ToolResult = { name: string; content: string };

type Conversation = {
  lastUserText: string;
  /** System, developer and last user text, clipped: where format instructions usually are. */
  instructions: () => string;
  /** The results answering the last assistant tool calls, when no user message came after them. */
  toolResults: ToolResult[];
};

function readConversation(messages: ChatMessage[]): Conversation {
  let lastUser = -1;
  let lastToolCalls = -1;
  for (let i = messages.length - 1; i >= 0 && (lastUser === -1 || lastToolCalls === -1); i--) {
    const message = messages[i];
    if (message.role === "user" && lastUser === -1) lastUser = i;
    if (message.role === "assistant" && Array.isArray(message.tool_calls) && message.tool_calls.length > 0 && lastToolCalls === -1) lastToolCalls = i;
  }
  const lastUserText = lastUser === -1 ? "" : textOf(messages[lastUser].content);

  const toolResults: ToolResult[] = [];
  if (lastToolCalls > lastUser) {
    const names = new Map<string, string>();
    for (const call of messages[lastToolCalls].tool_calls as Array<{ id?: unknown; function?: { name?: unknown } } | null>) {
      if (call && typeof call.id === "string" && typeof call.function?.name === "string") names.set(call.id, call.function.name);
    }
    for (const message of messages.slice(lastToolCalls + 1)) {
      if (message.role !== "tool") continue;
      const name = (message.tool_call_id && names.get(message.tool_call_id)) || message.name || [...names.values()][0] || "the tool";
      toolResults.push({ name, content: textOf(message.content) });
    }
  }

  const instructions = () =>
    messages
      .filter((message, index) => message.role === "system" || message.role === "developer" || index === lastUser)
      .map((message) => textOf(message.content).slice(0, MAX_SCANNED_CHARS))
      .join("\n");
  return { lastUserText, instructions, toolResults };
}

/** A place the prompt names: a known city, else a capitalised name after "in", "at", "for"… */
function placeIn(text: string): string | null {
  const scanned = text.slice(0, MAX_SCANNED_CHARS);
  const known = PLACES.find((place) => scanned.includes(place));
  if (known) return known;
  for (const match of scanned.matchAll(/\b(?:in|at|for|from|to|near|of)\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2})/gu)) {
    if (!NOT_PLACES.has(match[1].split(/\s+/)[0])) return match[1];
  }
  return null;
}

function contentWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.slice(0, MAX_SCANNED_CHARS).toLowerCase().matchAll(/[a-z][a-z0-9]+/g)) {
    const word = match[0];
    if (word.length < 3 || STOPWORDS.has(word)) continue;
    // Plural and singular meet: "cities" ~ "city" is lost, "forecasts" ~ "forecast" is kept.
    words.push(word.length > 4 && word.endsWith("s") ? word.slice(0, -1) : word);
  }
  return words;
}

// ───────────────────────────── Values for names ─────────────────────────────

type Context = { random: () => number; place: string | null; question: string; topic: string; facts: Map<string, unknown> };

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** A key as lower-case words: "cityName" and "city_name" → "city name". */
function keyWords(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

/** A plausible string for a property or key by its name, or undefined for "anything will do". */
function stringForKey(key: string, context: Context): string | undefined {
  const words = keyWords(key);
  const { random } = context;
  if (!words) return undefined;
  if (/\b(city|location|place|town|destination|where|region)\b/.test(words)) return context.place ?? pick(PLACES, random);
  if (/\b(country|nation)\b/.test(words)) return pick(COUNTRIES, random);
  if (/\bemail\b/.test(words)) return "ada@example.com";
  if (/\b(url|link|website|href|uri)\b/.test(words)) return "https://example.com/docs";
  if (/\b(file|path|filename)\b/.test(words)) return "report.pdf";
  if (/\bphone\b/.test(words)) return "+1 555 0100";
  if (/\bcolou?r\b/.test(words)) return pick(COLOURS, random);
  if (/\bcurrency\b/.test(words)) return "USD";
  if (/\b(language|lang|locale)\b/.test(words)) return "English";
  if (/\bunits?\b/.test(words)) return "celsius";
  if (/\b(conditions?|weather|forecast|sky)\b/.test(words)) return pick(CONDITIONS, random);
  if (/\b(status|state)\b/.test(words)) return "active";
  if (/\b(date|day|birthday|deadline)\b/.test(words)) return `2025-0${between(random, 1, 9)}-1${between(random, 0, 9)}`;
  if (/\b(id|uuid|key)$/.test(words)) return `id_${Math.floor(random() * 0xffffff).toString(16).padStart(6, "0")}`;
  if (/\b(name|author|person|username|user|owner|customer|contact|speaker)\b/.test(words)) return pick(PEOPLE, random);
  if (/\b(query|search|question|prompt|input|q)\b/.test(words)) return context.question;
  if (/\b(title|topic|subject|headline|heading|category|label|tag)\b/.test(words)) return context.topic;
  if (/\b(summary|description|answer|reply|response|text|content|message|explanation|reason|body|comment|note|details?|output)\b/.test(words)) return sentences(between(random, 8, 14), random);
  return undefined;
}

/** A plausible number for a property by its name, or undefined. */
function numberForKey(key: string, random: () => number): number | undefined {
  const words = keyWords(key);
  if (/\b(temp|temperature)/.test(words)) return between(random, 5, 30);
  if (/\bage\b/.test(words)) return between(random, 18, 80);
  if (/\byears?\b/.test(words)) return between(random, 2019, 2026);
  if (/\b(price|cost|amount|total|salary|balance|usd)\b/.test(words)) return between(random, 5, 500) + 0.99;
  if (/\b(rating|score|stars|rank|priority|level)\b/.test(words)) return between(random, 1, 5);
  if (/\b(percent|percentage|pct|ratio|probability|confidence)\b/.test(words)) return between(random, 10, 95);
  if (/\b(count|quantity|number|num|n|size|length|items|limit)\b/.test(words)) return between(random, 1, 12);
  if (/\b(lat|latitude)\b/.test(words)) return 48.86;
  if (/\b(lon|lng|longitude)\b/.test(words)) return 2.35;
  return undefined;
}

function hintFor(context: Context): SampleHint {
  return (key, type) => {
    const fact = context.facts.get(normaliseKey(key));
    if (type === "string") {
      if (typeof fact === "string") return fact;
      return stringForKey(key, context);
    }
    if (typeof fact === "number") return fact;
    const value = numberForKey(key, context.random);
    return value === undefined ? undefined : type === "integer" ? Math.round(value) : value;
  };
}

// ───────────────────────────── Replies ─────────────────────────────

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** Keys the prompt names: quoted identifiers, or "keys/fields name, age and city". */
function keysIn(text: string): string[] {
  const keys: string[] = [];
  const add = (key: string) => {
    if (keys.length < 12 && !keys.includes(key) && !/^json$/i.test(key)) keys.push(key);
  };
  for (const match of text.matchAll(/["'`]([A-Za-z_][A-Za-z0-9_]{0,39})["'`]/g)) add(match[1]);
  if (keys.length > 0) return keys;
  const listed = /\b(?:keys?|fields?|properties|attributes|columns)\b\s*(?::|named|called)?\s*([A-Za-z_]\w*(?:\s*(?:,|\band\b|\bor\b|&)\s*[A-Za-z_]\w*){0,11})/i.exec(text);
  if (listed) for (const key of listed[1].split(/\s*(?:,|\band\b|\bor\b|&)\s*/i)) if (key && !/^(and|or)$/i.test(key)) add(key);
  return keys;
}

/** "List three fruits", "5 ideas", "an array of colours": the plural noun and how many. */
function listIn(text: string): { key: string; count: number } | null {
  const counted = /\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s+)?([a-z]{3,}s)\b/i.exec(text);
  if (counted) {
    const count = NUMBER_WORDS[counted[1].toLowerCase()] ?? Number(counted[1]);
    return { key: counted[2].toLowerCase(), count: Math.max(1, Math.min(count, 20)) };
  }
  const named = /\b(?:list|array)\s+(?:of\s+)?(?:the\s+|some\s+)?([a-z]{3,}s)\b/i.exec(text);
  if (named) return { key: named[1].toLowerCase(), count: 3 };
  if (/\b(?:list|array)\b/i.test(text)) return { key: "items", count: 3 };
  return null;
}

function valueForKey(key: string, context: Context): unknown {
  const fact = context.facts.get(normaliseKey(key));
  if (fact !== undefined) return fact;
  const number = numberForKey(key, context.random);
  if (number !== undefined) return number;
  if (/^(is|has|can|should|was)[A-Z_]|enabled$|active$|valid$|^ok$/i.test(key)) return context.random() < 0.5;
  if (/(items|list|tags|steps|ideas|names|options|examples|results|keywords)$/i.test(key)) return itemsFor(key, between(context.random, 2, 3), context);
  return stringForKey(key, context) ?? `${pick(WORDS, context.random)} ${pick(WORDS, context.random)}`;
}

function itemsFor(key: string, count: number, context: Context): string[] {
  const singular = key.endsWith("ies") ? `${key.slice(0, -3)}y` : key.endsWith("s") ? key.slice(0, -1) : key;
  if (/city|place|location|destination|town/.test(singular)) {
    const offset = Math.floor(context.random() * PLACES.length);
    return Array.from({ length: count }, (_, index) => PLACES[(offset + index) % PLACES.length]);
  }
  return Array.from({ length: count }, (_, index) => `${singular} ${index + 1}`);
}

/** json_object: an object that reflects the prompt (the keys it names, the list it asks for, else its topic). */
function jsonObjectFor(conversation: Conversation, context: Context): Record<string, unknown> {
  const keys = keysIn(conversation.instructions());
  if (keys.length > 0) return Object.fromEntries(keys.map((key) => [key, valueForKey(key, context)]));
  const list = listIn(conversation.lastUserText.slice(0, MAX_SCANNED_CHARS));
  if (list) return { [list.key]: itemsFor(list.key, list.count, context) };
  const object: Record<string, unknown> = {};
  if (context.topic) object.topic = context.topic;
  if (context.place) object.location = context.place;
  object.answer = sentences(between(context.random, 10, 18), context.random);
  return object;
}

function describeValue(value: unknown): string {
  if (value === null) return "none";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.slice(0, 5).map(describeValue).join(", ");
  if (typeof value === "object") return clip(JSON.stringify(value), 80);
  return clip(String(value), 80);
}

/** Up to `limit` leaf fields of a tool's JSON result, one level of nesting flattened ("wind.speed"). */
function factsOf(value: Record<string, unknown>, limit: number): Array<[string, unknown]> {
  const facts: Array<[string, unknown]> = [];
  for (const [key, field] of Object.entries(value)) {
    if (facts.length >= limit) break;
    if (field && typeof field === "object" && !Array.isArray(field)) {
      for (const [inner, innerField] of Object.entries(field)) if (facts.length < limit) facts.push([`${key}.${inner}`, innerField]);
    } else facts.push([key, field]);
  }
  return facts;
}

function parsedToolResult(content: string): unknown {
  if (content.length > MAX_TOOL_RESULT_JSON_CHARS || !/^\s*[[{"\d-]/.test(content)) return undefined;
  try {
    return JSON.parse(content);
  } catch {
    return undefined;
  }
}

function joinPhrases(phrases: string[]): string {
  return phrases.length <= 1 ? (phrases[0] ?? "") : `${phrases.slice(0, -1).join(", ")} and ${phrases.at(-1)}`;
}

/** A text answer that quotes what the tools returned: "According to get_weather, temperatureC is 21 and conditions is sunny." */
function answerFromToolResults(results: ToolResult[], context: Context): string {
  const answers = results.slice(0, 8).map(({ name, content }) => {
    const parsed = parsedToolResult(content);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const facts = factsOf(parsed as Record<string, unknown>, 8);
      for (const [key, value] of facts) {
        const last = key.split(".").at(-1)!;
        if (!context.facts.has(normaliseKey(last))) context.facts.set(normaliseKey(last), value);
      }
      if (facts.length > 0) return `According to ${name}, ${joinPhrases(facts.map(([key, value]) => `${key} is ${describeValue(value)}`))}.`;
      return `${name} returned an empty result.`;
    }
    if (Array.isArray(parsed)) return parsed.length === 0 ? `${name} returned no results.` : `${name} returned ${parsed.length} result${parsed.length === 1 ? "" : "s"}: ${describeValue(parsed)}.`;
    if (parsed !== undefined) return `According to ${name}, the result is ${describeValue(parsed)}.`;
    const quoted = clip(content, 200);
    return quoted ? `According to ${name}: "${quoted}"` : `${name} returned nothing.`;
  });
  return answers.join(" ");
}

// ───────────────────────────── Tools ─────────────────────────────

type FunctionTool = { name: string; description: string; parameters: unknown; isStrict: boolean };

function functionTools(tools: unknown[] | undefined): FunctionTool[] {
  const found: FunctionTool[] = [];
  for (const tool of tools ?? []) {
    const fn = tool && typeof tool === "object" ? (tool as { function?: unknown }).function : undefined;
    if (!fn || typeof fn !== "object") continue;
    const { name, description, parameters, strict } = fn as { name?: unknown; description?: unknown; parameters?: unknown; strict?: unknown };
    if (typeof name !== "string" || name === "") continue;
    found.push({ name, description: typeof description === "string" ? description.slice(0, 1_000) : "", parameters: parameters ?? { type: "object", properties: {} }, isStrict: strict === true });
  }
  return found;
}

function forcedToolName(toolChoice: unknown): string | null {
  if (!toolChoice || typeof toolChoice !== "object") return null;
  const choice = toolChoice as { function?: { name?: unknown }; name?: unknown };
  const name = choice.function?.name ?? choice.name;
  return typeof name === "string" ? name : null;
}

/** The tool whose name (words weigh 3) and description (1) share the most words with the prompt; null when none shares any. */
function bestMatchingTool(tools: FunctionTool[], prompt: string): FunctionTool | null {
  const promptWords = new Set(contentWords(prompt));
  let best: FunctionTool | null = null;
  let bestScore = 0;
  for (const tool of tools) {
    const nameWords = new Set(contentWords(tool.name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ")));
    const descriptionWords = new Set(contentWords(tool.description));
    let score = 0;
    for (const word of nameWords) if (promptWords.has(word)) score += 3;
    for (const word of descriptionWords) if (promptWords.has(word) && !nameWords.has(word)) score += 1;
    if (score > bestScore) [best, bestScore] = [tool, score];
  }
  return best;
}

function chosenTool(request: ChatCompletionRequest, conversation: Conversation): FunctionTool | null {
  const tools = functionTools(request.tools);
  const choice = request.tool_choice;
  if (tools.length === 0 || choice === "none") return null;
  const forced = forcedToolName(choice);
  if (forced !== null) return tools.find((tool) => tool.name === forced) ?? bestMatchingTool(tools, conversation.lastUserText) ?? tools[0];
  if (choice === "required") return bestMatchingTool(tools, conversation.lastUserText) ?? tools[0];
  // "auto": the tool's result is in, so this turn answers with it rather than calling again.
  if (conversation.toolResults.length > 0) return null;
  return bestMatchingTool(tools, conversation.lastUserText);
}

// ───────────────────────────── Length and stop ─────────────────────────────

function readLimit(request: ChatCompletionRequest): number | undefined {
  const limit = request.max_completion_tokens ?? request.max_tokens;
  return typeof limit === "number" && Number.isFinite(limit) && limit >= 0 ? Math.floor(limit) : undefined;
}

function cutAtStop(text: string, stop: unknown): string | null {
  const sequences = (Array.isArray(stop) ? stop : [stop]).filter((sequence): sequence is string => typeof sequence === "string" && sequence !== "");
  let cutAt = -1;
  for (const sequence of sequences) {
    const index = text.indexOf(sequence);
    if (index !== -1 && (cutAt === -1 || index < cutAt)) cutAt = index;
  }
  return cutAt === -1 ? null : text.slice(0, cutAt);
}

type Fitted = { pieces: string[]; text: string; tokens: number; isCut: boolean };

/**
 * The pieces that fit in `limit` tokens: all of them, or the longest prefix that fits, ending
 * inside a piece when that fills the limit exactly (as a model cut at max_tokens does).
 */
function fitToLimit(pieces: string[], limit: number | undefined, countTokens: CountTokens): Fitted {
  const whole = (): Fitted => {
    const text = pieces.join("");
    return { pieces, text, tokens: countTokens(text), isCut: false };
  };
  if (limit === undefined) return whole();
  const prefix = (count: number): Fitted => {
    const text = pieces.slice(0, count).join("");
    return { pieces: pieces.slice(0, count), text, tokens: countTokens(text), isCut: true };
  };
  if (pieces.length > limit) {
    // The usual cut, settled with one count of `limit` pieces: each piece is at least a token, so
    // when those are exactly `limit` tokens the reply does not fit and this is where it stops.
    const first = prefix(limit);
    if (first.tokens === limit) return first;
  }
  const all = whole();
  if (all.tokens <= limit) return all;
  // Some pieces are several tokens (JSON, quoted tool output): a binary search for the most
  // whole pieces that fit, a few counts of at most `limit` tokens.
  let low = 0;
  let high = pieces.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (prefix(middle).tokens <= limit) low = middle;
    else high = middle - 1;
  }
  const fitted = prefix(low);
  const next = pieces[low];
  if (fitted.tokens < limit && next !== undefined) {
    for (let length = Math.min(next.length - 1, 64); length > 0; length--) {
      const partial = next.slice(0, length);
      const partialTokens = countTokens(fitted.text + partial);
      if (partialTokens <= limit) return { pieces: [...fitted.pieces, partial], text: fitted.text + partial, tokens: partialTokens, isCut: true };
    }
  }
  return fitted;
}

// ───────────────────────────── The plan ─────────────────────────────

type ResponseFormat = { type?: unknown; json_schema?: { schema?: unknown; strict?: unknown } };

export function planSimulatedReply(request: ChatCompletionRequest, countTokens: CountTokens): SimulatedReply {
  const conversation = readConversation(request.messages);
  const seedText = `${conversation.lastUserText}\u0000${request.seed ?? ""}`;
  const random = randomFrom(hash32(seedText));
  const inputTokens = countInputTokens(request, countTokens);
  const limit = readLimit(request);
  // Read from the prompt only by the replies that use it: a plain text reply stays a few microseconds.
  let contextMemo: Context | null = null;
  const context = (): Context => {
    if (contextMemo) return contextMemo;
    const topic = contentWords(conversation.lastUserText).slice(0, 4).join(" ");
    return (contextMemo = { random, place: placeIn(conversation.lastUserText), question: clip(conversation.lastUserText.slice(0, MAX_SCANNED_CHARS), 200) || "question", topic: topic || "general", facts: new Map() });
  };

  const tool = chosenTool(request, conversation);
  if (tool) {
    const value = sampleJsonSchema(tool.parameters, { random, hint: hintFor(context()), isStrict: tool.isStrict });
    const args = value && typeof value === "object" && !Array.isArray(value) ? JSON.stringify(value) : "{}";
    const nameTokens = countTokens(tool.name);
    // Not even the tool's name fits: cut before anything was written.
    if (limit !== undefined && nameTokens > limit) return { kind: "text", pieces: [], finishReason: "length", usage: { inputTokens, outputTokens: 0 } };
    const fitted = fitToLimit(piecesOf(args), limit === undefined ? undefined : limit - nameTokens, countTokens);
    const id = `call_${Array.from({ length: 24 }, () => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[Math.floor(random() * 62)]).join("")}`;
    return {
      kind: "tool_call",
      toolCall: { id, name: tool.name, arguments: fitted.text },
      finishReason: fitted.isCut ? "length" : "tool_calls",
      usage: { inputTokens, outputTokens: nameTokens + fitted.tokens },
    };
  }

  let pieces: string[];
  const format = (request.response_format ?? {}) as ResponseFormat;
  const answer = conversation.toolResults.length > 0 ? answerFromToolResults(conversation.toolResults, context()) : null;
  if (format.type === "json_schema" && format.json_schema && typeof format.json_schema.schema === "object" && format.json_schema.schema !== null) {
    const value = sampleJsonSchema(format.json_schema.schema, { random, hint: hintFor(context()), isStrict: format.json_schema.strict === true });
    pieces = piecesOf(JSON.stringify(value) ?? "{}");
  } else if (format.type === "json_object" || format.type === "json_schema") {
    pieces = piecesOf(JSON.stringify(jsonObjectFor(conversation, context())));
  } else {
    pieces = answer !== null ? piecesOf(answer) : sentencePieces(between(random, MIN_NATURAL_TOKENS, MAX_NATURAL_TOKENS), random);
  }

  // Generation ends at the first stop sequence or at max_tokens, whichever comes first.
  const stopped = request.stop === undefined || request.stop === null ? null : cutAtStop(pieces.join(""), request.stop);
  const fitted = fitToLimit(stopped === null ? pieces : piecesOf(stopped), limit, countTokens);
  return { kind: "text", pieces: fitted.pieces, finishReason: fitted.isCut ? "length" : "stop", usage: { inputTokens, outputTokens: fitted.tokens } };
}
