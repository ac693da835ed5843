// The catalogue screens as the server renders them, with the dialog primitive opened flat (no
// portal): every action by its exact accessible name, the write-only key shown as set / not set
// and never as a value, the circuit state, and prices shown exactly.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { renderedText } from "@/test/render";
import { describe, expect, it, vi } from "vitest";
import type { ModelDto, ProviderDto } from "@/lib/server/catalog-admin/queries";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: vi.fn() }) }));
vi.mock("@/components/ui/dialog", async () => (await import("@/test/render")).flatDialog);

const { ProvidersScreen } = await import("./providers-screen");
const { ModelsScreen } = await import("./models-screen");

const action = vi.fn();

const provider = (patch: Partial<ProviderDto>): ProviderDto => ({
  id: "p1",
  slug: "simulator",
  name: "Blockable Simulator",
  kind: "simulator",
  baseUrl: null,
  hasApiKey: false,
  timeoutMs: 60_000,
  breakerFailures: 5,
  breakerCooldownMs: 30_000,
  isEnabled: true,
  createdAt: "2026-01-01T00:00:00.000Z",
  routeCount: 9,
  circuit: { status: "closed", consecutiveFailures: 0, failureThreshold: 5, reopensAt: null },
  ...patch,
});

describe("Providers screen", () => {
  const html = renderToString(
    createElement(ProvidersScreen, {
      providers: [
        provider({}),
        provider({ id: "p2", slug: "openai", name: "OpenAI", kind: "openai_compatible", baseUrl: "https://api.openai.com/v1", hasApiKey: true, isEnabled: false, circuit: { status: "open", consecutiveFailures: 5, failureThreshold: 5, reopensAt: "2026-01-01T12:00:30.000Z" } }),
      ],
      actions: { createProvider: action, updateProvider: action, setProviderEnabled: action, testConnection: action },
    }),
  );
  const plain = renderedText(html);

  it("has its heading and names every action plainly, per provider", () => {
    expect(html).toContain(">Providers</h1>");
    for (const name of ["Test connection to simulator", "Test connection to openai", "Edit simulator", "Disable simulator", "Enable openai"]) expect(html).toContain(`aria-label="${name}"`);
    expect(plain).toContain("Create provider");
  });

  it("shows the key only as set / not set, and the live circuit with when it reopens", () => {
    expect(plain).toMatch(/Set .*Not set|Not set .*Set/);
    expect(html).toContain("Circuit of openai: Open on this instance");
    expect(plain).toContain("5 / 5 failures · reopens 12:00:30 UTC");
  });

  it("an edit offers keep / replace / clear for the key and never a value for it", () => {
    expect(plain).toContain("Keep the current key");
    expect(plain).toContain("Replace the key");
    expect(plain).toContain("Clear the key");
    expect(html).not.toMatch(/type="password"[^>]*value="[^"]+"/);
  });
});

describe("Models screen", () => {
  const model: ModelDto = {
    id: "m1",
    slug: "llama-3.1-8b-instruct",
    displayName: "Llama 3.1 8B Instruct",
    kind: "chat",
    ownedBy: "meta",
    contextWindow: 131_072,
    routingPolicy: "PRIORITY",
    isEnabled: true,
    createdAt: "2026-01-01T00:00:00.000Z",
    routes: [
      {
        id: "r1",
        modelId: "m1",
        modelSlug: "llama-3.1-8b-instruct",
        providerId: "p1",
        providerSlug: "simulator",
        providerName: "Blockable Simulator",
        isProviderEnabled: true,
        upstreamModel: "llama-3.1-8b-instruct",
        priority: 0,
        inputPriceMicrosPerMTokens: "180000",
        outputPriceMicrosPerMTokens: "1",
        isEnabled: true,
      },
    ],
  };
  const html = renderToString(
    createElement(ModelsScreen, {
      models: [model],
      providers: [{ id: "p1", slug: "simulator", name: "Blockable Simulator", isEnabled: true }],
      catalogChangedAt: null,
      actions: { createModel: action, updateModel: action, addRoute: action, updateRoute: action, changeRoutePrice: action, removeRoute: action },
    }),
  );
  const plain = renderedText(html);

  it("names the route actions with model and provider", () => {
    expect(html).toContain(">Models and prices</h1>");
    for (const name of ["Change price of llama-3.1-8b-instruct via simulator", "Edit route llama-3.1-8b-instruct via simulator", "Remove route llama-3.1-8b-instruct via simulator", "Add route to llama-3.1-8b-instruct", "Edit model llama-3.1-8b-instruct"]) {
      expect(html).toContain(`aria-label="${name}"`);
    }
  });

  it("shows prices exactly, and the price form previews an example request at the current prices", () => {
    expect(plain).toContain("$0.18");
    expect(plain).toContain("$0.000001");
    expect(plain).toContain("Input price (USD per 1M tokens)");
    // 10,000 × 0.18 $/M + 1,000 × 0.000001 $/M = $0.0018 + 0.000000001 → ⌈⌉ = $0.001801.
    // The form starts at the current prices (react-hook-form fills the inputs in the browser), so the preview reads the same on both sides.
    expect(plain).toContain("Now $0.001801 → $0.001801 after the change");
  });
});
