import { describe, expect, it } from "vitest";
import { LAST_SEEN_WRITE_INTERVAL_MS, SESSION_MAX_AGE_SECONDS, sessionEndReason, sessionExpiresAt, sessionTouch, type SessionFacts, type SessionUserFacts } from "./sessions";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

const session = (overrides: Partial<SessionFacts> = {}): SessionFacts => ({ userId: "u1", createdAt: minutes(-60), expiresAt: minutes(60), revokedAt: null, lastSeenAt: null, ...overrides });
const user = (overrides: Partial<SessionUserFacts> = {}): SessionUserFacts => ({ id: "u1", isDisabled: false, sessionsRevokedAt: null, ...overrides });

describe("sessionEndReason", () => {
  it.each([
    ["a live session of an enabled user", session(), user(), null],
    ["a session started after the user's last 'sign out everywhere'", session({ createdAt: minutes(-10) }), user({ sessionsRevokedAt: minutes(-30) }), null],
    ["a session started in the very millisecond of the mark", session({ createdAt: minutes(-30) }), user({ sessionsRevokedAt: minutes(-30) }), null],
    ["no session row", null, user(), "missing"],
    ["no user", session(), null, "missing"],
    ["another user's session", session({ userId: "u2" }), user({ id: "u2" }), "other_user"],
    ["a signed-out session", session({ revokedAt: minutes(-1) }), user(), "revoked"],
    ["a session older than the user's 'every session ends' mark", session({ createdAt: minutes(-60) }), user({ sessionsRevokedAt: minutes(-30) }), "revoked_for_user"],
    ["a session past its expiry", session({ expiresAt: minutes(-1) }), user(), "expired"],
    ["a session at its expiry", session({ expiresAt: NOW }), user(), "expired"],
    ["a disabled user's session", session(), user({ isDisabled: true }), "user_disabled"],
  ])("%s → %s", (_label, sessionFacts, userFacts, expected) => {
    expect(sessionEndReason({ tokenUserId: "u1", session: sessionFacts, user: userFacts, now: NOW })).toBe(expected);
  });
});

describe("sessionTouch", () => {
  const interval = LAST_SEEN_WRITE_INTERVAL_MS / 60_000;
  it.each([
    ["a session just signed in", { createdAt: minutes(-1), lastSeenAt: null }, false],
    ["a session signed in longer ago than the interval and never seen since", { createdAt: minutes(-interval), lastSeenAt: null }, true],
    ["a session seen a minute ago", { createdAt: minutes(-600), lastSeenAt: minutes(-1) }, false],
    ["a session seen just under the interval ago", { createdAt: minutes(-600), lastSeenAt: new Date(NOW.getTime() - LAST_SEEN_WRITE_INTERVAL_MS + 1) }, false],
    ["a session seen exactly the interval ago", { createdAt: minutes(-600), lastSeenAt: minutes(-interval) }, true],
  ])("%s → writes: %s", (_label, facts, writes) => {
    const touch = sessionTouch(facts, NOW);
    expect(touch !== null).toBe(writes);
    if (touch) expect(touch).toEqual({ lastSeenAt: NOW, expiresAt: new Date(NOW.getTime() + SESSION_MAX_AGE_SECONDS * 1000) });
  });

  it("a session lives 12 hours from its last activity", () => {
    expect(sessionExpiresAt(NOW).toISOString()).toBe("2026-03-02T00:00:00.000Z");
  });
});
