import { describe, expect, it } from "vitest";
import { createSseParser, readSseEvents, type SseEvent } from "./sse";

function parseAll(pieces: string[]): SseEvent[] {
  const parser = createSseParser();
  return [...pieces.flatMap((piece) => parser.push(piece)), ...parser.flush()];
}

/** Every way to cut `text` into two pieces, plus one character at a time. */
function splits(text: string): string[][] {
  const twoPieces = Array.from({ length: text.length + 1 }, (_, at) => [text.slice(0, at), text.slice(at)]);
  return [...twoPieces, [...text]];
}

function seededSplits(text: string, seed: number, count: number): string[][] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  return Array.from({ length: count }, () => {
    const pieces: string[] = [];
    for (let offset = 0; offset < text.length; ) {
      const size = 1 + Math.floor(random() * 12);
      pieces.push(text.slice(offset, offset + size));
      offset += size;
    }
    return pieces;
  });
}

const openAiStream = 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n';
const openAiEvents: SseEvent[] = [
  { event: null, data: '{"a":1}' },
  { event: null, data: '{"b":2}' },
  { event: null, data: "[DONE]" },
];

describe("createSseParser", () => {
  it.each<[string, string, SseEvent[]]>([
    ["LF line endings", openAiStream, openAiEvents],
    ["CRLF line endings", openAiStream.replace(/\n/g, "\r\n"), openAiEvents],
    ["lone CR line endings", openAiStream.replace(/\n/g, "\r"), openAiEvents],
    ["keepalive comments between events", `: keepalive\n\n${openAiStream.replace("\n\n", "\n\n: OPENROUTER PROCESSING\n\n")}`, openAiEvents],
    ["`data:` without the optional space", 'data:{"a":1}\n\n', [{ event: null, data: '{"a":1}' }]],
    ["only one leading space is stripped", "data:  two\n\n", [{ event: null, data: " two" }]],
    ["multi-line data joined with LF", "data: first\ndata: second\n\n", [{ event: null, data: "first\nsecond" }]],
    ["named events (Anthropic)", 'event: message_start\ndata: {"type":"message_start"}\n\nevent: ping\ndata: {"type":"ping"}\n\n', [
      { event: "message_start", data: '{"type":"message_start"}' },
      { event: "ping", data: '{"type":"ping"}' },
    ]],
    ["an event name does not leak into the next event", "event: a\ndata: 1\n\ndata: 2\n\n", [{ event: "a", data: "1" }, { event: null, data: "2" }]],
    ["id and retry fields are ignored", "id: 7\nretry: 100\ndata: x\n\n", [{ event: null, data: "x" }]],
    ["a blank line without data dispatches nothing", "\n\nevent: lonely\n\n", []],
    ["a final event without its blank line is still delivered", "data: last", [{ event: null, data: "last" }]],
  ])("%s", (_label, text, expected) => {
    expect(parseAll([text])).toEqual(expected);
  });

  it.each([
    ["LF", openAiStream],
    ["CRLF", openAiStream.replace(/\n/g, "\r\n")],
    ["CR", openAiStream.replace(/\n/g, "\r")],
    ["CRLF with comments", `: hi\r\n\r\n${openAiStream.replace(/\n/g, "\r\n")}`],
  ])("gives the same events however a %s stream is cut", (_label, text) => {
    for (const pieces of [...splits(text), ...seededSplits(text, 42, 50)]) {
      expect(parseAll(pieces), JSON.stringify(pieces)).toEqual(openAiEvents);
    }
  });

  it("does not read a CRLF split across two pieces as two line endings", () => {
    const parser = createSseParser();
    expect(parser.push("data: a\r")).toEqual([]);
    expect(parser.push("\n")).toEqual([]);
    expect(parser.push("\r")).toEqual([{ event: null, data: "a" }]);
    expect(parser.push("\ndata: b\n\n")).toEqual([{ event: null, data: "b" }]);
  });

  it("emits an event as soon as its blank line arrives, not at the end of the stream", () => {
    const parser = createSseParser();
    expect(parser.push('data: {"a":1}\n')).toEqual([]);
    expect(parser.push("\nda")).toEqual([{ event: null, data: '{"a":1}' }]);
  });
});

describe("readSseEvents", () => {
  it("decodes UTF-8 characters split across network chunks", async () => {
    const bytes = new TextEncoder().encode("data: héllo 🌍 ü\r\n\r\ndata: [DONE]\r\n\r\n");
    for (let at = 0; at <= bytes.length; at++) {
      async function* chunks() {
        yield bytes.slice(0, at);
        yield bytes.slice(at);
      }
      const events: SseEvent[] = [];
      for await (const event of readSseEvents(chunks())) events.push(event);
      expect(events).toEqual([
        { event: null, data: "héllo 🌍 ü" },
        { event: null, data: "[DONE]" },
      ]);
    }
  });
});
