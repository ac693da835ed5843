// The server-action guard against the real thing: bodies encoded by the React client Next ships
// (what every form of this app sends) must pass, and every body the guard lets through must be one
// React's server decoder reads into an argument list — else Next would answer 500 after all. The
// decoder only loads under the react-server condition, so it runs in a child process.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { SERVER_ACTION_BODY_MAX_BYTES } from "@/lib/domain/http/action-request";
import nextConfig from "@/next.config";
import { refuseBadActionRequest } from "./action-guard";

const require = createRequire(import.meta.url);
const reactClient = require("next/dist/compiled/react-server-dom-turbopack/client.edge") as { encodeReply: (value: unknown) => Promise<string | FormData> };

const ACTION_ID = "7f6972d78877d4ea3cde2c7497131e58d0d8e5ea4c";
const SITE = "http://127.0.0.1:3000";

function actionPost(body: BodyInit | null, headers: Record<string, string> = {}, path = "/startup"): Request {
  return new Request(`${SITE}${path}`, {
    method: "POST",
    body,
    duplex: "half",
    headers: { "next-action": ACTION_ID, "content-type": "text/plain;charset=UTF-8", origin: SITE, host: "127.0.0.1:3000", ...headers },
  } as RequestInit);
}

async function encode(args: unknown[]): Promise<string> {
  const body = await reactClient.encodeReply(args);
  if (typeof body !== "string") throw new Error("the client chose a multipart body for plain data");
  return body;
}

type Decoded = { ok: true; isArray: boolean; length: number } | { ok: false; error: string };

/** React's server decoder (the one Next runs) on each body, in a child process with the react-server condition. */
async function decodeWithReact(bodies: string[]): Promise<Decoded[]> {
  const script = `
    const { decodeReply, createTemporaryReferenceSet } = require("next/dist/compiled/react-server-dom-turbopack/server.node");
    let input = "";
    process.stdin.on("data", (chunk) => (input += chunk));
    process.stdin.on("end", async () => {
      const results = [];
      for (const body of JSON.parse(input)) {
        try {
          const args = await decodeReply(body, {}, { temporaryReferences: createTemporaryReferenceSet() });
          results.push({ ok: true, isArray: Array.isArray(args), length: Array.isArray(args) ? args.length : -1 });
        } catch (error) {
          results.push({ ok: false, error: String(error && error.message) });
        }
      }
      process.stdout.write(JSON.stringify(results));
    });`;
  const child = spawn(process.execPath, ["--conditions=react-server", "-e", script], { env: { ...process.env, NODE_ENV: "production" }, stdio: ["pipe", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stdin.end(JSON.stringify(bodies));
  await new Promise<void>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`decoder exited ${code}`)))));
  return JSON.parse(output) as Decoded[];
}

