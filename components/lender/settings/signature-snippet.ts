// The verification snippet shown beside a new signing secret. It is the receiver's side of
// lib/domain/webhooks/signature.ts: `blockable-signature: t=<unix seconds>,v1=<hex>`, where the hex
// is HMAC-SHA256 keyed with the whole secret (`whsec_…`) over `${t}.${rawBody}`. The snippet's own
// test runs this very text against signatures the server makes.

export const SIGNATURE_SNIPPET = `import { createHmac, timingSafeEqual } from "node:crypto";

// header:  the "blockable-signature" request header, e.g. "t=1767225600,v1=5f2b…"
// rawBody: the request body exactly as received (a string), before any JSON.parse
// secret:  your endpoint's signing secret, "whsec_…"
export function isValidBlockableSignature(header, rawBody, secret, toleranceSec = 300) {
  const parts = header.split(",").map((part) => part.trim().split("="));
  const t = parts.find(([key]) => key === "t")?.[1];
  if (!t || !/^\\d+$/.test(t)) return false;
  if (Math.abs(Date.now() / 1000 - Number(t)) > toleranceSec) return false; // a replay
  const expected = createHmac("sha256", secret).update(\`\${t}.\${rawBody}\`, "utf8").digest();
  return parts.some(([key, hex]) => key === "v1" && /^[0-9a-f]{64}$/.test(hex ?? "")
    && timingSafeEqual(expected, Buffer.from(hex, "hex")));
}
// Then deduplicate on the "blockable-event-id" header: a retry or a resend carries the same id.`;
