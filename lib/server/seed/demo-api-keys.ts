import { createHash } from "node:crypto";

// The demo world's API keys are derived from fixed labels, so they are the same on every machine
// and the README can list them (demo data only: never derive real keys this way).
export function demoKeyBytes(label: string): (byteCount: number) => Uint8Array {
  return (byteCount) => {
    const out = new Uint8Array(byteCount);
    for (let offset = 0, block = 0; offset < byteCount; block++) {
      const digest = createHash("sha256").update(`${label}:${block}`).digest();
      out.set(digest.subarray(0, Math.min(digest.length, byteCount - offset)), offset);
      offset += digest.length;
    }
    return out;
  };
}

export function demoKeyLabel(startupSlug: string): string {
  return `blockable-demo-api-key:${startupSlug}`;
}
