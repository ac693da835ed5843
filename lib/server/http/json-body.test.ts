import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";
import { JSON_BODY_MAX_BYTES, readJsonBody } from "./json-body";

function post(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }): Request {
  return new Request("http://app.test/api/lender/v1/loans/L1/freeze", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

/** A body that never ends, counting what the reader pulled from it. */
function endlessBody(chunkBytes = 16 * 1024) {
  const state = { pulledBytes: 0 };
  const chunk = new TextEncoder().encode("[".padEnd(chunkBytes, " "));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulledBytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, state };
}

async function refusal(request: Request, options?: { maxBytes?: number }): Promise<{ status: number; code: string }> {
  const error = await readJsonBody(request, options).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiError);
  return { status: (error as ApiError).status, code: (error as ApiError).code };
}

describe("readJsonBody", () => {
  it.each<[string, Record<string, string>]>([
    ["application/json", { "content-type": "application/json" }],
    ["with a charset", { "content-type": "application/json; charset=utf-8" }],
    ["a +json type", { "content-type": "application/merge-patch+json" }],
    ["upper case", { "content-type": "Application/JSON" }],
  ])("reads JSON sent as %s", async (_label, headers) => {
    expect(await readJsonBody(post('{"mode":"FULL","reason":"cure"}', headers))).toEqual({ mode: "FULL", reason: "cure" });
  });

  it.each<[string, string]>([
    ["a form post (curl -d without -H)", "application/x-www-form-urlencoded"],
    ["multipart", "multipart/form-data; boundary=x"],
    ["plain text (what fetch() sends for a string body without a type: a cross-site request needs no preflight for it)", "text/plain;charset=UTF-8"],
    ["json as a suffix of something else", "application/jsonp"],
  ])("refuses %s with a 415", async (_label, contentType) => {
    expect(await refusal(post('{"mode":"FULL"}', { "content-type": contentType }))).toEqual({ status: 415, code: "unsupported_media_type" });
  });

  it("refuses a body without a Content-Type with a 415 that says what to send", async () => {
    const request = post(new Blob(['{"mode":"FULL"}']), {});
    expect(request.headers.get("content-type")).toBeNull();
    const error = (await readJsonBody(request).catch((thrown: unknown) => thrown)) as ApiError;
    expect([error.status, error.message]).toEqual([415, "Send the body as JSON with Content-Type: application/json (got none)."]);
  });

  it.each<[string, BodyInit | null]>([
    ["not JSON", "mode=FULL"],
    ["an empty body", ""],
    ["no body", null],
    ["truncated JSON", '{"mode":"FU'],
    ["bytes that are not UTF-8", new Uint8Array([0x22, 0xff, 0xfe, 0x22])],
  ])("refuses %s with a 400 invalid_json", async (_label, body) => {
    expect(await refusal(post(body))).toEqual({ status: 400, code: "invalid_json" });
  });

  it("takes a body of exactly the limit, and refuses one byte more with a 413", async () => {
    const exact = JSON.stringify({ reason: "x".repeat(JSON_BODY_MAX_BYTES - 13) });
    expect(Buffer.byteLength(exact)).toBe(JSON_BODY_MAX_BYTES);
    expect(await readJsonBody(post(exact))).toEqual({ reason: "x".repeat(JSON_BODY_MAX_BYTES - 13) });
    const over = JSON.stringify({ reason: "x".repeat(JSON_BODY_MAX_BYTES - 12) });
    expect(await refusal(post(over))).toEqual({ status: 413, code: "body_too_large" });
  });

  it("counts bytes, not characters: 40,000 'é' are 80,000 bytes, over a 64 KiB limit", async () => {
    expect(await refusal(post(JSON.stringify({ reason: "é".repeat(40_000) })))).toEqual({ status: 413, code: "body_too_large" });
  });

  it("refuses a declared Content-Length over the limit without reading a byte", async () => {
    const { stream, state } = endlessBody();
    expect(await refusal(post(stream, { "content-type": "application/json", "content-length": "5000000" }))).toEqual({ status: 413, code: "body_too_large" });
    expect(state.pulledBytes).toBeLessThanOrEqual(16 * 1024 * 2); // at most what the stream buffered ahead on its own
  });

  it("stops reading an endless body just past the limit (a 5 MB body is never read whole)", async () => {
    const { stream, state } = endlessBody();
    expect(await refusal(post(stream), { maxBytes: 100_000 })).toEqual({ status: 413, code: "body_too_large" });
    // The reader stopped within one chunk (plus the stream's own one-chunk read-ahead) of the limit.
    expect(state.pulledBytes).toBeLessThanOrEqual(100_000 + 3 * 16 * 1024);
  });

  it("a route may pass its own limit", async () => {
    expect(await refusal(post('{"a":"0123456789"}'), { maxBytes: 10 })).toEqual({ status: 413, code: "body_too_large" });
    expect(await readJsonBody(post('{"a":1}'), { maxBytes: 10 })).toEqual({ a: 1 });
  });
});
