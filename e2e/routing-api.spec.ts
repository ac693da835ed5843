import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { DEMO_API_KEYS } from "../lib/server/seed/demo-accounts";

// The built app's route handlers, with a demo key from the README and the official client.
test("a demo API key works with the official openai client against the built app", async ({ baseURL }) => {
  const openai = new OpenAI({ apiKey: DEMO_API_KEYS[0].plaintext, baseURL: `${baseURL}/api/v1`, maxRetries: 0 });
  const models = await openai.models.list();
  expect(models.data.length).toBeGreaterThan(0);
  const chatModel = models.data.find((m) => (m as unknown as { x_blockable: { kind: string } }).x_blockable.kind === "chat")!;
  const completion = await openai.chat.completions.create({ model: chatModel.id, messages: [{ role: "user", content: "Hello from the e2e test" }], max_tokens: 8 });
  expect(completion.choices[0].message.content).toBeTruthy();
  expect(completion.model).toBe(chatModel.id);
  // The route handler settles a JSON reply after sending it (Next's after()): the hold is resolved
  // a moment later, leaving exactly the spendable balance the reply reported.
  const xb = (completion as unknown as { x_blockable: { cost_micros: string; spendable_left_micros: string } }).x_blockable;
  expect(BigInt(xb.cost_micros)).toBeGreaterThan(0n);
  await expect
    .poll(async () => {
      const credits = await (await fetch(`${baseURL}/api/v1/account/credits`, { headers: { authorization: `Bearer ${DEMO_API_KEYS[0].plaintext}` } })).json();
      return { held: credits.held_micros, spendable: credits.spendable_micros };
    })
    .toEqual({ held: "0", spendable: xb.spendable_left_micros });
  const stream = await openai.chat.completions.create({ model: chatModel.id, messages: [{ role: "user", content: "Stream it" }], max_tokens: 8, stream: true });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
  expect(text.length).toBeGreaterThan(0);
});

test("a wrong key gets OpenAI's 401 shape from the built app", async ({ request }) => {
  const response = await request.post("/api/v1/chat/completions", { headers: { authorization: "Bearer sk-bl-wrong" }, data: { model: "x", messages: [] } });
  expect(response.status()).toBe(401);
  expect((await response.json()).error.code).toBe("invalid_api_key");
});
