// The startup's usage explorer against real SQLite and PostgreSQL: keyset pages in every sort that
// neither skip nor repeat a request when many share one timestamp (or one cost), forwards and back;
// the filters (UTC days, model, provider, key, no key, status); one organisation never sees
// another's events or keys; each row's detail (key, hold, route); and the CSV export, streamed
// through the route in keyset batches with the same filters and exact dollar amounts.
import { expect, it, vi } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { createUser } from "@/test/collateral-world";
import { describeEachProvider } from "@/test/databases";
import { decodeUsageCursor, usageFiltersSchema, type UsageFilters, type UsageSort } from "@/lib/domain/usage/explorer";
import { getUsageFilterOptions, iterateUsageEvents, listUsagePage, USAGE_CSV_HEADERS, type UsageRowDto } from "./startup-usage";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { GET: exportUsage } = await import("@/app/api/startup/usage/export/route");

let counter = 0;
const unique = () => `${Date.now().toString(36)}${++counter}${Math.random().toString(36).slice(2, 6)}`;
const SAME_INSTANT = new Date("2026-02-10T09:30:00.123Z");

/**
 * Two startups. The first: a live key and a revoked one, 11 requests — 7 in one millisecond (4 of
 * them costing the same), one with no key, one at each edge of February — with rollups, a hold and
 * a catalog route. The second: 3 requests of its own in the same millisecond, on its own key.
 */
async function usageWorld(db: Db) {
  const suffix = unique();
  const model = `gpt-${suffix}`;
  const otherModel = `haiku-${suffix}`;
  const provider = `sim-${suffix}`;
  const backup = `sim-backup-${suffix}`;
  const org = await db.organization.create({ data: { name: `Usage Startup ${suffix}`, slug: `usage-${suffix}`, kind: "STARTUP" } });
  const cto = await db.user.create({ data: { orgId: org.id, email: `cto.${suffix}@example.test`, name: "Ada", passwordHash: "x", role: "startup" } });
  const live = await db.apiKey.create({ data: { orgId: org.id, name: "Production", prefix: `sk-bl-${suffix.slice(0, 4)}`, hash: `h1-${suffix}` } });
  const revoked = await db.apiKey.create({ data: { orgId: org.id, name: "Old laptop", prefix: `sk-bl-${suffix.slice(-4)}`, hash: `h2-${suffix}`, revokedAt: new Date("2026-02-15T00:00:00Z") } });
  const other = await db.organization.create({ data: { name: `Other Startup ${suffix}`, slug: `other-${suffix}`, kind: "STARTUP" } });
  const otherKey = await db.apiKey.create({ data: { orgId: other.id, name: "Their key", prefix: `sk-bl-x${suffix.slice(0, 3)}`, hash: `h3-${suffix}` } });

  type Event = { at: Date; model: string; provider: string; keyId: string | null; status: string; costMicros: bigint; orgId?: string };
  const events: Event[] = [
    { at: new Date("2026-01-31T23:59:59.999Z"), model: otherModel, provider: backup, keyId: revoked.id, status: "error", costMicros: 0n },
    { at: new Date("2026-02-01T00:00:00.000Z"), model, provider: backup, keyId: null, status: "ok", costMicros: 1_234_567n },
    ...[100n, 250n, 100n, 100n, 7n, 100n, 9_007_199_254_740_993n].map((costMicros): Event => ({ at: SAME_INSTANT, model, provider, keyId: live.id, status: "ok", costMicros })),
    { at: new Date("2026-02-28T23:59:59.999Z"), model: otherModel, provider, keyId: live.id, status: "aborted", costMicros: 50n },
    { at: new Date("2026-03-01T00:00:00.000Z"), model, provider, keyId: live.id, status: "frozen", costMicros: 0n },
    ...[1n, 2n, 3n].map((costMicros): Event => ({ at: SAME_INSTANT, model, provider, keyId: otherKey.id, status: "ok", costMicros, orgId: other.id })),
  ];
  let index = 0;
  for (const event of events) {
    index++;
    await db.usageEvent.create({
      data: {
        orgId: event.orgId ?? org.id,
        apiKeyId: event.keyId,
        requestId: `req-${suffix}-${index}`,
        modelSlug: event.model,
        providerSlug: event.provider,
        endpoint: "chat.completions",
        inputTokens: 1_000 + index,
        outputTokens: 200 + index,
        costMicros: event.costMicros,
        latencyMs: 300 + index,
        status: event.status,
        createdAt: event.at,
      },
    });
  }
  await db.usageDaily.createMany({
    data: [
      { orgId: org.id, day: "2026-02-10", modelSlug: model, providerSlug: provider, requests: 7 },
      { orgId: org.id, day: "2026-01-31", modelSlug: otherModel, providerSlug: backup, requests: 1 },
      { orgId: other.id, day: "2026-02-10", modelSlug: `their-${suffix}`, providerSlug: `their-provider-${suffix}`, requests: 3 },
    ],
  });
  // The request with no key: its hold, and the catalog's route for its model on the backup provider.
  await db.hold.create({ data: { orgId: org.id, requestId: `req-${suffix}-2`, amountMicros: 5_000_000n, status: "SETTLED", settledMicros: 1_234_567n, expiresAt: new Date("2026-02-01T00:05:00Z"), createdAt: new Date("2026-01-31T23:59:58.000Z"), resolvedAt: new Date("2026-02-01T00:00:00.000Z") } });
  const catalogModel = await db.model.create({ data: { slug: model, displayName: "GPT test", kind: "chat" } });
  const backupProvider = await db.provider.create({ data: { slug: backup, name: "Backup region", kind: "simulator" } });
  await db.modelRoute.create({ data: { modelId: catalogModel.id, providerId: backupProvider.id, upstreamModel: `upstream/${model}`, inputPriceMicrosPerMTokens: 1n, outputPriceMicrosPerMTokens: 1n } });
  return { org, cto, other, live, revoked, otherKey, suffix, model, otherModel, provider, backup };
}

