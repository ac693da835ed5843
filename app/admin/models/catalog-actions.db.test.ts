// The catalogue's server actions with the real guard (only the session and Next's cache are
// stubbed), on real SQLite and PostgreSQL: only a role with provider.manage changes anything; bad
// input gets its message on the right field with nothing written; the upstream key never comes
// back in an action's answer.
import { describe, expect, it, vi } from "vitest";
import { createUser } from "@/test/collateral-world";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";
import { createCatalog } from "@/test/routing-world";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { changeRoutePriceAction } = await import("./change-price-action");
const { addRouteAction } = await import("./add-route-action");
const { createProviderAction } = await import("../providers/create-provider-action");
const { testConnectionAction } = await import("../providers/test-connection-action");

await describeEachProvider("catalogue actions", (provider) => {
  let admin: { userId: string };
  let startup: { userId: string };
  const test = useActionDatabase(provider, {
    async setUp(db) {
      admin = await createUser(db, "PLATFORM");
      startup = await createUser(db, "STARTUP");
      await createCatalog(db, [{ slug: "sim", kind: "simulator", config: { latencyMs: 0, tokensPerSecond: 0 } }], [{ slug: "act-chat", routes: [{ provider: "sim", inputPrice: 1_000_000n, outputPrice: 2_000_000n }] }]);
    },
  });
  const route = () => test.db.modelRoute.findFirstOrThrow({ where: { model: { slug: "act-chat" } } });

  describe("change price", () => {
    it("an admin changes a price exactly; the answer carries the new µUSD prices as strings", async () => {
      signInAs(admin.userId);
      const { id } = await route();
      const result = await changeRoutePriceAction({ routeId: id, inputPriceUsdPerM: "0.15", outputPriceUsdPerM: "$0.60" });
      expect(result).toEqual({ ok: true, data: { id, modelSlug: "act-chat", providerSlug: "sim", inputPriceMicrosPerMTokens: "150000", outputPriceMicrosPerMTokens: "600000" } });
    });

    it("a startup user, or nobody, is refused and nothing changes", async () => {
      const before = await route();
      signInAs(startup.userId);
      expect(await changeRoutePriceAction({ routeId: before.id, inputPriceUsdPerM: "9", outputPriceUsdPerM: "9" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      signInAs(null);
      expect(await changeRoutePriceAction({ routeId: before.id, inputPriceUsdPerM: "9", outputPriceUsdPerM: "9" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
      signInAs(startup.userId);
      expect(await testConnectionAction({ providerId: before.providerId })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect(await route()).toEqual(before);
    });

    it.each([
      ["seven decimals", { inputPriceUsdPerM: "0.1234567", outputPriceUsdPerM: "1" }, "inputPriceUsdPerM", /at most 6/],
      ["a negative price", { inputPriceUsdPerM: "1", outputPriceUsdPerM: "-2" }, "outputPriceUsdPerM", /negative/],
      ["words", { inputPriceUsdPerM: "cheap", outputPriceUsdPerM: "1" }, "inputPriceUsdPerM", /not a digit/],
    ])("%s is refused on its field, nothing written", async (_label, prices, field, message) => {
      signInAs(admin.userId);
      const before = await route();
      const result = await changeRoutePriceAction({ routeId: before.id, ...prices });
      expect(result).toMatchObject({ ok: false, error: { field, message } });
      expect(await route()).toEqual(before);
    });

    it("an unknown route is not found", async () => {
      signInAs(admin.userId);
      expect(await changeRoutePriceAction({ routeId: "nope", inputPriceUsdPerM: "1", outputPriceUsdPerM: "1" })).toMatchObject({ ok: false, error: { code: "route_not_found" } });
    });
  });

  describe("providers and routes", () => {
    it("creating a provider answers whether a key is set, never the key; a bad URL is refused on its field", async () => {
      signInAs(admin.userId);
      const fields = { slug: "act-openai", name: "OpenAI", kind: "openai_compatible" as const, timeoutMs: 30_000, breakerFailures: 5, breakerCooldownMs: 30_000, isEnabled: false };
      expect(await createProviderAction({ ...fields, baseUrl: "ftp://example.com", apiKey: "" })).toMatchObject({ ok: false, error: { field: "baseUrl" } });
      const created = await createProviderAction({ ...fields, baseUrl: "https://api.openai.com/v1", apiKey: "sk-action-key-123456" });
      expect(created).toMatchObject({ ok: true, data: { slug: "act-openai", hasApiKey: true } });
      expect(JSON.stringify(created)).not.toContain("sk-action-key-123456");
      expect(await createProviderAction({ ...fields, baseUrl: "", apiKey: "" })).toMatchObject({ ok: false, error: { field: "slug", code: "provider_slug_taken" } });
    });

    it("a second route through the same provider is refused on the provider field", async () => {
      signInAs(admin.userId);
      const existing = await route();
      const result = await addRouteAction({ modelId: existing.modelId, providerId: existing.providerId, upstreamModel: "x", priority: 1, isEnabled: true, inputPriceUsdPerM: "1", outputPriceUsdPerM: "1" });
      expect(result).toMatchObject({ ok: false, error: { field: "providerId", code: "route_exists" } });
    });

    it("the simulator's connection test succeeds for an admin", async () => {
      signInAs(admin.userId);
      const { providerId } = await route();
      expect(await testConnectionAction({ providerId })).toMatchObject({ ok: true, data: { isOk: true, upstreamModel: "act-chat-upstream" } });
    });
  });
});
