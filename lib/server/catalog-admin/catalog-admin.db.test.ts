// The routing catalogue's admin services against real SQLite and PostgreSQL: a change reaches every
// instance's catalogue cache on its next lookup (two caches over two clients of one database stand
// for two app instances); a price change leaves recorded usage alone and bills the next request at
// the new price; upstream keys are sealed, never audited, never listed; "Test connection" reaches
// the upstream through its adapter without charging anyone or touching the circuit breaker.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openSecret } from "@/lib/server/crypto/secret-box";
import { createDb, type Db } from "@/lib/server/db/client";
import { breakerStates, reportFailure, resetBreakers } from "@/lib/server/routing/breakers";
import { createCatalogCache, invalidateCatalog, readCatalogVersion } from "@/lib/server/routing/catalog";
import { createUser } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { startFakeUpstream, type FakeUpstream } from "@/test/fake-upstream";
import { startGatewayServer } from "@/test/gateway-server";
import { createCatalog, createStartupWithKey } from "@/test/routing-world";
import { addRoute, changeRoutePrice, createModel, removeRoute, updateModel, updateRoute } from "./models";
import { createProvider, setProviderEnabled, updateProvider } from "./providers";
import { listModelsForAdmin, listProvidersForAdmin } from "./queries";
import { testProviderConnection } from "./test-connection";

const USD = 1_000_000n;
const UPSTREAM_KEY = "sk-upstream-secret-0123456789";

const providerFields = { name: "Fake", kind: "openai_compatible" as const, baseUrl: "", timeoutMs: 5_000, breakerFailures: 3, breakerCooldownMs: 30_000, isEnabled: true };

