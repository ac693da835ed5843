import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { expect, test, type APIRequestContext, type APIResponse, type Page } from "@playwright/test";
import { signIn } from "./support";

// Clean refusals on the built app (issue 18, item 5): a server-action call that is malformed,
// oversized or from another origin is a precise 4xx in plain text (Next 16 alone answers each with
// a 500), and the lender API takes at most 64 KiB of JSON (it used to read and parse 5 MB).

const STARTUP = "cto@quill-health.example";
const LENDER = "analyst@kestrel.example";
const MiB = 1024 * 1024;

/** The built app's id for an action, from the build's own manifest (ids change with every build). */
function actionId(exportedName: string): string {
  const distDir = process.env.BLOCKABLE_NEXT_DIST_DIR || ".next";
  const manifest = JSON.parse(readFileSync(path.join(distDir, "server/server-reference-manifest.json"), "utf8")) as { node: Record<string, { exportedName?: string }> };
  const id = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === exportedName)?.[0];
  if (!id) throw new Error(`No action ${exportedName} in the build`);
  return id;
}

/** A body exactly as the React client Next ships encodes these arguments (what the app's forms send). */
async function encodeLikeTheClient(args: unknown[]): Promise<string> {
  const require = createRequire(import.meta.url);
  const { encodeReply } = require("next/dist/compiled/react-server-dom-turbopack/client.edge") as { encodeReply: (value: unknown) => Promise<string | FormData> };
  const body = await encodeReply(args);
  if (typeof body !== "string") throw new Error("expected a text body");
  return body;
}

type ActionCall = { body?: string | Buffer; headers?: Record<string, string>; path?: string };

function callAction(request: APIRequestContext, baseURL: string, id: string, call: ActionCall = {}): Promise<APIResponse> {
  return request.post(call.path ?? "/startup", {
    headers: { "next-action": id, "content-type": "text/plain;charset=UTF-8", origin: baseURL, ...call.headers },
    data: call.body ?? "[{}]",
    maxRedirects: 0,
  });
}

async function expectRefusal(response: APIResponse, status: number, message: RegExp) {
  expect(response.status(), await response.text()).toBe(status);
  // Plain text, which Next's client turns into the thrown error's message.
  expect(response.headers()["content-type"]).toBe("text/plain");
  expect(await response.text()).toMatch(message);
}

async function signedIn(page: Page, email: string, landing: string) {
  await signIn(page, email);
  await expect.poll(() => new URL(page.url()).pathname).toBe(landing);
}

