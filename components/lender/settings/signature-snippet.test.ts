// The snippet a lender copies must accept what Blockable sends and refuse the rest: it is run here,
// as text, against headers made by the server's own signer.
import { createHmac, timingSafeEqual } from "node:crypto";
import { describe, expect, test } from "vitest";
import { signatureHeader } from "@/lib/domain/webhooks/signature";
import { SIGNATURE_SNIPPET } from "./signature-snippet";

type Verify = (header: string, rawBody: string, secret: string, toleranceSec?: number) => boolean;

function loadSnippet(): Verify {
  const body = SIGNATURE_SNIPPET.replace(/^import .*$/m, "").replace(/^export /m, "");
  expect(body).not.toBe(SIGNATURE_SNIPPET);
  return new Function("createHmac", "timingSafeEqual", `${body}\nreturn isValidBlockableSignature;`)(createHmac, timingSafeEqual) as Verify;
}

const secret = "whsec_test-secret-0123456789";
const body = JSON.stringify({ id: "evt_00000000000000000000000000000001", type: "webhook.test", created: 1, data: { note: "é €" } });
const nowSec = () => Math.floor(Date.now() / 1000);

describe("the signature verification snippet", () => {
  const verify = loadSnippet();

  test.each([
    ["accepts a header the server just made", () => signatureHeader(secret, nowSec(), body), body, secret, true],
    ["accepts two v1 values, the second matching (a sender mid-rotation)", () => `${signatureHeader("whsec_old", nowSec(), body)},v1=${signatureHeader(secret, nowSec(), body).split("v1=")[1]}`, body, secret, true],
    ["refuses a body changed by one character", () => signatureHeader(secret, nowSec(), body), body.replace("test", "tesT"), secret, false],
    ["refuses another secret (the one before a rotation)", () => signatureHeader("whsec_rotated-away", nowSec(), body), body, secret, false],
    ["refuses a timestamp 10 minutes old (a replay)", () => signatureHeader(secret, nowSec() - 600, body), body, secret, false],
    ["refuses a timestamp moved without re-signing", () => signatureHeader(secret, nowSec(), body).replace(/^t=(\d+)/, (_m, t: string) => `t=${Number(t) - 1}`), body, secret, false],
    ["refuses no v1 value", () => `t=${nowSec()}`, body, secret, false],
    ["refuses a v1 value that is not hex", () => `t=${nowSec()},v1=${"z".repeat(64)}`, body, secret, false],
    ["refuses an empty header", () => "", body, secret, false],
  ])("%s", (_label, header, rawBody, key, expected) => {
    expect(verify(header(), rawBody, key)).toBe(expected);
  });
});
