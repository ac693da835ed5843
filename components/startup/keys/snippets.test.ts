import { describe, expect, it } from "vitest";
import { keyHint, keyStatus, quickstartSnippets, spendDecimals } from "./snippets";

describe("quickstartSnippets", () => {
  const snippets = quickstartSnippets({ baseUrl: "https://blockable.example.com/api/v1", keyPrefix: "sk-bl-Ab3xQ9", model: "llama-3.1-8b-instruct" });

  it("offers openai for Node and Python, the Vercel AI SDK and curl", () => {
    expect(snippets.map((s) => s.label)).toEqual(["Node (openai)", "Python (openai)", "Vercel AI SDK", "curl"]);
  });

  it.each(["node", "python", "ai-sdk", "curl"] as const)("%s uses this install's base URL, the model and the key's prefix hint, read from the environment", (id) => {
    const code = snippets.find((s) => s.id === id)!.code;
    expect(code).toContain("https://blockable.example.com/api/v1");
    expect(code).toContain("llama-3.1-8b-instruct");
    expect(code).toContain("sk-bl-Ab3xQ9…");
    expect(code).toContain("BLOCKABLE_API_KEY");
  });

  it("curl posts to /chat/completions with a bearer key and a JSON body", () => {
    const code = snippets.find((s) => s.id === "curl")!.code;
    expect(code).toContain("curl 'https://blockable.example.com/api/v1/chat/completions'");
    expect(code).toContain('-H "Authorization: Bearer $BLOCKABLE_API_KEY"');
    expect(code).toContain(`-d '{"model":"llama-3.1-8b-instruct","messages":[{"role":"user","content":"Hello!"}]}'`);
  });

  it("without a key or a model, says what to fill in", () => {
    const [node] = quickstartSnippets({ baseUrl: "http://localhost:3000/api/v1", keyPrefix: null, model: null });
    expect(node.code).toContain("sk-bl-…");
    expect(node.code).toContain('"your-model"');
  });

  it("quotes a model slug with a quote in it safely for the shell", () => {
    const curl = quickstartSnippets({ baseUrl: "http://h/api/v1", keyPrefix: null, model: "it's" }).find((s) => s.id === "curl")!.code;
    expect(curl).toContain(`-d '{"model":"it'\\''s"`);
  });
});

describe("keyHint", () => {
  it.each([
    ["a known prefix", "sk-bl-Ab3xQ9", "sk-bl-Ab3xQ9…"],
    ["no key yet", null, "sk-bl-…"],
  ])("%s", (_label, prefix, expected) => expect(keyHint(prefix)).toBe(expected));
});

describe("spendDecimals", () => {
  it.each([
    ["nothing spent shows $0.00", 0n, 2],
    ["1 µUSD shows to the µUSD", 1n, 6],
    ["just under a cent shows to the µUSD", 9_999n, 6],
    ["a cent shows to the cent", 10_000n, 2],
    ["$12.34 shows to the cent", 12_340_000n, 2],
  ])("%s", (_label, micros, decimals) => expect(spendDecimals(micros)).toBe(decimals));
});

describe("keyStatus", () => {
  it.each([
    ["uncapped and live", { revokedAt: null, spendCapMicros: null, spentTowardCapMicros: "5" }, "active"],
    ["capped, under the cap", { revokedAt: null, spendCapMicros: "100", spentTowardCapMicros: "99" }, "active"],
    ["capped, at the cap", { revokedAt: null, spendCapMicros: "100", spentTowardCapMicros: "100" }, "cap reached"],
    ["revoked wins over the cap", { revokedAt: "2026-03-01T00:00:00.000Z", spendCapMicros: "100", spentTowardCapMicros: "100" }, "revoked"],
  ] as const)("%s → %s", (_label, key, status) => expect(keyStatus(key)).toBe(status));
});
