"use client";

import { CopyButton } from "@/components/ui/copy-button";
import { OneTimeSecret } from "./one-time-secret";
import { SIGNATURE_SNIPPET } from "./signature-snippet";

/** A new signing secret, shown once, and how a receiver checks a delivery with it. */
export function SecretWithInstructions({ secret }: { secret: string }) {
  return (
    <div className="grid min-w-0 gap-4">
      <OneTimeSecret label="Signing secret" value={secret} copyLabel="Copy secret" />
      <div className="grid min-w-0 gap-2">
        <h3 className="text-sm font-semibold">Verify each delivery</h3>
        <p className="text-sm text-muted-foreground">
          Every request carries <code className="font-mono text-xs text-foreground">blockable-signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>: HMAC-SHA256, keyed with the whole
          secret, over <code className="font-mono text-xs text-foreground">{"${t}.${rawBody}"}</code>. Check it against the raw body before parsing it, refuse a{" "}
          <code className="font-mono text-xs text-foreground">t</code> more than 5 minutes from your clock, and deduplicate on{" "}
          <code className="font-mono text-xs text-foreground">blockable-event-id</code>.
        </p>
        <pre className="max-h-64 overflow-auto rounded-md bg-muted p-3 font-mono text-xs leading-relaxed text-foreground" tabIndex={0} role="region" aria-label="Signature verification code (Node.js)">
          {SIGNATURE_SNIPPET}
        </pre>
        <div>
          <CopyButton value={SIGNATURE_SNIPPET} label="Copy code" />
        </div>
      </div>
    </div>
  );
}
