import type { AdminNoticeRow, AdminPaymentsScreen, AdminPurchaseRow, NoticePreview, RepayableLoan } from "@/lib/server/queries/admin-payments";

// What the Payments screen's parts share: the rows as the page hands them down, and display
// formats. Instants are shown in UTC, the same on the server and in the browser.

export type { AdminNoticeRow, AdminPaymentsScreen, AdminPurchaseRow, NoticePreview, RepayableLoan };

/** "2026-12-04T14:03:27.000Z" → "2026-12-04 14:03 UTC". */
export function utcMinute(iso: string | null): string {
  return iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—";
}

/** Compare two µUSD strings exactly (tables sort money as integers, never as floats). */
export function compareMicros(a: string | null, b: string | null): number {
  const x = a === null ? -1n : BigInt(a);
  const y = b === null ? -1n : BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A person as a cell shows them: "Ada Chen (cto@acme-ai.example)". */
export function personText(person: { name: string; email: string } | null): string {
  return person ? `${person.name} (${person.email})` : "—";
}
