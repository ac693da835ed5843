import "@/lib/server/server-only";
import { httpPost, type UpstreamHttpResponse } from "./http-client";
import { createSseParser, type SseEvent } from "./sse";
import { UpstreamError, type ProviderRuntime } from "./types";

/**
 * The HTTP plumbing shared by adapters that talk to a remote upstream: one place decides what a
 * refused connection, a slow upstream or an error status means for failover, so every provider
 * fails over the same way.
 */

export type UpstreamPost = {
  provider: ProviderRuntime;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal;
};

/** Bodies of error responses are for humans; anything longer is truncated noise. */
const MAX_ERROR_MESSAGE_CHARS = 500;
/** A stream's items read ahead of its consumer before the upstream is paused (back-pressure). */
const MAX_PENDING_ITEMS = 256;
/** After the final event the body should end at once; waiting this long lets the connection be reused. */
const DRAIN_AFTER_COMPLETE_MS = 1_000;

/** A request only fails for network reasons; all of them are connect errors except these, which are timeouts. */
const TIMEOUT_ERROR_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "ETIMEDOUT"]);

/** `retry-after-ms` (OpenAI's, more precise) wins over `retry-after` in seconds or as an HTTP date. */
export function parseRetryAfterMs(headers: Headers, nowMs: number): number | null {
  const preciseMs = headers.get("retry-after-ms");
  if (preciseMs !== null && preciseMs.trim() !== "") {
    const value = Number(preciseMs);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const retryAfter = headers.get("retry-after")?.trim();
  if (!retryAfter) return null;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
  const dateMs = Date.parse(retryAfter);
  return Number.isNaN(dateMs) ? null : Math.max(0, dateMs - nowMs);
}

/** Maps a non-2xx upstream status to the error the executor fails over (or not) on. */
export function upstreamErrorForStatus(status: number, upstreamMessage: string, providerSlug: string, retryAfterMs: number | null): UpstreamError {
  const detail = upstreamMessage ? `: ${upstreamMessage}` : "";
  if (status === 401 || status === 403) {
    // Never echo the upstream's words here: OpenAI's 401 quotes part of the key it was sent.
    return new UpstreamError(502, `Upstream "${providerSlug}" rejected the provider's credentials (HTTP ${status})`, false, null, "auth_error");
  }
  if (status === 429) return new UpstreamError(429, `Upstream "${providerSlug}" is rate limiting${detail}`, true, retryAfterMs, "rate_limited");
  if (status === 408) return new UpstreamError(504, `Upstream "${providerSlug}" timed out (HTTP 408)${detail}`, true, retryAfterMs, "timeout");
  // 529 is Anthropic's "overloaded": a capacity problem like 503, worth trying elsewhere.
  if (status >= 500 || status === 409) {
    const gatewayStatus = status === 503 || status === 529 ? 503 : status === 504 ? 504 : 502;
    return new UpstreamError(gatewayStatus, `Upstream "${providerSlug}" failed with HTTP ${status}${detail}`, true, retryAfterMs, "server_error");
  }
  // The request itself is wrong; another provider would refuse it too.
  return new UpstreamError(status, upstreamMessage || `Upstream "${providerSlug}" refused the request (HTTP ${status})`, false, null, "bad_request");
}

function redact(text: string, secret: string | null): string {
  return secret ? text.split(secret).join("[redacted]") : text;
}

function messageFromErrorBody(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = parsed.error;
    if (typeof error === "string") return error;
    if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") return (error as { message: string }).message;
    if (typeof parsed.message === "string") return parsed.message;
    if (typeof parsed.detail === "string") return parsed.detail;
  } catch {
    // Not JSON (an HTML error page from a proxy, say): the raw text is the best we have.
  }
  return text.trim();
}

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeNetworkError(error: unknown): string {
  const code = errorCode(error);
  if (code) return code;
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause;
  if (cause && typeof cause.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

type OpenedResponse = { response: UpstreamHttpResponse; controller: AbortController; timer: NodeJS.Timeout; hasTimedOut: () => boolean };

/**
 * Sends the request and waits for a 2xx status line. The caller's signal cancels everything; the
 * provider's timeout is armed until the caller disarms it (`timer`), so it can cover just the
 * headers (streams) or the whole body (JSON).
 */
async function openResponse(post: UpstreamPost): Promise<OpenedResponse> {
  const { provider, signal } = post;
  if (signal.aborted) throw abortReason(signal);
  const controller = new AbortController();
  let hasTimedOut = false;
  const timer = setTimeout(() => {
    hasTimedOut = true;
    controller.abort(new Error("timeout"));
  }, provider.timeoutMs);
  const timeoutError = () => new UpstreamError(504, `Upstream "${provider.slug}" did not answer within ${provider.timeoutMs} ms`, true, null, "timeout");

  const onCallerAbort = () => controller.abort(abortReason(signal));
  signal.addEventListener("abort", onCallerAbort, { once: true });
  let response: UpstreamHttpResponse;
  try {
    response = await httpPost(post.url, { headers: post.headers, body: JSON.stringify(post.body), signal: controller.signal });
  } catch (error) {
    clearTimeout(timer);
    if (signal.aborted) throw abortReason(signal);
    if (hasTimedOut || TIMEOUT_ERROR_CODES.has(errorCode(error) ?? "")) throw timeoutError();
    const reason = redact(describeNetworkError(error), provider.apiKey);
    throw new UpstreamError(502, `Could not connect to upstream "${provider.slug}" (${reason})`, true, null, "connect_error");
  }

  if (response.ok) return { response, controller, timer, hasTimedOut: () => hasTimedOut };

  let upstreamMessage = "";
  try {
    upstreamMessage = messageFromErrorBody(await response.text()).slice(0, MAX_ERROR_MESSAGE_CHARS);
  } catch {
    // The status alone decides what happens; a body cut short by the timeout changes nothing.
  } finally {
    clearTimeout(timer);
  }
  if (signal.aborted) throw abortReason(signal);
  const retryAfterMs = parseRetryAfterMs(response.headers, Date.now());
  throw upstreamErrorForStatus(response.status, redact(upstreamMessage, provider.apiKey), provider.slug, retryAfterMs);
}

/**
 * A non-streaming call: the timeout covers the body too, because nothing has reached our client
 * yet and a stalled body is as good a reason to fail over as stalled headers.
 */
export async function postJson(post: UpstreamPost): Promise<unknown> {
  const { response, timer, hasTimedOut } = await openResponse(post);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (post.signal.aborted) throw abortReason(post.signal);
    if (hasTimedOut()) throw new UpstreamError(504, `Upstream "${post.provider.slug}" did not finish its answer within ${post.provider.timeoutMs} ms`, true, null, "timeout");
    throw new UpstreamError(502, `Upstream "${post.provider.slug}" dropped the connection (${describeNetworkError(error)})`, true, null, "connect_error");
  } finally {
    clearTimeout(timer);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UpstreamError(502, `Upstream "${post.provider.slug}" answered with a body that is not JSON`, true, null, "bad_response");
  }
}

/**
 * How an adapter reads its protocol out of the server-sent events. Both run synchronously as the
 * bytes arrive: no promise per event, which under Next's async hooks cost more than the event.
 */
export type EventDecoder<T> = {
  /**
   * The events one network read completed → what to hand on (may be none); throws to fail the
   * stream. `complete()` marks the protocol's final event: nothing after it is read, and the body
   * is left to drain so the connection can be reused.
   */
  decode(events: SseEvent[], complete: () => void): T[];
  /** The body ended before `complete()`: throw when that means the answer was cut short. */
  end(): void;
};

/**
 * A streaming call: resolves once the upstream answered 2xx, with what the decoder makes of each
 * network read as it arrives (never an empty batch). From then on `timeoutMs` bounds the silence
 * between two reads, so an upstream that hangs after its headers cannot hold a client forever; a
 * dead connection or that silence is an Error from `next()`. `return()` stops the upstream at
 * once, even while a read is pending. What arrives while the consumer is busy joins the next
 * batch; past MAX_PENDING_ITEMS the upstream is paused until it is taken.
 */
export async function postEventStream<T>(post: UpstreamPost, decoder: EventDecoder<T>): Promise<AsyncIterable<T[]>> {
  const { response, controller, timer } = await openResponse(post);
  const { provider, signal } = post;
  // Some servers ignore `stream: true` or report errors as a 200 JSON body; neither is a stream.
  if (/application\/json/i.test(response.headers.get("content-type") ?? "")) {
    const text = await response.text().catch(() => "");
    clearTimeout(timer);
    controller.abort();
    if (signal.aborted) throw abortReason(signal);
    const detail = text ? `: ${redact(messageFromErrorBody(text), provider.apiKey).slice(0, MAX_ERROR_MESSAGE_CHARS)}` : "";
    throw new UpstreamError(502, `Upstream "${provider.slug}" answered a stream request without a stream${detail}`, true, null, "bad_response");
  }
  clearTimeout(timer);
  const body = response.body;
  const textDecoder = new TextDecoder();
  const parser = createSseParser();
  /** What arrived while nobody was waiting: handed over as one batch by the next `next()`. */
  let pending: T[] = [];
  let waiter: { resolve: (result: IteratorResult<T[]>) => void; reject: (error: unknown) => void } | null = null;
  let failure: unknown = null;
  /** No more batches: the protocol completed, the body ended, or the stream failed or was stopped. */
  let isOver = false;
  let isComplete = false;
  let isIdle = false;

  const idleTimer = setTimeout(() => {
    // Paused by us (the client is slow), the upstream is not the one being silent.
    if (body.isPaused()) return idleTimer.refresh();
    isIdle = true;
    controller.abort(new Error("idle"));
  }, provider.timeoutMs);
  idleTimer.unref();

  const deliver = (batch: T[]) => {
    if (waiter) {
      const { resolve } = waiter;
      waiter = null;
      resolve({ done: false, value: batch });
      return;
    }
    // Reads that arrive before the consumer asks again join one batch (one write downstream);
    // only a consumer that falls far behind pauses the upstream.
    for (const item of batch) pending.push(item);
    if (pending.length >= MAX_PENDING_ITEMS) body.pause();
  };
  const finish = () => {
    isOver = true;
    clearTimeout(idleTimer);
    if (waiter && pending.length === 0) {
      const { resolve } = waiter;
      waiter = null;
      resolve({ done: true, value: undefined });
    }
  };
  const fail = (error: unknown) => {
    if (isOver) return;
    failure = error;
    isOver = true;
    clearTimeout(idleTimer);
    controller.abort();
    if (waiter) {
      const { reject } = waiter;
      waiter = null;
      reject(error);
    }
  };
  const complete = () => {
    isComplete = true;
  };
  const decodeEvents = (events: SseEvent[]) => {
    if (events.length === 0) return;
    let batch: T[];
    try {
      batch = decoder.decode(events, complete);
    } catch (error) {
      return fail(error);
    }
    if (batch.length > 0) deliver(batch);
    if (isComplete) {
      finish();
      // Let the rest of the body (usually nothing) drain so the connection goes back to the pool.
      const drainTimer = setTimeout(() => controller.abort(), DRAIN_AFTER_COMPLETE_MS);
      drainTimer.unref();
      body.once("close", () => clearTimeout(drainTimer));
      body.resume();
    }
  };
  const lostConnection = (error: unknown) => {
    if (signal.aborted) return abortReason(signal);
    if (isIdle) return new Error(`Upstream "${provider.slug}" sent nothing for ${provider.timeoutMs} ms mid-stream`);
    return new Error(`Upstream "${provider.slug}" connection lost mid-stream (${describeNetworkError(error)})`, { cause: error });
  };

  body.on("data", (bytes: Buffer) => {
    if (isOver) return;
    idleTimer.refresh();
    decodeEvents(parser.push(textDecoder.decode(bytes, { stream: true })));
  });
  body.on("end", () => {
    if (isOver) return;
    decodeEvents([...parser.push(textDecoder.decode()), ...parser.flush()]);
    if (isOver) return;
    try {
      decoder.end();
    } catch (error) {
      return fail(error);
    }
    finish();
  });
  body.on("error", (error) => fail(lostConnection(error)));
  body.on("close", () => {
    if (!body.readableEnded) fail(lostConnection(new Error("the connection closed")));
  });

  const iterator: AsyncIterableIterator<T[]> = {
    next() {
      if (pending.length > 0) {
        const batch = pending;
        pending = [];
        if (!isOver && body.isPaused()) body.resume();
        return Promise.resolve({ done: false, value: batch });
      }
      if (failure !== null) return Promise.reject(failure);
      if (isOver) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve, reject) => (waiter = { resolve, reject }));
    },
    return() {
      if (!isComplete) fail(new Error("cancelled"));
      pending = [];
      failure = null;
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * Wraps a generator so that `return()` cancels the underlying work at once, even while a `next()`
 * is still waiting on the network (a plain generator would queue the `return()` behind it).
 */
export function cancellable<T>(generator: AsyncGenerator<T>, cancel: () => void): AsyncIterable<T> {
  const iterator: AsyncIterableIterator<T> = {
    next: () => generator.next(),
    return: (value?: unknown) => {
      cancel();
      return generator.return(value as T);
    },
    throw: (error?: unknown) => {
      cancel();
      return generator.throw(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * One chunk at a time out of batches (tests, and callers that only drain a stream). `return()`
 * reaches the batches' own at once, so it still cancels a read in progress (see `cancellable`).
 */
export function chunksOf<T>(batches: AsyncIterable<T[]>): AsyncIterableIterator<T> {
  const source = batches[Symbol.asyncIterator]();
  let batch: T[] = [];
  let index = 0;
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      while (index >= batch.length) {
        const result = await source.next();
        if (result.done) return { done: true, value: undefined };
        batch = result.value;
        index = 0;
      }
      return { done: false, value: batch[index++] };
    },
    async return(value?: unknown) {
      await source.return?.(value);
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** Merges the provider's configured extra headers (e.g. an OpenRouter referer) under ours. */
export function configuredHeaders(provider: ProviderRuntime): Record<string, string> {
  const headers = provider.config.headers;
  if (!headers || typeof headers !== "object") return {};
  return Object.fromEntries(Object.entries(headers as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

export function trimTrailingSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}
