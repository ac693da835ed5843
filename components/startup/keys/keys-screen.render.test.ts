// The API keys screen as the server renders it (dialogs opened flat): the create form's fields and
// its "Create key" button, each key's figures as shown (this month's spend to the µUSD when under a
// cent, the cap and what counts against it, the rate limit, the status), Revoke only on live keys
// with its confirm dialog's numbers, the empty state, and the quickstart on this install's URL.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { renderedText } from "@/test/render";
import { describe, expect, test, vi } from "vitest";
import type { StartupKeyDto, StartupKeysDto } from "@/lib/server/queries/startup-keys";

vi.mock("@/app/startup/keys/create-key-action", () => ({ createKeyAction: vi.fn() }));
vi.mock("@/app/startup/keys/revoke-key-action", () => ({ revokeKeyAction: vi.fn() }));
vi.mock("@/components/ui/info-tip", () => ({ InfoTip: () => null }));
vi.mock("@/components/ui/dialog", async () => (await import("@/test/render")).flatDialog);

const { KeysScreen } = await import("./keys-screen");

const text = (html: string) => renderedText(html, { joinTextNodes: true });

const key = (overrides: Partial<StartupKeyDto>): StartupKeyDto => ({
  id: "k1",
  name: "Production",
  prefix: "sk-bl-Ab3xQ9",
  createdAt: "2026-03-01T09:30:00.000Z",
  lastUsedAt: "2026-03-17T15:04:00.000Z",
  revokedAt: null,
  spendCapMicros: null,
  spentTowardCapMicros: "0",
  rpmLimit: null,
  monthSpendMicros: "0",
  monthRequests: 0,
  ...overrides,
});

const render = (data: Partial<StartupKeysDto>) =>
  renderToString(createElement(KeysScreen, { orgName: "Lumen Labs", baseUrl: "https://blockable.example.com/api/v1", defaultRpm: 600, data: { keys: [], monthStart: "2026-03-01T00:00:00.000Z", exampleModel: "llama-3.1-8b-instruct", ...data } }));

describe("KeysScreen", () => {
  test("with no keys: the empty state, the Create key form, and a quickstart with a generic key hint", () => {
    const html = render({});
    const shown = text(html);
    expect(shown).toContain("No API keys yet");
    expect(shown).toContain("Key name");
    expect(shown).toContain("Spend cap (USD, optional)");
    expect(shown).toContain("Rate limit (requests per minute, optional)");
    expect(shown).toContain("Blank: the default, 600 per minute.");
    expect(html.match(/>Create key</g)?.length).toBeGreaterThanOrEqual(2);
    expect(shown).toContain("https://blockable.example.com/api/v1");
    expect(shown).toContain("sk-bl-…");
    expect(html).toContain('aria-label="Copy Node (openai) snippet"');
  });

  test("each key's figures, and Revoke (with its dialog's numbers) only on live keys", () => {
    const html = render({
      keys: [
        key({ id: "k2", name: "Staging", prefix: "sk-bl-Zz9yY8", spendCapMicros: "250000000", spentTowardCapMicros: "12345678", rpmLimit: 1200, monthSpendMicros: "1234", monthRequests: 3 }),
        key({ id: "k1", name: "Old", prefix: "sk-bl-Qq1wW2", revokedAt: "2026-03-10T08:00:00.000Z", lastUsedAt: null, monthSpendMicros: "5000000", monthRequests: 1200 }),
      ],
    });
    const shown = text(html);
    expect(shown).toContain("1 active of 2");
    expect(shown).toContain("Spend this month (2026-03, UTC)");
    // Under a cent shows to the µUSD; a cap shows with what counts against it.
    expect(shown).toContain("$0.001234 3 req.");
    expect(shown).toContain("$250.00 $12.35 used");
    expect(shown).toContain("1,200 / min");
    // A key without its own limit shows the default it really gets, not "no limit".
    expect(shown).toContain("600 / min (default)");
    expect(shown).not.toContain("No limit");
    expect(shown).toContain("Active");
    expect(shown).toContain("Revoked 2026-03-10 08:00 UTC");
    expect(shown).toContain("$5.00 1,200 req.");
    expect(shown).toContain("Never");
    // One Revoke: the revoked key has none. Its dialog says what happens and what the key spent.
    expect(html.match(/>Revoke</g)).toHaveLength(1);
    expect(shown).toContain("Revoke “Staging”?");
    expect(shown).toContain("The key sk-bl-Zz9yY8… stops working on its next request");
    expect(shown).toContain("spent $0.001234 this month");
    expect(shown).toContain("Revoke key");
    // The quickstart names the newest live key by its prefix, and never a whole key.
    expect(shown).toContain("the key starting sk-bl-Zz9yY8…");
  });

  test("a capped key that reached its cap says so", () => {
    const shown = text(render({ keys: [key({ spendCapMicros: "1000000", spentTowardCapMicros: "1000000" })] }));
    expect(shown).toContain("Cap reached");
  });
});
