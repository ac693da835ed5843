import { TriangleAlert } from "lucide-react";

/**
 * The login page's warning while the demo world is on (BLOCKABLE_DEMO_WORLD): its accounts are
 * public, so nothing typed into this install is private. A server component; the page decides
 * whether to show it (demoWorldEnabled in lib/server/config/demo-world.ts).
 */
export function DemoNotice() {
  return (
    <div
      role="note"
      aria-labelledby="demo-notice-title"
      data-testid="demo-notice"
      className="flex gap-3 rounded-lg border border-badge-warning-foreground/30 bg-badge-warning p-3 text-sm text-badge-warning-foreground"
    >
      <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <p>
        <strong id="demo-notice-title" className="font-semibold">
          This is a public demo:
        </strong>{" "}
        the accounts below and their passwords are published in the README. Don&apos;t enter real data.
      </p>
    </div>
  );
}