await describeEachProvider("catalogue admin", (provider) => {
  let test: TestDatabase;
  let secondClient: Db;
  let gateway: Awaited<ReturnType<typeof startGatewayServer>>;
  let upstream: FakeUpstream;
  let actor: { actorUserId: string };
  let sequence = 0;
  const unique = (prefix: string) => `${prefix}-${++sequence}`;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    // A second client of the same database: what a second app instance holds.
    secondClient = createDb(test.url).db;
    upstream = await startFakeUpstream({ outputTokens: 3, requireApiKey: UPSTREAM_KEY });
    await createCatalog(test.db, [{ slug: "sim", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 0 } }], [
      { slug: "priced-chat", routes: [{ provider: "sim", inputPrice: 1_000_000n, outputPrice: 2_000_000n }] },
    ]);
    invalidateCatalog(test.db);
    gateway = await startGatewayServer(test.db);
    actor = { actorUserId: (await createUser(test.db, "PLATFORM")).userId };
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await secondClient?.$disconnect();
    await test?.drop();
  });

  beforeEach(() => resetBreakers());

  async function routeOf(modelSlug: string) {
    return test.db.modelRoute.findFirstOrThrow({ where: { model: { slug: modelSlug } } });
  }

  async function auditDetails(action: string) {
    const rows = await test.db.auditLog.findMany({ where: { action }, orderBy: { at: "asc" } });
    return rows.map((row) => ({ ...row, detail: JSON.parse(row.detailJson) as Record<string, unknown> }));
  }

  describe("a change takes effect on the next request on every instance", () => {
    it("two instances' caches (two clients of one database) both see a new price on their next lookup", async () => {
      const instanceA = createCatalogCache();
      const instanceB = createCatalogCache();
      const priceOn = async (cache: ReturnType<typeof createCatalogCache>, db: Db) => (await cache.get(db)).get("priced-chat")!.routes[0].inputPriceMicrosPerMTokens;
      const route = await routeOf("priced-chat");
      await changeRoutePrice(test.db, { routeId: route.id, inputPriceUsdPerM: "1", outputPriceUsdPerM: "2" }, actor);
      expect(await priceOn(instanceA, test.db)).toBe(1_000_000n);
      expect(await priceOn(instanceB, secondClient)).toBe(1_000_000n);

      // Both caches hold the catalogue: a row written behind the app's back (no version bump) is not seen…
      await test.db.modelRoute.update({ where: { id: route.id }, data: { inputPriceMicrosPerMTokens: 9n } });
      expect(await priceOn(instanceA, test.db)).toBe(1_000_000n);
      expect(await priceOn(instanceB, secondClient)).toBe(1_000_000n);

      // …while an admin change, which bumps the version in its transaction, is seen by both at once.
      const versionBefore = await readCatalogVersion(test.db);
      await changeRoutePrice(test.db, { routeId: route.id, inputPriceUsdPerM: "1.25", outputPriceUsdPerM: "2" }, actor);
      expect(await readCatalogVersion(secondClient)).not.toBe(versionBefore);
      expect(await priceOn(instanceA, test.db)).toBe(1_250_000n);
      expect(await priceOn(instanceB, secondClient)).toBe(1_250_000n);
      await changeRoutePrice(test.db, { routeId: route.id, inputPriceUsdPerM: "1", outputPriceUsdPerM: "2" }, actor);
    });

    it("every kind of admin change bumps the version: provider, model and route create, edit, enable and remove", async () => {
      const versions = new Set([await readCatalogVersion(test.db)]);
      const bumped = async () => {
        const version = await readCatalogVersion(test.db);
        expect(versions.has(version)).toBe(false);
        versions.add(version);
      };
      const created = await createProvider(test.db, { ...providerFields, slug: unique("bump"), apiKey: "" }, actor);
      await bumped();
      await updateProvider(test.db, { ...providerFields, providerId: created.id, name: "Renamed", apiKeyChange: "keep", apiKey: "" }, actor);
      await bumped();
      await setProviderEnabled(test.db, { providerId: created.id, isEnabled: false }, actor);
      await bumped();
      const model = await createModel(test.db, { slug: unique("bump-model"), displayName: "Bump", kind: "chat", ownedBy: "test", contextWindow: 8_000, routingPolicy: "PRIORITY", isEnabled: true }, actor);
      await bumped();
      await updateModel(test.db, { modelId: model.id, displayName: "Bump 2", kind: "chat", ownedBy: "test", contextWindow: 8_000, routingPolicy: "CHEAPEST", isEnabled: true }, actor);
      await bumped();
      const route = await addRoute(test.db, { modelId: model.id, providerId: created.id, upstreamModel: "up", priority: 0, isEnabled: true, inputPriceUsdPerM: "0.15", outputPriceUsdPerM: "0.6" }, actor);
      await bumped();
      await updateRoute(test.db, { routeId: route.id, upstreamModel: "up-2", priority: 3, isEnabled: false }, actor);
      await bumped();
      await removeRoute(test.db, { routeId: route.id }, actor);
      await bumped();
      // An edit that changes nothing writes nothing: no audit, no reload anywhere.
      const before = await readCatalogVersion(test.db);
      await setProviderEnabled(test.db, { providerId: created.id, isEnabled: false }, actor);
      expect(await readCatalogVersion(test.db)).toBe(before);
    });
  });

  describe("a price change never rewrites past usage", () => {
    it("usage recorded, price changed: the old event keeps its cost and the next request is billed at the new price", async () => {
      const { org, plaintext } = await createStartupWithKey(test.db, { creditsMicros: 10n * USD });
      const chat = async () => {
        const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${plaintext}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "priced-chat", messages: [{ role: "user", content: "price me" }], max_tokens: 10 }),
        });
        expect(response.status).toBe(200);
        return (await response.json()) as { usage: { prompt_tokens: number; completion_tokens: number }; x_blockable: { request_id: string; cost_micros: string } };
      };
      // ceil((in × inPrice + out × outPrice) / 1e6), DESIGN.md.
      const costAt = (reply: Awaited<ReturnType<typeof chat>>, inPrice: bigint, outPrice: bigint) =>
        (BigInt(reply.usage.prompt_tokens) * inPrice + BigInt(reply.usage.completion_tokens) * outPrice + 999_999n) / 1_000_000n;

      const first = await chat();
      expect(BigInt(first.x_blockable.cost_micros)).toBe(costAt(first, 1_000_000n, 2_000_000n));
      const route = await routeOf("priced-chat");
      await changeRoutePrice(test.db, { routeId: route.id, inputPriceUsdPerM: "30", outputPriceUsdPerM: "60.5" }, actor);

      const second = await chat();
      expect(BigInt(second.x_blockable.cost_micros)).toBe(costAt(second, 30_000_000n, 60_500_000n));
      const events = await test.db.usageEvent.findMany({ where: { orgId: org.id }, orderBy: { createdAt: "asc" } });
      expect(events.map((event) => [event.requestId, event.costMicros])).toEqual([
        [first.x_blockable.request_id, costAt(first, 1_000_000n, 2_000_000n)],
        [second.x_blockable.request_id, costAt(second, 30_000_000n, 60_500_000n)],
      ]);
      const [audit] = (await auditDetails("modelRoute.priceChanged")).filter((row) => row.targetId === route.id).slice(-1);
      expect(audit.detail).toMatchObject({
        model: "priced-chat",
        provider: "sim",
        before: { inputPriceMicrosPerMTokens: "1000000", outputPriceMicrosPerMTokens: "2000000" },
        after: { inputPriceMicrosPerMTokens: "30000000", outputPriceMicrosPerMTokens: "60500000" },
      });
      await changeRoutePrice(test.db, { routeId: route.id, inputPriceUsdPerM: "1", outputPriceUsdPerM: "2" }, actor);
    });

    it("prices are parsed exactly into µUSD; a bad one is refused with nothing written", async () => {
      const route = await routeOf("priced-chat");
      await changeRoutePrice(test.db, { routeId: route.id, inputPriceUsdPerM: "0.000001", outputPriceUsdPerM: "$1,234.567891" }, actor);
      expect(await routeOf("priced-chat")).toMatchObject({ inputPriceMicrosPerMTokens: 1n, outputPriceMicrosPerMTokens: 1_234_567_891n });
      const version = await readCatalogVersion(test.db);
      await expect(changeRoutePrice(test.db, { routeId: route.id, inputPriceUsdPerM: "0.0000001", outputPriceUsdPerM: "1" }, actor)).rejects.toThrow(/at most 6/);
      await expect(changeRoutePrice(test.db, { routeId: route.id, inputPriceUsdPerM: "-1", outputPriceUsdPerM: "1" }, actor)).rejects.toThrow(/negative/);
      expect(await readCatalogVersion(test.db)).toBe(version);
      expect(await routeOf("priced-chat")).toMatchObject({ inputPriceMicrosPerMTokens: 1n, outputPriceMicrosPerMTokens: 1_234_567_891n });
      await changeRoutePrice(test.db, { routeId: route.id, inputPriceUsdPerM: "1", outputPriceUsdPerM: "2" }, actor);
    });
  });

  describe("providers", () => {
    it("the upstream key is sealed at rest, never listed and never audited; it can be replaced and cleared", async () => {
      const slug = unique("keyed");
      const created = await createProvider(test.db, { ...providerFields, slug, baseUrl: upstream.url, apiKey: UPSTREAM_KEY }, actor);
      const row = await test.db.provider.findUniqueOrThrow({ where: { id: created.id } });
      expect(row.apiKeyEncrypted).not.toContain(UPSTREAM_KEY);
      expect(openSecret(row.apiKeyEncrypted!)).toBe(UPSTREAM_KEY);
      const listed = (await listProvidersForAdmin(test.db)).find((p) => p.id === created.id)!;
      expect(listed).toMatchObject({ slug, hasApiKey: true, baseUrl: upstream.url });
      expect(JSON.stringify(listed)).not.toContain(UPSTREAM_KEY);
      expect(JSON.stringify(listed)).not.toContain(row.apiKeyEncrypted!);

      await updateProvider(test.db, { ...providerFields, providerId: created.id, baseUrl: upstream.url, apiKeyChange: "replace", apiKey: "sk-replaced-key-abcdef" }, actor);
      expect(openSecret((await test.db.provider.findUniqueOrThrow({ where: { id: created.id } })).apiKeyEncrypted!)).toBe("sk-replaced-key-abcdef");
      await updateProvider(test.db, { ...providerFields, providerId: created.id, baseUrl: upstream.url, timeoutMs: 7_000, apiKeyChange: "clear", apiKey: "" }, actor);
      expect((await test.db.provider.findUniqueOrThrow({ where: { id: created.id } })).apiKeyEncrypted).toBeNull();

      const audits = (await test.db.auditLog.findMany({ where: { targetId: created.id }, orderBy: { at: "asc" } })).map((a) => a.detailJson);
      expect(audits).toHaveLength(3);
      for (const detail of audits) {
        expect(detail).not.toContain(UPSTREAM_KEY);
        expect(detail).not.toContain("sk-replaced-key-abcdef");
        expect(detail).not.toContain("v1:");
      }
      expect(JSON.parse(audits[1])).toMatchObject({ apiKey: "replaced" });
      expect(JSON.parse(audits[2])).toMatchObject({ apiKey: "cleared", before: { timeoutMs: 5_000, hasApiKey: true }, after: { timeoutMs: 7_000, hasApiKey: false } });
    });

    it("a taken slug is refused on the slug field, nothing written", async () => {
      const count = await test.db.provider.count();
      await expect(createProvider(test.db, { ...providerFields, slug: "sim", apiKey: "" }, actor)).rejects.toMatchObject({ status: 409, param: "slug" });
      expect(await test.db.provider.count()).toBe(count);
    });

    it("disabling a provider takes its routes out of the next request on every instance, audited before and after", async () => {
      const instance = createCatalogCache();
      const sim = await test.db.provider.findUniqueOrThrow({ where: { slug: "sim" } });
      expect((await instance.get(test.db)).get("priced-chat")!.routes[0].isProviderEnabled).toBe(true);
      await setProviderEnabled(test.db, { providerId: sim.id, isEnabled: false }, actor);
      expect((await instance.get(test.db)).get("priced-chat")!.routes[0].isProviderEnabled).toBe(false);
      await setProviderEnabled(test.db, { providerId: sim.id, isEnabled: true }, actor);
      const [disabled] = (await auditDetails("provider.disabled")).filter((row) => row.targetId === sim.id);
      expect(disabled.detail).toMatchObject({ slug: "sim", before: { isEnabled: true }, after: { isEnabled: false } });
    });

    it("the circuit state is shown as this instance sees it: failures, open with when it reopens, half-open after the cooldown", async () => {
      const sim = await test.db.provider.findUniqueOrThrow({ where: { slug: "sim" } });
      const now = Date.now();
      reportFailure(sim.id, now, 3);
      expect((await listProvidersForAdmin(test.db, now)).find((p) => p.id === sim.id)!.circuit).toEqual({ status: "closed", consecutiveFailures: 1, failureThreshold: 3, reopensAt: null });
      reportFailure(sim.id, now, 3);
      reportFailure(sim.id, now, 3);
      const open = (await listProvidersForAdmin(test.db, now)).find((p) => p.id === sim.id)!.circuit;
      expect(open).toEqual({ status: "open", consecutiveFailures: 3, failureThreshold: 3, reopensAt: new Date(now + sim.breakerCooldownMs).toISOString() });
      expect((await listProvidersForAdmin(test.db, now + sim.breakerCooldownMs)).find((p) => p.id === sim.id)!.circuit.status).toBe("half_open");
    });
  });

  describe("test connection", () => {
    it("the simulator answers locally: success with a latency, nobody charged, the breaker untouched", async () => {
      const sim = await test.db.provider.findUniqueOrThrow({ where: { slug: "sim" } });
      const usageBefore = await test.db.usageEvent.count();
      const entriesBefore = await test.db.ledgerEntry.count();
      const result = await testProviderConnection(test.db, { providerId: sim.id });
      expect(result).toMatchObject({ isOk: true, upstreamModel: "priced-chat-upstream" });
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      expect(await test.db.usageEvent.count()).toBe(usageBefore);
      expect(await test.db.ledgerEntry.count()).toBe(entriesBefore);
      expect(breakerStates().has(sim.id)).toBe(false);
    });

    it("an OpenAI-compatible upstream is called with the stored key; a wrong key or a dead address fails with the reason and leaves the breaker alone", async () => {
      const good = await createProvider(test.db, { ...providerFields, slug: unique("fake-ok"), baseUrl: upstream.url, apiKey: UPSTREAM_KEY }, actor);
      const model = await createModel(test.db, { slug: unique("fake-chat"), displayName: "Fake chat", kind: "chat", ownedBy: "test", contextWindow: 8_000, routingPolicy: "PRIORITY", isEnabled: true }, actor);
      await addRoute(test.db, { modelId: model.id, providerId: good.id, upstreamModel: "fake-upstream-model", priority: 0, isEnabled: true, inputPriceUsdPerM: "1", outputPriceUsdPerM: "1" }, actor);
      upstream.reset();
      expect(await testProviderConnection(test.db, { providerId: good.id })).toMatchObject({ isOk: true, upstreamModel: "fake-upstream-model" });
      expect(upstream.lastRequest).toMatchObject({ path: "/chat/completions", body: { model: "fake-upstream-model", max_tokens: 1 } });
      expect(upstream.lastRequest!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);

      await updateProvider(test.db, { ...providerFields, providerId: good.id, baseUrl: upstream.url, apiKeyChange: "replace", apiKey: "sk-wrong-key-000000" }, actor);
      const refused = await testProviderConnection(test.db, { providerId: good.id });
      expect(refused.isOk).toBe(false);
      expect(refused.message).toMatch(/credentials/);
      expect(refused.message).not.toContain("sk-wrong-key-000000");

      const dead = await createProvider(test.db, { ...providerFields, slug: unique("fake-dead"), baseUrl: "http://127.0.0.1:9", apiKey: "" }, actor);
      await addRoute(test.db, { modelId: model.id, providerId: dead.id, upstreamModel: "x", priority: 1, isEnabled: true, inputPriceUsdPerM: "1", outputPriceUsdPerM: "1" }, actor);
      const unreachable = await testProviderConnection(test.db, { providerId: dead.id });
      expect(unreachable).toMatchObject({ isOk: false });
      expect(unreachable.message).toMatch(/connect/i);
      expect(breakerStates().size).toBe(0);
    });

    it("a remote provider without a route says what to do instead of guessing a model", async () => {
      const bare = await createProvider(test.db, { ...providerFields, slug: unique("bare"), baseUrl: upstream.url, apiKey: "" }, actor);
      expect(await testProviderConnection(test.db, { providerId: bare.id })).toMatchObject({ isOk: false, message: expect.stringMatching(/Add a route/) });
    });
  });

  describe("models and routes", () => {
    it("lists models with their routes and exact prices; a second route through the same provider is refused on its field", async () => {
      const models = await listModelsForAdmin(test.db);
      const priced = models.find((m) => m.slug === "priced-chat")!;
      expect(priced.routes).toEqual([expect.objectContaining({ providerSlug: "sim", inputPriceMicrosPerMTokens: "1000000", outputPriceMicrosPerMTokens: "2000000", isProviderEnabled: true })]);
      await expect(
        addRoute(test.db, { modelId: priced.id, providerId: priced.routes[0].providerId, upstreamModel: "dup", priority: 1, isEnabled: true, inputPriceUsdPerM: "1", outputPriceUsdPerM: "1" }, actor),
      ).rejects.toMatchObject({ status: 409, param: "providerId" });
      await expect(createModel(test.db, { slug: "priced-chat", displayName: "Dup", kind: "chat", ownedBy: "x", contextWindow: 1, routingPolicy: "PRIORITY", isEnabled: true }, actor)).rejects.toMatchObject({ status: 409, param: "slug" });
    });

    it("a disabled model leaves the catalogue on the next lookup and comes back when enabled", async () => {
      const instance = createCatalogCache();
      const model = await createModel(test.db, { slug: unique("toggle-chat"), displayName: "Toggle", kind: "chat", ownedBy: "x", contextWindow: 1_000, routingPolicy: "PRIORITY", isEnabled: true }, actor);
      expect((await instance.get(test.db)).has(model.slug)).toBe(true);
      await updateModel(test.db, { modelId: model.id, displayName: "Toggle", kind: "chat", ownedBy: "x", contextWindow: 1_000, routingPolicy: "PRIORITY", isEnabled: false }, actor);
      expect((await instance.get(test.db)).has(model.slug)).toBe(false);
      const [audit] = (await auditDetails("model.updated")).filter((row) => row.targetId === model.id);
      expect(audit.detail).toEqual({ slug: model.slug, before: { isEnabled: true }, after: { isEnabled: false } });
    });
  });
});