// What this app's forms pass to their actions: objects of strings, numbers, booleans, nulls,
// optional fields left undefined, lists of ids, and now and then a Date or a BigInt.
const plainValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string(),
    fc.constantFrom("$", "$1", "$@1", "$h1", "$T", "$0:0", "$undefined", "$$x"),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt(),
    fc.date({ noInvalidDate: true }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie("value"), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

describe("bodies Next's client sends for plain data pass the guard", () => {
  it.each<[string, unknown[]]>([
    ["create an API key", [{ name: "CI key", spendCapUsd: "25.00", expiresInDays: 30 }]],
    ["mark all notifications read (no ids)", [{}]],
    ["mark some read", [{ ids: ["cm1", "cm2"] }]],
    ["an optional field left undefined", [{ amountUsd: "10", note: undefined }]],
    ["a reason that starts with a dollar sign", [{ reason: "$5,000 overdue" }]],
    ["a Date and a BigInt", [{ day: new Date("2026-03-01T00:00:00Z"), amountMicros: 2_500_000_000n }]],
    ["the CSV import's 900,000 characters", [{ csv: "2026-03-01,2.15\n".repeat(56_250) }]],
  ])("%s", async (_label, args) => {
    const body = await encode(args);
    expect(await refuseBadActionRequest(actionPost(body))).toBeNull();
  });

  it("an object used twice is sent once and pointed at: that passes too", async () => {
    const shared = { mode: "FULL" };
    const body = await encode([{ first: shared, second: shared }]);
    expect(body).toContain('"$0:0:first"');
    expect(await refuseBadActionRequest(actionPost(body))).toBeNull();
  });

  it("any plain data, nested a few levels, passes (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(plainValue, { maxLength: 3 }), async (args) => {
        const body = await encode(args);
        const refused = await refuseBadActionRequest(actionPost(body));
        expect(refused, body).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

describe("every body the guard lets through, React's decoder reads into an argument list", () => {
  // Bodies a fuzzer or an attacker would send: JSON with React's tags in odd places.
  const tag = fc.constantFrom("$", "$$", "$1", "$0", "$0:0", "$0:0:a", "$0:1:x", "$@0", "$@1", "$h1", "$Q1", "$W1", "$K1", "$B1", "$T", "$n", "$n12", "$nx", "$D", "$Dnot-a-date", "$u", "$undefined", "$I", "$N", "$-0", "$-1", "$H", "$S1", "$R1", "$X1", "$i1", "$A1", "$o1");
  const node = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, tag, fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null), fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("a", "x", "0", "__proto__"), tie("value"), { maxKeys: 3 })),
  })).value;
  const bodies = fc.oneof(
    fc.array(node, { maxLength: 3 }).map((args) => JSON.stringify(args)),
    node.map((root) => JSON.stringify(root)),
    fc.string({ maxLength: 12 }),
  );

  let samples: string[] = [];
  let decoded: Decoded[] = [];
  beforeAll(async () => {
    samples = fc.sample(bodies, { numRuns: 3000, seed: 18 });
    decoded = await decodeWithReact(samples);
  }, 60_000);

  it("no false pass among 3,000 generated bodies", async () => {
    let passed = 0;
    for (const [index, body] of samples.entries()) {
      if ((await refuseBadActionRequest(actionPost(body))) !== null) continue;
      passed++;
      expect(decoded[index], body).toMatchObject({ ok: true, isArray: true });
    }
    // The sample really exercised both sides.
    expect(passed).toBeGreaterThan(300);
    expect(samples.length - passed).toBeGreaterThan(300);
  });

  it.each(["{oops", '"hello"', '["$1"]', '[{"a":1,"b":"$0:0:missing"}]', '["$nabc"]'])("React fails on %s, and the guard refuses it with a 400", async (body) => {
    const [result] = await decodeWithReact([body]);
    expect(result.ok && result.isArray).toBe(false);
    expect((await refuseBadActionRequest(actionPost(body)))?.status).toBe(400);
  });
});

describe("refuseBadActionRequest", () => {
  it("a foreign Origin gets a 403 in plain text, the form Next's client shows as the error", async () => {
    const response = (await refuseBadActionRequest(actionPost("[{}]", { origin: "https://evil.example" })))!;
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.text()).toBe("Refused: a server action called from another origin (evil.example) than this site's (127.0.0.1:3000).");
  });

  it("a chunked body (no Content-Length) is counted as it arrives: one byte over the limit is a 413", async () => {
    const over = new TextEncoder().encode(`["${"x".repeat(SERVER_ACTION_BODY_MAX_BYTES - 3)}"]`);
    expect(over.byteLength).toBe(SERVER_ACTION_BODY_MAX_BYTES + 1);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < over.byteLength; offset += 64 * 1024) controller.enqueue(over.subarray(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const response = (await refuseBadActionRequest(actionPost(stream)))!;
    expect([response.status, response.headers.get("x-refusal-reason")]).toEqual([413, "body_too_large"]);
  });

  it("a declared Content-Length over the limit is a 413 before any byte is read", async () => {
    const request = actionPost("[{}]", { "content-length": String(SERVER_ACTION_BODY_MAX_BYTES + 1) });
    expect((await refuseBadActionRequest(request))?.status).toBe(413);
    expect(request.bodyUsed).toBe(false);
  });

  it("route handlers and page GETs are not read at all", async () => {
    const api = actionPost('{"mode":"FULL"}', { "content-type": "application/json", origin: "https://evil.example" }, "/api/lender/v1/loans/L1/freeze");
    expect(await refuseBadActionRequest(api)).toBeNull();
    expect(api.bodyUsed).toBe(false);
    expect(await refuseBadActionRequest(new Request(`${SITE}/startup`))).toBeNull();
  });

  it("next.config.ts's serverActions.bodySizeLimit is the guard's limit, so Next never meets a body the guard let through as too large", () => {
    expect(nextConfig.experimental?.serverActions?.bodySizeLimit).toBe(SERVER_ACTION_BODY_MAX_BYTES);
    expect(nextConfig.experimental?.serverActions?.allowedOrigins ?? []).toEqual([]);
  });
});
