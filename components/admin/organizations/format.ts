// Display helpers for the Organisations screens. Times are shown in UTC so the server render and
// the browser agree (a local-time render would break hydration).

/** "2026-03-01 12:00 UTC"; null → the fallback. */
export function formatUtc(iso: string | null, fallback = "—"): string {
  if (!iso) return fallback;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "2026-03-01". */
export function formatUtcDate(iso: string): string {
  return iso.slice(0, 10);
}

export type UserStatus = "active" | "disabled" | "must change password";

export function userStatus(user: { isDisabled: boolean; mustChangePassword: boolean }): UserStatus {
  if (user.isDisabled) return "disabled";
  return user.mustChangePassword ? "must change password" : "active";
}