const filtersOf = (input: Partial<UsageFilters> = {}): UsageFilters => usageFiltersSchema.parse(input);

async function allRows(db: Db, orgId: string, filters: Partial<UsageFilters> = {}) {
  const rows: UsageRowDto[] = [];
  for await (const batch of iterateUsageEvents(db, { orgId, filters: filtersOf(filters) }, 2)) rows.push(...batch);
  return rows;
}

/** Pages through with `limit`, then back again; returns the pages' request ids. */
async function walkPages(db: Db, orgId: string, sort: UsageSort, limit: number) {
  const filters = filtersOf({ sort });
  const pages: string[][] = [];
  let page = await listUsagePage(db, { orgId, filters, limit });
  expect(page.previousCursor).toBeNull();
  pages.push(page.rows.map((row) => row.requestId));
  while (page.nextCursor) {
    page = await listUsagePage(db, { orgId, filters, limit, after: decodeUsageCursor(page.nextCursor, sort) });
    pages.push(page.rows.map((row) => row.requestId));
  }
  const back: string[][] = [pages[pages.length - 1]];
  while (page.previousCursor) {
    page = await listUsagePage(db, { orgId, filters, limit, before: decodeUsageCursor(page.previousCursor, sort) });
    back.unshift(page.rows.map((row) => row.requestId));
  }
  return { pages, back };
}

