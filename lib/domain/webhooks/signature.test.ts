import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSignatureHeader, signatureHeader, verifySignature, type SignatureFailure } from "./signature";

const secret = "whsec_test_secret";
const body = '{"id":"evt_0123456789abcdef0123456789abcdef","type":"webhook.test","created":1767225600,"data":{}}';
const t = 1_767_225_600;

/** Written from the spec, not from the module: HMAC-SHA256(secret, `${t}.${body}`) in hex. */
function referenceHex(key: string, timestampSec: number, rawBody: string) {
  return createHmac("sha256", key).update(`${timestampSec}.${rawBody}`).digest("hex");
}

describe("signatureHeader", () => {
  it("is t=<seconds>,v1=<hex HMAC-SHA256 of `${t}.${body}`>", () => {
    expect(signatureHeader(secret, t, body)).toBe(`t=${t},v1=${referenceHex(secret, t, body)}`);
  });

  it.each([
    ["an empty secret", "", t],
    ["a negative timestamp", secret, -1],
    ["a fractional timestamp", secret, 1.5],
  ])("refuses %s", (_label, key, timestampSec) => {
    expect(() => signatureHeader(key, timestampSec, body)).toThrow(RangeError);
  });
});

describe("verifySignature", () => {
  const valid = signatureHeader(secret, t, body);
  const flipLastHex = (header: string) => header.slice(0, -1) + (header.endsWith("0") ? "1" : "0");

  it.each<[string, { header: string | null; rawBody?: string; secret?: string; nowSec?: number; toleranceSec?: number }, true | SignatureFailure]>([
    ["a fresh, untouched delivery", { header: valid }, true],
    ["4m59s old", { header: valid, nowSec: t + 299 }, true],
    ["exactly at the 5-minute tolerance", { header: valid, nowSec: t + 300 }, true],
    ["a replay 5m01s later", { header: valid, nowSec: t + 301 }, "too_old"],
    ["a replay a day later", { header: valid, nowSec: t + 86_400 }, "too_old"],
    ["a custom 60 s tolerance, 61 s late", { header: valid, nowSec: t + 61, toleranceSec: 60 }, "too_old"],
    ["a timestamp 6 minutes in the future", { header: valid, nowSec: t - 360 }, "future"],
    ["a sender clock 1 minute ahead", { header: valid, nowSec: t - 60 }, true],
    ["a body changed by one character", { header: valid, rawBody: body.replace("webhook.test", "webhook.tesT") }, "tampered"],
    ["a body with a trailing newline", { header: valid, rawBody: body + "\n" }, "tampered"],
    ["re-serialised JSON (spaces)", { header: valid, rawBody: JSON.stringify(JSON.parse(body), null, 1) }, "tampered"],
    ["another endpoint's secret", { header: valid, secret: "whsec_other" }, "tampered"],
    ["a signature with one hex digit flipped", { header: flipLastHex(valid) }, "tampered"],
    ["the timestamp moved forward (replay with a fresh t)", { header: valid.replace(`t=${t}`, `t=${t + 400}`), nowSec: t + 400 }, "tampered"],
    ["a missing header", { header: null }, "malformed"],
    ["an empty header", { header: "" }, "malformed"],
    ["no timestamp", { header: `v1=${referenceHex(secret, t, body)}` }, "malformed"],
    ["no v1 signature", { header: `t=${t}` }, "malformed"],
    ["only an unknown scheme", { header: `t=${t},v0=${referenceHex(secret, t, body)}` }, "malformed"],
    ["a non-numeric timestamp", { header: `t=abc,v1=${referenceHex(secret, t, body)}` }, "malformed"],
    ["a negative timestamp", { header: `t=-5,v1=${referenceHex(secret, t, body)}` }, "malformed"],
    ["two timestamps", { header: `t=${t},t=${t},v1=${referenceHex(secret, t, body)}` }, "malformed"],
    ["a short signature", { header: `t=${t},v1=abcd` }, "malformed"],
    ["an uppercase-hex signature", { header: `t=${t},v1=${referenceHex(secret, t, body).toUpperCase()}` }, "malformed"],
    ["garbage", { header: "hello" }, "malformed"],
  ])("%s", (_label, input, expected) => {
    const verdict = verifySignature({ header: input.header, rawBody: input.rawBody ?? body, secret: input.secret ?? secret, nowSec: input.nowSec ?? t, toleranceSec: input.toleranceSec });
    if (expected === true) expect(verdict).toEqual({ ok: true, timestampSec: t });
    else expect(verdict).toEqual({ ok: false, reason: expected });
  });

  it("accepts a header with an extra v1 from a second secret (rotation) and an unknown scheme", () => {
    const header = `t=${t},v1=${referenceHex("whsec_old", t, body)},v1=${referenceHex(secret, t, body)},v9=zzz`;
    expect(verifySignature({ header, rawBody: body, secret, nowSec: t }).ok).toBe(true);
  });

  it("whitespace around parts is tolerated", () => {
    expect(verifySignature({ header: ` t=${t} , v1=${referenceHex(secret, t, body)} `, rawBody: body, secret, nowSec: t }).ok).toBe(true);
  });

  it("sign → verify round-trips for any body, secret and time; any one-character change is rejected (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 4_000_000_000 }), fc.nat(), (rawBody, key, timestampSec, position) => {
        const header = signatureHeader(key, timestampSec, rawBody);
        expect(verifySignature({ header, rawBody, secret: key, nowSec: timestampSec }).ok).toBe(true);
        const tampered = rawBody.length === 0 ? "x" : rawBody.slice(0, position % rawBody.length) + String.fromCharCode(rawBody.charCodeAt(position % rawBody.length) ^ 1) + rawBody.slice((position % rawBody.length) + 1);
        expect(verifySignature({ header, rawBody: tampered, secret: key, nowSec: timestampSec })).toEqual({ ok: false, reason: "tampered" });
      }),
    );
  });
});

describe("parseSignatureHeader", () => {
  it("returns the timestamp and every v1", () => {
    expect(parseSignatureHeader(`t=12,v1=${"a".repeat(64)},v1=${"b".repeat(64)}`)).toEqual({ timestampSec: 12, signatures: ["a".repeat(64), "b".repeat(64)] });
  });
});
