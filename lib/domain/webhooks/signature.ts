// Webhook signatures, Stripe-style: the `blockable-signature` header is `t=<unix seconds>,v1=<hex>`
// where the hex is HMAC-SHA256, keyed with the endpoint's whole signing secret (`whsec_…`, as
// UTF-8), over `${t}.${rawBody}`. Signing the timestamp with the body is what makes a captured
// delivery useless after the tolerance window: change the timestamp and the signature breaks.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "blockable-signature";
export const SIGNATURE_SCHEME = "v1";
/** How far a signature's timestamp may be from the receiver's clock, either way. */
export const DEFAULT_SIGNATURE_TOLERANCE_SEC = 300;

export type SignatureFailure = "malformed" | "tampered" | "too_old" | "future";
export type SignatureVerdict = { ok: true; timestampSec: number } | { ok: false; reason: SignatureFailure };

function assertTimestamp(timestampSec: number) {
  if (!Number.isSafeInteger(timestampSec) || timestampSec < 0) throw new RangeError(`timestampSec must be a non-negative integer, got ${timestampSec}`);
}

function hmacHex(secret: string, timestampSec: number, rawBody: string): string {
  return createHmac("sha256", secret).update(`${timestampSec}.${rawBody}`, "utf8").digest("hex");
}

/** The header value for one delivery attempt. */
export function signatureHeader(secret: string, timestampSec: number, rawBody: string): string {
  if (secret.length === 0) throw new RangeError("A webhook signing secret cannot be empty.");
  assertTimestamp(timestampSec);
  return `t=${timestampSec},${SIGNATURE_SCHEME}=${hmacHex(secret, timestampSec, rawBody)}`;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const DIGITS = /^[0-9]{1,15}$/;

/** `t` and every `v1` of a header, or null when it is not one of ours. Unknown schemes are ignored. */
export function parseSignatureHeader(header: string): { timestampSec: number; signatures: string[] } | null {
  let timestampSec: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const separator = part.indexOf("=");
    if (separator <= 0) return null;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === "t") {
      if (timestampSec !== null || !DIGITS.test(value)) return null;
      timestampSec = Number(value);
    } else if (name === SIGNATURE_SCHEME) {
      if (!HEX_SHA256.test(value)) return null;
      signatures.push(value);
    }
  }
  if (timestampSec === null || signatures.length === 0) return null;
  return { timestampSec, signatures };
}

/**
 * What a receiver does with a delivery: the signature is checked first (in constant time, against
 * every `v1` so a sender may sign with two secrets while rotating), then the timestamp's distance
 * from `nowSec`. A valid but stale signature is a replay (`too_old`).
 */
export function verifySignature(input: { header: string | null | undefined; rawBody: string; secret: string; nowSec: number; toleranceSec?: number }): SignatureVerdict {
  const toleranceSec = input.toleranceSec ?? DEFAULT_SIGNATURE_TOLERANCE_SEC;
  if (!input.header || input.secret.length === 0) return { ok: false, reason: "malformed" };
  const parsed = parseSignatureHeader(input.header);
  if (!parsed) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(hmacHex(input.secret, parsed.timestampSec, input.rawBody), "hex");
  // Every candidate is compared (no early exit), each in constant time; lengths are fixed by the regex.
  let isMatch = false;
  for (const candidate of parsed.signatures) {
    if (timingSafeEqual(expected, Buffer.from(candidate, "hex"))) isMatch = true;
  }
  if (!isMatch) return { ok: false, reason: "tampered" };
  const ageSec = input.nowSec - parsed.timestampSec;
  if (ageSec > toleranceSec) return { ok: false, reason: "too_old" };
  if (-ageSec > toleranceSec) return { ok: false, reason: "future" };
  return { ok: true, timestampSec: parsed.timestampSec };
}
