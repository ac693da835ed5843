import "@/lib/server/server-only";

/** One dispatched Server-Sent Event. `event` is null when the upstream sent no `event:` field. */
export type SseEvent = { event: string | null; data: string };

/**
 * An incremental parser for the `text/event-stream` format (WHATWG HTML §9.2.6), fed decoded text
 * in whatever pieces the network delivers. Lines may end in LF, CRLF or a lone CR, and a CRLF may
 * itself be split across two pieces, so a trailing CR is held back until the next piece shows
 * whether an LF follows.
 */
export type SseParser = {
  /** Feeds the next piece of text; returns every event completed by it, in order. */
  push(text: string): SseEvent[];
  /** The stream ended: returns a final event the upstream did not terminate with a blank line. */
  flush(): SseEvent[];
};

export function createSseParser(): SseParser {
  let buffer = "";
  let eventName: string | null = null;
  let dataLines: string[] = [];
  let isCrPending = false;

  function dispatch(events: SseEvent[]) {
    if (dataLines.length > 0) events.push({ event: eventName, data: dataLines.join("\n") });
    eventName = null;
    dataLines = [];
  }

  function processLine(line: string, events: SseEvent[]) {
    if (line === "") return dispatch(events);
    if (line.charCodeAt(0) === 58 /* ":" comment, used for keepalives */) return;
    const colonAt = line.indexOf(":");
    const field = colonAt === -1 ? line : line.slice(0, colonAt);
    let value = colonAt === -1 ? "" : line.slice(colonAt + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") dataLines.push(value);
    else if (field === "event") eventName = value;
    // `id` and `retry` only matter to a reconnecting EventSource; a proxied completion never resumes.
  }

  function push(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    if (isCrPending) {
      isCrPending = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    buffer += start === 0 ? text : text.slice(start);
    let lineStart = 0;
    for (let i = 0; i < buffer.length; i++) {
      const code = buffer.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      processLine(buffer.slice(lineStart, i), events);
      if (code === 13) {
        if (i + 1 === buffer.length) isCrPending = true;
        else if (buffer.charCodeAt(i + 1) === 10) i++;
      }
      lineStart = i + 1;
    }
    buffer = lineStart === 0 ? buffer : buffer.slice(lineStart);
    return events;
  }

  function flush(): SseEvent[] {
    const events: SseEvent[] = [];
    if (buffer !== "") processLine(buffer, events);
    buffer = "";
    dispatch(events);
    return events;
  }

  return { push, flush };
}

/** Decodes and parses a byte stream, yielding each event as soon as its terminating blank line arrives. */
export async function* readSseEvents(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  const parser = createSseParser();
  for await (const chunk of chunks) {
    for (const event of parser.push(decoder.decode(chunk, { stream: true }))) yield event;
  }
  for (const event of parser.push(decoder.decode())) yield event;
  for (const event of parser.flush()) yield event;
}
