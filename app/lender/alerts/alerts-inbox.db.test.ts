// The lender's alerts inbox against real SQLite and PostgreSQL, with the real guard (only the
// session and Next's cache are stubbed): acknowledging one or many alerts (all or nothing, scoped
// by the lender's organisation), the inbox's order and paging, and the open-alert count the
// sidebar badge polls. TENANT ISOLATION: another lender's alert id stops a batch as "not found"
// with nothing acknowledged, never shows in the list, and is no paging cursor.
import { expect, it, vi } from "vitest";
import type { AlertKind } from "@/lib/domain/alerts";
import { openLoanAlert } from "@/lib/server/alerts/rows";
import { createLender, createLoan, createUser, seedIndex, type Lender } from "@/test/collateral-world";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { acknowledgeAlertsAction } = await import("./acknowledge-action");
const { GET: getSummary } = await import("@/app/api/lender/alerts/summary/route");
const { GET: getPage } = await import("@/app/api/lender/alerts/route");
const { listLenderAlertInboxPage } = await import("@/lib/server/queries/lender-alerts");

const USD = 1_000_000n;
const MINUTE_MS = 60_000;
const T0 = Date.parse("2026-03-01T12:00:00.000Z");

await describeEachProvider("the lender's alerts inbox", (provider) => {
  const test = useActionDatabase(provider, { setUp: (db) => seedIndex(db) });

  const as = signInAs;

  /** A healthy loan of `lender` with one OPEN alert per entry, each opened `minutesAgo` before T0. */
  async function loanWithAlerts(lender: Lender, alerts: { kind: AlertKind; minutesAgo: number }[]) {
    const { loan, startupUserId } = await createLoan(test.db, { lender, financedMicros: 100n * USD, principalMicros: 10n * USD });
    const ids: string[] = [];
    for (const alert of alerts) {
      ids.push(
        await test.db.$transaction((tx) =>
          openLoanAlert(tx, { loan, kind: alert.kind, message: `${alert.kind} on ${loan.reference}`, coverageBps: 13_900, now: new Date(T0 - alert.minutesAgo * MINUTE_MS) }),
        ),
      );
    }
    return { loan, ids, startupUserId };
  }

  const stateOf = async (ids: string[]) => (await test.db.alert.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } })).map((row) => [row.id, row.state, row.acknowledgedById]);
  const auditCount = (ids: string[]) => test.db.auditLog.count({ where: { action: "alert.acknowledge", targetId: { in: ids } } });
  const webhookCount = (orgId: string) => test.db.webhookDelivery.count({ where: { eventType: "alert.acknowledged", endpoint: { orgId } } });

  /** A lender with a webhook endpoint subscribed to every event, so acknowledgements queue deliveries to count. */
  async function lenderWithEndpoint() {
    const lender = await createLender(test.db);
    await test.db.webhookEndpoint.create({ data: { orgId: lender.orgId, url: `https://hooks.example.test/${lender.orgId}`, secretEncrypted: "unused", events: "*" } });
    return lender;
  }

  async function summaryAs(userId: string | null) {
    as(userId);
    const response = await getSummary(new Request("http://test.local/api/lender/alerts/summary"), { params: Promise.resolve({}) });
    return { status: response.status, body: await response.json() };
  }

  async function pageAs(userId: string | null, query: string) {
    as(userId);
    const response = await getPage(new Request(`http://test.local/api/lender/alerts${query}`), { params: Promise.resolve({}) });
    return { status: response.status, body: await response.json() };
  }

  // ───────────────────────────── acknowledge one or many ─────────────────────────────

  it("acknowledges several alerts in one go: each ACKNOWLEDGED by the analyst, audited and sent once; the open count drops by as many", async () => {
    const lender = await lenderWithEndpoint();
    const first = await loanWithAlerts(lender, [{ kind: "MARGIN_CALL", minutesAgo: 5 }, { kind: "EARLY_WARNING_1", minutesAgo: 50 }]);
    const second = await loanWithAlerts(lender, [{ kind: "FROZEN", minutesAgo: 1 }]);
    const ids = [...first.ids, ...second.ids];
    expect((await summaryAs(lender.userId)).body).toEqual({ open: { total: 3, critical: 2, warning: 1, info: 0 }, acknowledged: 0 });

    as(lender.userId);
    const result = await acknowledgeAlertsAction({ alertIds: [first.ids[0], second.ids[0]] });
    expect(result).toMatchObject({ ok: true, data: { changedIds: [first.ids[0], second.ids[0]] } });
    if (!result.ok) throw new Error("unreachable");
    expect(result.data.alerts.map((alert) => [alert.loanReference, alert.kind, alert.state])).toEqual([
      [first.loan.reference, "MARGIN_CALL", "ACKNOWLEDGED"],
      [second.loan.reference, "FROZEN", "ACKNOWLEDGED"],
    ]);

    const rows = await test.db.alert.findMany({ where: { id: { in: ids } } });
    expect(Object.fromEntries(rows.map((row) => [row.id, [row.state, row.acknowledgedById]]))).toEqual({
      [first.ids[0]]: ["ACKNOWLEDGED", lender.userId],
      [first.ids[1]]: ["OPEN", null],
      [second.ids[0]]: ["ACKNOWLEDGED", lender.userId],
    });
    expect(await auditCount(ids)).toBe(2);
    expect(await webhookCount(lender.orgId)).toBe(2);
    expect((await summaryAs(lender.userId)).body).toEqual({ open: { total: 1, critical: 0, warning: 1, info: 0 }, acknowledged: 2 });

    // The rows leave the open list and show under Acknowledged.
    expect((await pageAs(lender.userId, "?view=open")).body.data.map((row: { id: string }) => row.id)).toEqual([first.ids[1]]);
    expect((await pageAs(lender.userId, "?view=acknowledged")).body.data.map((row: { id: string }) => row.id)).toEqual([second.ids[0], first.ids[0]]);
  });

  it("a double click changes nothing the second time: already-acknowledged alerts are left as they were, and the rest of the batch goes through", async () => {
    const lender = await lenderWithEndpoint();
    const { ids } = await loanWithAlerts(lender, [{ kind: "MARGIN_CALL", minutesAgo: 5 }, { kind: "PAYMENT_OVERDUE", minutesAgo: 6 }]);
    as(lender.userId);
    expect(await acknowledgeAlertsAction({ alertIds: [ids[0]] })).toMatchObject({ ok: true, data: { changedIds: [ids[0]] } });
    const firstAck = await test.db.alert.findUniqueOrThrow({ where: { id: ids[0] } });

    expect(await acknowledgeAlertsAction({ alertIds: [ids[0], ids[1], ids[1]] })).toMatchObject({ ok: true, data: { changedIds: [ids[1]] } });
    expect(await test.db.alert.findUniqueOrThrow({ where: { id: ids[0] } })).toEqual(firstAck);
    expect(await auditCount(ids)).toBe(2);
    expect(await webhookCount(lender.orgId)).toBe(2);
  });

  it("TENANT ISOLATION: a batch holding another lender's alert id is 'not found' and acknowledges nothing, not even the lender's own", async () => {
    const northwind = await lenderWithEndpoint();
    const kestrel = await lenderWithEndpoint();
    const own = await loanWithAlerts(kestrel, [{ kind: "MARGIN_CALL", minutesAgo: 1 }, { kind: "EARLY_WARNING_1", minutesAgo: 2 }]);
    const foreign = await loanWithAlerts(northwind, [{ kind: "LIQUIDATION_ZONE", minutesAgo: 3 }]);
    const all = [...own.ids, ...foreign.ids];
    const before = await stateOf(all);

    as(kestrel.userId);
    const result = await acknowledgeAlertsAction({ alertIds: [own.ids[0], foreign.ids[0], own.ids[1]] });
    expect(result).toMatchObject({ ok: false, error: { code: "alert_not_found", field: "alertId" } });
    if (result.ok) throw new Error("unreachable");
    expect(result.error.message).toContain(foreign.ids[0]);
    expect(result.error.message).not.toContain(foreign.loan.reference);

    expect(await stateOf(all)).toEqual(before);
    expect(await auditCount(all)).toBe(0);
    expect(await webhookCount(kestrel.orgId)).toBe(0);
    expect(await webhookCount(northwind.orgId)).toBe(0);
    expect((await summaryAs(kestrel.userId)).body.open.total).toBe(2);
    expect((await summaryAs(northwind.userId)).body.open.total).toBe(1);
  });

  it("all or nothing: an unknown id, or an alert that resolved since it was listed, leaves every alert of the batch OPEN", async () => {
    const lender = await lenderWithEndpoint();
    const { ids } = await loanWithAlerts(lender, [{ kind: "MARGIN_CALL", minutesAgo: 1 }, { kind: "EARLY_WARNING_1", minutesAgo: 2 }, { kind: "BURN_ABOVE_PLAN", minutesAgo: 3 }]);
    const before = await stateOf(ids);
    as(lender.userId);

    expect(await acknowledgeAlertsAction({ alertIds: [ids[0], "no-such-alert"] })).toMatchObject({ ok: false, error: { code: "alert_not_found" } });
    expect(await stateOf(ids)).toEqual(before);

    await test.db.alert.update({ where: { id: ids[2] }, data: { state: "RESOLVED", resolvedAt: new Date(T0), openKey: null } });
    const resolved = await acknowledgeAlertsAction({ alertIds: [ids[0], ids[1], ids[2]] });
    expect(resolved).toMatchObject({ ok: false, error: { code: "alert_resolved", field: "alertIds" } });
    if (resolved.ok) throw new Error("unreachable");
    expect(resolved.error.message).toContain("no alert was acknowledged");
    expect((await test.db.alert.findMany({ where: { id: { in: [ids[0], ids[1]] } } })).map((row) => row.state)).toEqual(["OPEN", "OPEN"]);
    expect(await auditCount(ids)).toBe(0);
    expect(await webhookCount(lender.orgId)).toBe(0);
  });

  it.each([
    ["no alert at all", { alertIds: [] }, "alertIds"],
    ["a blank id in the batch", { alertIds: ["  "] }, "alertIds.0"],
    ["101 alerts at once (over a page)", { alertIds: Array.from({ length: 101 }, (_, i) => `alert-${i}`) }, "alertIds"],
  ])("refuses %s as a field error, changing nothing", async (_label, input, field) => {
    const lender = await createLender(test.db);
    const { ids } = await loanWithAlerts(lender, [{ kind: "MARGIN_CALL", minutesAgo: 1 }]);
    as(lender.userId);
    expect(await acknowledgeAlertsAction(input)).toMatchObject({ ok: false, error: { code: "invalid_request", field } });
    expect((await test.db.alert.findUniqueOrThrow({ where: { id: ids[0] } })).state).toBe("OPEN");
  });

  it("a startup and an admin cannot acknowledge (403), anonymous is a 401", async () => {
    const lender = await createLender(test.db);
    const { ids, startupUserId } = await loanWithAlerts(lender, [{ kind: "MARGIN_CALL", minutesAgo: 1 }]);
    const admin = await createUser(test.db, "PLATFORM");
    for (const userId of [startupUserId, admin.userId]) {
      as(userId);
      expect(await acknowledgeAlertsAction({ alertIds: ids })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    as(null);
    expect(await acknowledgeAlertsAction({ alertIds: ids })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect((await test.db.alert.findUniqueOrThrow({ where: { id: ids[0] } })).state).toBe("OPEN");
  });

  // ───────────────────────────── the inbox's order and paging ─────────────────────────────

  it("lists open alerts most severe first, newest first within a severity, across the lender's loans only", async () => {
    const lender = await createLender(test.db);
    const other = await createLender(test.db);
    await loanWithAlerts(other, [{ kind: "FROZEN", minutesAgo: 0 }]);
    const a = await loanWithAlerts(lender, [{ kind: "EARLY_WARNING_1", minutesAgo: 1 }, { kind: "MARGIN_CALL", minutesAgo: 30 }, { kind: "UNFROZEN", minutesAgo: 0 }]);
    const b = await loanWithAlerts(lender, [{ kind: "PAYMENT_OVERDUE", minutesAgo: 10 }, { kind: "BURN_ABOVE_PLAN", minutesAgo: 20 }]);

    const { status, body } = await pageAs(lender.userId, "");
    expect(status).toBe(200);
    expect(body).toMatchObject({ view: "open", hasMore: false, nextCursor: null });
    expect(body.data.map((row: { severity: string; kind: string; loanReference: string }) => [row.severity, row.kind, row.loanReference])).toEqual([
      ["critical", "PAYMENT_OVERDUE", b.loan.reference],
      ["critical", "MARGIN_CALL", a.loan.reference],
      ["warning", "EARLY_WARNING_1", a.loan.reference],
      ["warning", "BURN_ABOVE_PLAN", b.loan.reference],
      ["info", "UNFROZEN", a.loan.reference],
    ]);
    expect(body.data[0]).toMatchObject({ loanId: b.loan.id, startupName: expect.stringMatching(/^Startup /), coverageBps: 13_900, state: "OPEN", openedAt: new Date(T0 - 10 * MINUTE_MS).toISOString() });
  });

  it("pages by keyset without skipping or repeating a row, across severities and equal open times; a new alert lands on page one", async () => {
    const lender = await createLender(test.db);
    const kinds: AlertKind[] = ["MARGIN_CALL", "LIQUIDATION_ZONE", "FROZEN", "PAYMENT_OVERDUE", "EARLY_WARNING_1", "EARLY_WARNING_2", "BURN_ABOVE_PLAN", "UNFROZEN"];
    // Two loans with every kind, opened at the same instants: ties broken by id.
    for (let loan = 0; loan < 2; loan++) await loanWithAlerts(lender, kinds.map((kind, i) => ({ kind, minutesAgo: i % 3 })));
    const everything = await listLenderAlertInboxPage(test.db, lender.orgId, { limit: 100 });
    expect(everything.data).toHaveLength(16);

    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listLenderAlertInboxPage(test.db, lender.orgId, { limit: 3, after });
      seen.push(...page.data.map((row) => row.id));
      if (!page.hasMore) break;
      after = page.nextCursor;
    }
    expect(seen).toEqual(everything.data.map((row) => row.id));
    const rank = { critical: 0, warning: 1, info: 2 } as Record<string, number>;
    const keys = everything.data.map((row) => [rank[row.severity], -Date.parse(row.openedAt)]);
    expect(keys).toEqual([...keys].sort((x, y) => x[0] - y[0] || x[1] - y[1]));

    // Over HTTP: limit and cursor, and a newly opened critical alert tops page one.
    const first = await pageAs(lender.userId, "?limit=5");
    expect(first.body.data).toHaveLength(5);
    expect(first.body.hasMore).toBe(true);
    const second = await pageAs(lender.userId, `?limit=5&after=${first.body.nextCursor}`);
    expect(second.body.data.map((row: { id: string }) => row.id)).toEqual(everything.data.slice(5, 10).map((row) => row.id));
    const fresh = await loanWithAlerts(lender, [{ kind: "MARGIN_CALL", minutesAgo: -1 }]);
    expect((await pageAs(lender.userId, "?limit=5")).body.data[0].id).toBe(fresh.ids[0]);
  });

  it("views: acknowledged shows only acknowledged alerts, all shows every state including resolved", async () => {
    const lender = await createLender(test.db);
    const { ids } = await loanWithAlerts(lender, [{ kind: "MARGIN_CALL", minutesAgo: 1 }, { kind: "EARLY_WARNING_1", minutesAgo: 2 }, { kind: "BURN_ABOVE_PLAN", minutesAgo: 3 }]);
    as(lender.userId);
    await acknowledgeAlertsAction({ alertIds: [ids[1]] });
    await test.db.alert.update({ where: { id: ids[2] }, data: { state: "RESOLVED", resolvedAt: new Date(T0), openKey: null } });
    const idsOf = async (view: string) => (await listLenderAlertInboxPage(test.db, lender.orgId, { view: view as "open" })).data.map((row) => row.id);
    expect(await idsOf("open")).toEqual([ids[0]]);
    expect(await idsOf("acknowledged")).toEqual([ids[1]]);
    expect(await idsOf("all")).toEqual([ids[0], ids[1], ids[2]]);
    expect((await summaryAs(lender.userId)).body).toEqual({ open: { total: 1, critical: 1, warning: 0, info: 0 }, acknowledged: 1 });
  });

  it("refuses another lender's alert as a cursor, a bad view and a bad limit (400); a startup gets 403 and anonymous 401 on both routes", async () => {
    const lender = await createLender(test.db);
    const other = await createLender(test.db);
    const foreign = await loanWithAlerts(other, [{ kind: "MARGIN_CALL", minutesAgo: 1 }]);
    const { startupUserId } = await loanWithAlerts(lender, [{ kind: "MARGIN_CALL", minutesAgo: 1 }]);

    expect(await pageAs(lender.userId, `?after=${foreign.ids[0]}`)).toMatchObject({ status: 400, body: { error: { code: "invalid_request", param: "after" } } });
    expect(await pageAs(lender.userId, "?view=everything")).toMatchObject({ status: 400, body: { error: { code: "invalid_request", param: "view" } } });
    expect(await pageAs(lender.userId, "?limit=101")).toMatchObject({ status: 400, body: { error: { code: "invalid_request", param: "limit" } } });
    expect(await pageAs(lender.userId, "?limit=0")).toMatchObject({ status: 400, body: { error: { param: "limit" } } });

    expect((await summaryAs(startupUserId)).status).toBe(403);
    expect((await pageAs(startupUserId, "")).status).toBe(403);
    expect((await summaryAs(null)).status).toBe(401);
    expect((await pageAs(null, "")).status).toBe(401);
  });

  it("the summary counts only the lender's own alerts: OPEN by severity, ACKNOWLEDGED apart, RESOLVED not at all", async () => {
    const lender = await createLender(test.db);
    const other = await createLender(test.db);
    await loanWithAlerts(other, [{ kind: "MARGIN_CALL", minutesAgo: 1 }, { kind: "UNFROZEN", minutesAgo: 1 }]);
    expect((await summaryAs(lender.userId)).body).toEqual({ open: { total: 0, critical: 0, warning: 0, info: 0 }, acknowledged: 0 });
    const { ids } = await loanWithAlerts(lender, [{ kind: "FROZEN", minutesAgo: 1 }, { kind: "UNFROZEN", minutesAgo: 2 }, { kind: "EARLY_WARNING_2", minutesAgo: 3 }, { kind: "PAYMENT_OVERDUE", minutesAgo: 4 }]);
    await test.db.alert.update({ where: { id: ids[3] }, data: { state: "RESOLVED", resolvedAt: new Date(T0), openKey: null } });
    const { status, body } = await summaryAs(lender.userId);
    expect(status).toBe(200);
    expect(body).toEqual({ open: { total: 3, critical: 1, warning: 1, info: 1 }, acknowledged: 0 });
  });
});