await describeEachProvider("the startup's usage explorer", (provider) => {
  const test = useActionDatabase(provider);

  it.each<[UsageSort, object[]]>([
    ["time_desc", [{ createdAt: "desc" }, { id: "desc" }]],
    ["time_asc", [{ createdAt: "asc" }, { id: "asc" }]],
    ["cost_desc", [{ costMicros: "desc" }, { id: "desc" }]],
  ])("pages %s 3 at a time through 11 requests, 7 in one millisecond and 4 at one cost: none skipped or repeated, and back again", async (sort, orderBy) => {
    const world = await usageWorld(test.db);
    const expected = await test.db.usageEvent.findMany({ where: { orgId: world.org.id }, orderBy, select: { requestId: true } });
    expect(expected).toHaveLength(11);
    const { pages, back } = await walkPages(test.db, world.org.id, sort, 3);
    expect(pages.map((ids) => ids.length)).toEqual([3, 3, 3, 2]);
    expect(pages.flat()).toEqual(expected.map((row) => row.requestId));
    expect(back).toEqual(pages);
    // The export walks the same order, 2 at a time.
    expect((await allRows(test.db, world.org.id, { sort })).map((row) => row.requestId)).toEqual(expected.map((row) => row.requestId));
  });

  it("a page size that divides the rows exactly ends without an empty page; a cursor from another sort starts from the first page", async () => {
    const world = await usageWorld(test.db);
    const { pages } = await walkPages(test.db, world.org.id, "time_desc", 11);
    expect(pages.map((ids) => ids.length)).toEqual([11]);
    const first = await listUsagePage(test.db, { orgId: world.org.id, filters: filtersOf({ sort: "cost_desc" }), limit: 3, after: decodeUsageCursor("t1_x", "cost_desc") });
    expect(first.previousCursor).toBeNull();
    expect(first.rows.map((row) => row.costMicros)).toEqual(["9007199254740993", "1234567", "250"]);
  });

  it("filters by model, provider, key, no key, status and UTC days (both ends inclusive)", async () => {
    const world = await usageWorld(test.db);
    const count = async (filters: Partial<UsageFilters>) => (await allRows(test.db, world.org.id, filters)).length;
    expect(await count({})).toBe(11);
    expect(await count({ model: world.model })).toBe(9);
    expect(await count({ model: world.otherModel })).toBe(2);
    expect(await count({ provider: world.backup })).toBe(2);
    expect(await count({ model: world.model, provider: world.backup })).toBe(1);
    expect(await count({ key: world.live.id })).toBe(9);
    expect(await count({ key: world.revoked.id })).toBe(1);
    expect(await count({ key: "none" })).toBe(1);
    expect(await count({ status: "ok" })).toBe(8);
    expect(await count({ status: "error" })).toBe(1);
    expect(await count({ status: "aborted" })).toBe(1);
    expect(await count({ status: "frozen" })).toBe(1);
    expect(await count({ from: "2026-02-01", to: "2026-02-28" })).toBe(9);
    expect(await count({ from: "2026-03-01" })).toBe(1);
    expect(await count({ to: "2026-01-31" })).toBe(1);
    expect(await count({ from: "2026-02-10", to: "2026-02-10", status: "ok", key: world.live.id })).toBe(7);
    expect(await count({ model: "no-such-model" })).toBe(0);
  });

  it("one organisation never sees another's events or keys: a foreign key id as the filter matches nothing", async () => {
    const world = await usageWorld(test.db);
    const mine = await allRows(test.db, world.org.id);
    expect(mine.every((row) => row.requestId.startsWith(`req-${world.suffix}-`) && row.apiKey?.id !== world.otherKey.id)).toBe(true);
    expect(mine.map((row) => row.requestId)).not.toEqual(expect.arrayContaining([`req-${world.suffix}-12`]));
    expect(await allRows(test.db, world.org.id, { key: world.otherKey.id })).toEqual([]);
    expect((await listUsagePage(test.db, { orgId: world.org.id, filters: filtersOf({ key: world.otherKey.id }) })).rows).toEqual([]);
    const theirs = await allRows(test.db, world.other.id);
    expect(theirs.map((row) => row.apiKey?.name)).toEqual(["Their key", "Their key", "Their key"]);
    expect(await allRows(test.db, world.other.id, { key: world.live.id })).toEqual([]);

    const options = await getUsageFilterOptions(test.db, world.org.id);
    expect(options.models).toEqual([world.model, world.otherModel].sort((a, b) => a.localeCompare(b, "en")));
    expect(options.providers).toEqual([world.backup, world.provider].sort((a, b) => a.localeCompare(b, "en")));
    expect(options.keys.map((key) => [key.name, key.isRevoked])).toEqual([
      ["Production", false],
      ["Old laptop", true],
    ]);
  });

  it("each row names its key (revoked or not, or none) and carries its hold and the catalog's route", async () => {
    const world = await usageWorld(test.db);
    const page = await listUsagePage(test.db, { orgId: world.org.id, filters: filtersOf({ sort: "time_asc" }), limit: 20 });
    const [first, second] = page.rows;
    expect(first).toMatchObject({ requestId: `req-${world.suffix}-1`, apiKey: { id: world.revoked.id, name: "Old laptop", prefix: world.revoked.prefix, isRevoked: true }, status: "error", costMicros: "0", at: "2026-01-31T23:59:59.999Z" });
    expect(first.detail).toEqual({ hold: null, route: null });
    expect(second).toMatchObject({ requestId: `req-${world.suffix}-2`, apiKey: null, modelSlug: world.model, providerSlug: world.backup, inputTokens: 1_002, outputTokens: 202, latencyMs: 302 });
    expect(second.detail).toEqual({
      hold: { reservedMicros: "5000000", settledMicros: "1234567", status: "SETTLED", startedAt: "2026-01-31T23:59:58.000Z", resolvedAt: "2026-02-01T00:00:00.000Z" },
      route: { providerName: "Backup region", providerKind: "simulator", upstreamModel: `upstream/${world.model}`, isEnabled: true },
    });
    expect(page.rows[2].apiKey).toEqual({ id: world.live.id, name: "Production", prefix: world.live.prefix, isRevoked: false });
  });

  it("the export reads in keyset batches of the size asked, never more", async () => {
    const world = await usageWorld(test.db);
    const sizes: number[] = [];
    for await (const batch of iterateUsageEvents(test.db, { orgId: world.org.id, filters: filtersOf() }, 4)) sizes.push(batch.length);
    expect(sizes).toEqual([4, 4, 3]);
    const exact: number[] = [];
    for await (const batch of iterateUsageEvents(test.db, { orgId: world.org.id, filters: filtersOf({ model: world.model }) }, 3)) exact.push(batch.length);
    expect(exact).toEqual([3, 3, 3]);
  });

  it("the CSV export streams the caller's filtered set with exact dollars; another organisation's key yields only the header; bad dates are a 400; a lender may not export", async () => {
    const world = await usageWorld(test.db);
    signInAs(world.cto.id);
    const get = (query: string) => exportUsage(new Request(`http://localhost/api/startup/usage/export${query}`), { params: Promise.resolve({}) });
    const linesOf = async (response: Response) => (await response.text()).replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);

    const response = await get("?from=2026-02-01&to=2026-02-28&sort=cost_desc");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="blockable-usage-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = await linesOf(response);
    expect(lines[0]).toBe(USAGE_CSV_HEADERS.join(","));
    expect(lines).toHaveLength(1 + 9);
    expect(lines[1]).toBe(`2026-02-10T09:30:00.123Z,req-${world.suffix}-9,Production,${world.live.prefix},${world.model},${world.provider},chat.completions,1009,209,9007199254.740993,309,ok`);
    expect(lines[2]).toBe(`2026-02-01T00:00:00.000Z,req-${world.suffix}-2,,,${world.model},${world.backup},chat.completions,1002,202,1.234567,302,ok`);
    expect(lines.some((line) => line.includes(`req-${world.suffix}-1,`))).toBe(false); // 31 January is outside the range

    const everything = await linesOf(await get(""));
    expect(everything).toHaveLength(1 + 11);
    expect(everything.some((line) => line.includes("Their key"))).toBe(false);

    expect(await linesOf(await get(`?key=${world.otherKey.id}`))).toEqual([USAGE_CSV_HEADERS.join(",")]);

    const bad = await get("?from=2026-02-30");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("not a real calendar date");

    const admin = await createUser(test.db, "PLATFORM");
    signInAs(admin.userId);
    expect((await get("")).status).toBe(403);
  });
});