test.describe("server actions", () => {
  let markReadId: string;
  test.beforeAll(() => {
    markReadId = actionId("markNotificationsReadAction");
  });

  test("a call the way the app's own client encodes it still runs: the guard lets it through", async ({ page, baseURL }) => {
    await signedIn(page, STARTUP, "/startup");
    // An empty list of ids changes nothing, so the call can run on the shared demo world.
    const response = await callAction(page.request, baseURL!, markReadId, { body: await encodeLikeTheClient([{ ids: [] }]) });
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/x-component");
    expect(await response.text()).toContain('{"ok":true,"data":{"changed":0}}');
  });

  test("malformed bodies are a 400 (Next alone: 500)", async ({ page, baseURL }) => {
    await signedIn(page, STARTUP, "/startup");
    for (const [label, body] of [
      ["not JSON", "{oops"],
      ["a bare string, not an argument list", '"hello"'],
      ["a reference to a part the body does not have", '["$1"]'],
      ["a BigInt that is not digits", '["$nabc"]'],
      ["a second use of an object that is not there", '[{"a":1,"b":"$0:0:missing"}]'],
      ["nested 40 deep", `${"[".repeat(40)}${"]".repeat(40)}`],
    ]) {
      await test.step(label, async () => {
        await expectRefusal(await callAction(page.request, baseURL!, markReadId, { body }), 400, /^The server action's body is malformed: /);
      });
    }
  });

  test("a multipart body is a 415, with or without Next-Action (no form of this app posts one; Next alone: 500)", async ({ page, baseURL }) => {
    await signedIn(page, STARTUP, "/startup");
    const multipart = { "content-type": "multipart/form-data; boundary=zzz" };
    await expectRefusal(await callAction(page.request, baseURL!, markReadId, { headers: multipart, body: "garbage" }), 415, /not multipart\/form-data/);
    const formPost = await page.request.post("/startup", { headers: { origin: baseURL!, ...multipart }, data: "garbage", maxRedirects: 0 });
    await expectRefusal(formPost, 415, /not multipart\/form-data/);
  });

  test("a body over 1 MiB is a 413, declared or streamed (Next alone: 500)", async ({ page, baseURL }) => {
    await signedIn(page, STARTUP, "/startup");
    const over = Buffer.from(JSON.stringify([{ ids: ["x".repeat(MiB)] }]));
    await expectRefusal(await callAction(page.request, baseURL!, markReadId, { body: over }), 413, /over 1,048,576 bytes/);

    // The same body sent chunked, with no Content-Length to refuse it by.
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const streamed = await new Promise<{ status: number; contentType: string | undefined; text: string }>((resolve, reject) => {
      const req = httpRequest(`${baseURL}/startup`, { method: "POST", headers: { "next-action": markReadId, "content-type": "text/plain;charset=UTF-8", origin: baseURL!, cookie, "transfer-encoding": "chunked" } });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: res.headers["content-type"], text }));
      });
      req.on("error", reject);
      for (let offset = 0; offset < over.length; offset += 64 * 1024) req.write(over.subarray(offset, offset + 64 * 1024));
      req.end();
    });
    expect([streamed.status, streamed.contentType]).toEqual([413, "text/plain"]);
    expect(streamed.text).toMatch(/over 1,048,576 bytes/);
  });

  test("a call from another origin is a 403 and runs nothing (Next alone: 500)", async ({ page, baseURL }) => {
    await signedIn(page, STARTUP, "/startup");
    for (const [label, origin, status] of [
      ["another site", "https://evil.example", 403],
      ["an opaque origin (a sandboxed frame)", "null", 403],
      ["an Origin that is not a URL", "https://a.example, https://b.example", 400],
    ] as const) {
      await test.step(label, async () => {
        const response = await callAction(page.request, baseURL!, markReadId, { headers: { origin }, body: "[{}]" });
        expect(response.status(), label).toBe(status);
        expect(await response.text()).not.toContain('"ok":true');
      });
    }
    // A cross-site HTML form cannot send Next-Action; its multipart post is refused the same way.
    const form = await page.request.post("/startup", { headers: { origin: "https://evil.example" }, multipart: { $ACTION_ID_x: "" }, maxRedirects: 0 });
    expect(form.status()).toBe(403);
  });

  test("unknown or malformed action ids are a 4xx, never a 500", async ({ page, baseURL }) => {
    await signedIn(page, STARTUP, "/startup");
    const malformed = await callAction(page.request, baseURL!, "not-an-action");
    await expectRefusal(malformed, 400, /does not name a server action/);
    // Well-formed but unknown (a page from an older deployment): Next's own 409, which its client reads.
    const unknown = await callAction(page.request, baseURL!, "7f".padEnd(42, "0"));
    expect(unknown.status()).toBe(409);
  });
});

test.describe("the lender API's body limit", () => {
  let token: string;
  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    await signedIn(page, LENDER, "/lender");
    await page.goto("/lender/settings");
    await page.getByRole("button", { name: "Create token" }).click();
    const create = page.getByRole("dialog");
    await create.getByLabel("Token name").fill("E2E clean refusals");
    await create.getByRole("button", { name: "Create token" }).click();
    const secret = create.getByRole("textbox", { name: "API token" });
    await expect(secret).toHaveValue(/^lk-bl-/);
    token = await secret.inputValue();
    await page.close();
  });

  // A loan id that does not exist: every refusal below comes before the loan is looked up.
  const freezePath = "/api/lender/v1/loans/no-such-loan/freeze";

  test("a 5 MB freeze is a 413 in the API's error shape, at once", async ({ request }) => {
    const body = JSON.stringify({ mode: "FULL", reason: "x".repeat(5_000_000) });
    const startedMs = Date.now();
    const response = await request.post(freezePath, { headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, data: body });
    const elapsedMs = Date.now() - startedMs;
    expect(response.status()).toBe(413);
    expect(await response.json()).toEqual({ error: { message: "The request body is over 65,536 bytes, the most this endpoint takes.", type: "invalid_request_error", code: "body_too_large", param: null } });
    // Generous: the point is that 5 MB is never parsed (it took 0.5–0.8 s on this machine before).
    expect(elapsedMs).toBeLessThan(5_000);
  });

  test("not JSON is a 400 and a form post a 415, each naming what to send", async ({ request }) => {
    const headers = { authorization: `Bearer ${token}` };
    const notJson = await request.post(freezePath, { headers: { ...headers, "content-type": "application/json" }, data: Buffer.from("mode=FULL") });
    expect([notJson.status(), (await notJson.json()).error.code]).toEqual([400, "invalid_json"]);
    const form = await request.post(freezePath, { headers, form: { mode: "FULL", reason: "x" } });
    expect(form.status()).toBe(415);
    expect((await form.json()).error).toMatchObject({ code: "unsupported_media_type", message: expect.stringContaining("Content-Type: application/json") });
  });
});
