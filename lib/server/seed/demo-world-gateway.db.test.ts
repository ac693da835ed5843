// The demo world as the README presents it, through the real routing gateway over HTTP (the same
// handlers the app's routes call, test/gateway-server.ts) on real SQLite and PostgreSQL: Parsec
// Robotics' loan is fully frozen, so its published key is refused with 402 `credits_frozen`, while
// a healthy borrower's key is served.
import { afterAll, beforeAll, expect, it } from "vitest";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import { invalidateCatalog } from "@/lib/server/routing/catalog";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { startGatewayServer } from "@/test/gateway-server";
import { DEMO_API_KEYS } from "./demo-accounts";
import { seedDemoWorld } from "./demo-world";

const SCALE = 0.02;
const keyOf = (slug: string) => DEMO_API_KEYS.find((key) => key.orgSlug === slug)!.plaintext;

await describeEachProvider("demo world through the routing gateway", (provider) => {
  let test: TestDatabase;
  let server: Awaited<ReturnType<typeof startGatewayServer>>;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    // Seeded "now": the gateway runs on the wall clock, and so does the world it serves.
    await seedDemoWorld(test.db, { now: new Date(), scale: SCALE });
    invalidateCatalog(test.db);
    server = await startGatewayServer(test.db);
  });
  afterAll(async () => {
    await server?.close();
    await test?.drop();
  });

  const chat = (apiKey: string) =>
    fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "llama-3.1-8b-instruct", messages: [{ role: "user", content: "Hi" }], max_tokens: 16 }),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as { error?: { code: string; type: string; message: string } } }));

  it("refuses Parsec Robotics' README key with 402 credits_frozen: nothing of its credits is spendable", async () => {
    const parsec = await test.db.organization.findUniqueOrThrow({ where: { slug: "parsec-robotics" } });
    const balances = await getCreditBalances(test.db, parsec.id);
    expect(balances.spendableMicros).toBe(0n);
    expect(balances.frozenMicros).toBeGreaterThan(0n);

    const reply = await chat(keyOf("parsec-robotics"));
    expect(reply.status).toBe(402);
    expect(reply.body.error).toMatchObject({ code: "credits_frozen" });
    // Refused before any hold: nothing moved.
    expect(await getCreditBalances(test.db, parsec.id)).toEqual(balances);
  });

  it("serves Acme AI's README key (a healthy loan): 200", async () => {
    const reply = await chat(keyOf("acme-ai"));
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  });
});
