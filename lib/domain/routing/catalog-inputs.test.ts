import { describe, expect, it } from "vitest";
import { addRouteSchema, baseUrlSchema, createProviderSchema, parsePricePerMTokens, priceInputText, pricePerMTokensSchema, providerSlugSchema, updateProviderSchema } from "./catalog-inputs";

describe("prices in USD per million tokens", () => {
  it.each([
    ["0.15 $/M is 150,000 µUSD per M", "0.15", 150_000n],
    ["$3 is 3,000,000", "$3", 3_000_000n],
    ["the smallest step, $0.000001", "0.000001", 1n],
    ["thousands separators", "1,200", 1_200_000_000n],
    ["free", "0", 0n],
    ["the ceiling, $10,000", "10000", 10_000_000_000n],
  ])("%s", (_label, text, micros) => {
    expect(parsePricePerMTokens(text)).toBe(micros);
    expect(pricePerMTokensSchema.safeParse(text).success).toBe(true);
  });

  it.each([
    ["a seventh decimal is refused, never rounded", "0.0000001", /at most 6/],
    ["negative", "-1", /negative/],
    ["empty", "", /Enter an amount/],
    ["letters", "1e3", /not a digit/],
    ["above $10,000 per M (a unit typo)", "10000.000001", /check the unit/],
  ])("%s", (_label, text, message) => {
    const parsed = pricePerMTokensSchema.safeParse(text);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toMatch(message);
  });

  it.each([
    [150_000n, "0.15"],
    [3_000_000n, "3"],
    [1n, "0.000001"],
    [0n, "0"],
    [1_234_567_891n, "1234.567891"],
  ])("%s µUSD shows in the field as %s and parses back", (micros, text) => {
    expect(priceInputText(micros)).toBe(text);
    expect(parsePricePerMTokens(text)).toBe(micros);
  });
});

describe("provider fields", () => {
  it.each([
    ["https URL", "https://api.together.xyz/v1", true],
    ["empty: the adapter's default", "", true],
    ["loopback http for a local vLLM", "http://127.0.0.1:8000/v1", true],
    ["ftp", "ftp://example.com", false],
    ["credentials in the URL", "https://user:pw@example.com/v1", false],
    ["not a URL", "api.openai.com", false],
  ])("base URL: %s", (_label, url, isValid) => {
    expect(baseUrlSchema.safeParse(url).success).toBe(isValid);
  });

  it.each([
    ["openai", true],
    ["simulator-backup", true],
    ["Upper", false],
    ["-dash", false],
    ["a", false],
  ])("slug %s", (slug, isValid) => {
    expect(providerSlugSchema.safeParse(slug).success).toBe(isValid);
  });

  const fields = { name: "OpenAI", slug: "openai", kind: "openai_compatible", baseUrl: "", timeoutMs: 60_000, breakerFailures: 5, breakerCooldownMs: 30_000, isEnabled: true, apiKey: "" };

  it.each([
    ["timeout 0 ms", { timeoutMs: 0 }, "timeoutMs"],
    ["fractional failures", { breakerFailures: 1.5 }, "breakerFailures"],
    ["cooldown not a number (an empty field)", { breakerCooldownMs: Number.NaN }, "breakerCooldownMs"],
    ["a key with a space", { apiKey: "sk-abc def-123" }, "apiKey"],
    ["an unknown kind", { kind: "bedrock" }, "kind"],
  ])("refuses %s on its field", (_label, patch, field) => {
    const parsed = createProviderSchema.safeParse({ ...fields, ...patch });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path).toEqual([field]);
  });

  it("an edit that replaces the key needs the new key; keep and clear need none", () => {
    const edit = { ...fields, providerId: "p1", apiKey: "" };
    expect(updateProviderSchema.safeParse({ ...edit, apiKeyChange: "keep" }).success).toBe(true);
    expect(updateProviderSchema.safeParse({ ...edit, apiKeyChange: "clear" }).success).toBe(true);
    const missing = updateProviderSchema.safeParse({ ...edit, apiKeyChange: "replace" });
    expect(missing.error?.issues[0].path).toEqual(["apiKey"]);
    expect(updateProviderSchema.safeParse({ ...edit, apiKeyChange: "replace", apiKey: "sk-new-key-123" }).success).toBe(true);
  });
});

describe("routes", () => {
  it("a route needs a non-negative whole priority and two prices", () => {
    const route = { modelId: "m", providerId: "p", upstreamModel: "gpt-4o-mini", priority: 0, isEnabled: true, inputPriceUsdPerM: "0.15", outputPriceUsdPerM: "0.6" };
    expect(addRouteSchema.safeParse(route).success).toBe(true);
    expect(addRouteSchema.safeParse({ ...route, priority: -1 }).error?.issues[0].path).toEqual(["priority"]);
    expect(addRouteSchema.safeParse({ ...route, outputPriceUsdPerM: "abc" }).error?.issues[0].path).toEqual(["outputPriceUsdPerM"]);
  });
});
