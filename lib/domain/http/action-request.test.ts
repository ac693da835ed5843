import { describe, expect, it } from "vitest";
import { checkActionBody, checkActionOrigin, decideActionRequest, SERVER_ACTION_BODY_MAX_BYTES, type ActionRequestHead } from "./action-request";

const ACTION_ID = "7f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";
const SAME_ORIGIN: ActionRequestHead = {
  method: "POST",
  pathname: "/startup/keys",
  nextAction: ACTION_ID,
  contentType: "text/plain;charset=UTF-8",
  contentLength: "24",
  origin: "https://desk.example",
  host: "desk.example",
  forwardedHost: null,
};
const OPTIONS = { maxBodyBytes: SERVER_ACTION_BODY_MAX_BYTES };

function decide(overrides: Partial<ActionRequestHead>) {
  return decideActionRequest({ ...SAME_ORIGIN, ...overrides }, OPTIONS);
}

describe("which requests are server-action calls at all", () => {
  it.each<[string, Partial<ActionRequestHead>]>([
    ["a GET of a page", { method: "GET" }],
    ["a POST to a page without Next-Action and not multipart (Next renders the page)", { nextAction: null }],
    ["a route handler under /api, even with a Next-Action header and a foreign Origin", { pathname: "/api/lender/v1/loans/L1/freeze", origin: "https://evil.example" }],
    ["next-auth's sign-in POST (an /api route, its own CSRF token)", { pathname: "/api/auth/callback/credentials", nextAction: null, contentType: "application/x-www-form-urlencoded" }],
  ])("%s passes untouched", (_label, overrides) => {
    expect(decide(overrides)).toEqual({ kind: "pass" });
  });

  it("a same-origin call with a well-formed id and a small body goes on to the body check", () => {
    expect(decide({})).toEqual({ kind: "check-body", maxBytes: SERVER_ACTION_BODY_MAX_BYTES });
  });
});

describe("refusals from the head alone (Next would answer these 500)", () => {
  it.each<[string, Partial<ActionRequestHead>, number, string]>([
    ["an action called from another site", { origin: "https://evil.example" }, 403, "cross_origin_action"],
    ["an Origin of null (a sandboxed frame, a data: page)", { origin: "null" }, 403, "cross_origin_action"],
    ["an Origin that is not a URL", { origin: "desk.example, evil.example" }, 400, "invalid_origin"],
    ["a no-JavaScript form post from another site (multipart, no Next-Action)", { nextAction: null, contentType: "multipart/form-data; boundary=x", origin: "https://evil.example" }, 403, "cross_origin_action"],
    ["a multipart action from this site (this app's actions take JSON)", { contentType: "multipart/form-data; boundary=----x" }, 415, "unsupported_media_type"],
    ["a multipart form post without Next-Action (Next's form-action path)", { nextAction: null, contentType: "Multipart/Form-Data; boundary=x" }, 415, "unsupported_media_type"],
    ["a Next-Action header that is not an action id", { nextAction: "x" }, 400, "invalid_action_id"],
    ["an empty Next-Action header", { nextAction: "" }, 400, "invalid_action_id"],
    ["an id of the right length in capitals (Next writes lower-case hex)", { nextAction: ACTION_ID.toUpperCase() }, 400, "invalid_action_id"],
    ["a declared body one byte over the limit", { contentLength: String(SERVER_ACTION_BODY_MAX_BYTES + 1) }, 413, "body_too_large"],
    ["a declared body of 5 GB", { contentLength: "5000000000" }, 413, "body_too_large"],
  ])("%s → %i", (_label, overrides, status, reason) => {
    const decision = decide(overrides);
    expect(decision).toMatchObject({ kind: "refuse", refusal: { status, reason } });
  });

  it("a body of exactly the limit is read and checked, like Next (it refuses only above)", () => {
    expect(decide({ contentLength: String(SERVER_ACTION_BODY_MAX_BYTES) })).toMatchObject({ kind: "check-body" });
  });

  it("a chunked body (no Content-Length) is read and counted instead", () => {
    expect(decide({ contentLength: null })).toMatchObject({ kind: "check-body" });
  });
});

describe("the same-origin check, as Next's own", () => {
  it.each<[string, Pick<ActionRequestHead, "origin" | "host" | "forwardedHost">, boolean]>([
    ["Origin's host equals Host", { origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000", forwardedHost: null }, true],
    ["no Origin at all (curl, a server): let through, as Next does", { origin: null, host: "desk.example", forwardedHost: null }, true],
    ["behind a proxy: Origin equals X-Forwarded-Host, Host is the upstream's", { origin: "https://desk.example", host: "10.0.0.5:3000", forwardedHost: "desk.example" }, true],
    ["the first of several X-Forwarded-Host values counts", { origin: "https://desk.example", host: "10.0.0.5:3000", forwardedHost: "desk.example, edge.internal" }, true],
    ["X-Forwarded-Host wins over Host: a match with Host alone is refused", { origin: "https://desk.example", host: "desk.example", forwardedHost: "other.example" }, false],
    ["the port is part of the host", { origin: "http://desk.example:8443", host: "desk.example", forwardedHost: null }, false],
    ["a default port in Origin is dropped by URL parsing, and Host's is compared as sent", { origin: "https://desk.example:443", host: "desk.example", forwardedHost: null }, true],
    ["a sibling subdomain is another origin", { origin: "https://evil.desk.example", host: "desk.example", forwardedHost: null }, false],
    ["no Host and no X-Forwarded-Host: nothing to match", { origin: "https://desk.example", host: null, forwardedHost: null }, false],
  ])("%s → %s", (_label, head, isAllowed) => {
    expect(checkActionOrigin(head, []) === null).toBe(isAllowed);
  });

  it("an allowed origin (next.config's allowedOrigins) is let through, in any case", () => {
    expect(checkActionOrigin({ origin: "https://Partner.example", host: "desk.example", forwardedHost: null }, ["partner.example"])).toBeNull();
  });

  it("the refusal names both hosts, cut short, so a misconfigured proxy is easy to spot", () => {
    expect(checkActionOrigin({ origin: "https://evil.example", host: "desk.example", forwardedHost: null }, [])?.message).toBe(
      "Refused: a server action called from another origin (evil.example) than this site's (desk.example).",
    );
  });
});

describe("the body check: what Next's client sends passes, what React cannot decode is a 400", () => {
  it.each<[string, unknown[]]>([
    ["one object argument", [{ name: "CI key", spendCapUsd: "25.00" }]],
    ["no argument", []],
    ["an argument with nested arrays and nulls", [{ ids: ["n1", "n2"], note: null, flags: [true, false] }]],
    ["a string that starts with $, escaped as $$", [{ reason: "$$5 off" }]],
    ["a Date", [{ day: "$D2026-03-01T00:00:00.000Z" }]],
    ["a BigInt", [{ amount: "$n2500000000" }, "$n-1"]],
    ["undefined, NaN, ±Infinity and -0", ["$undefined", "$NaN", "$Infinity", "$-Infinity", "$-0"]],
    ["an object passed twice: the second use points at the first", [{ a: { x: 1 }, b: "$0:0:a" }]],
    ["a second use of an array element", [[{ x: 1 }], "$0:0:0"]],
  ])("%s", (_label, args) => {
    expect(checkActionBody(JSON.stringify(args))).toBeNull();
  });

  it.each<[string, string]>([
    ["not JSON at all", "{oops"],
    ["an empty body", ""],
    ["a JSON object instead of the arguments array", '{"name":"x"}'],
    ["a bare string (Next would call apply() with it and fail)", '"hello"'],
    ["a number", "42"],
    ["over 1,000 arguments", JSON.stringify(Array.from({ length: 1001 }, () => 0))],
    ["a reference to a part a text body cannot have", '["$1"]'],
    ["a promise reference", '["$@1"]'],
    ["a server-function reference", '["$h1"]'],
    ["a Map, a Set, a Blob, a stream, an iterator", '[{"m":"$Q1"},{"s":"$W1"},{"b":"$B1"},{"r":"$R1"},{"i":"$i1"}]'],
    ["a typed array", '["$o1"]'],
    ["an opaque temporary reference (never sent for plain data)", '["$T"]'],
    ["a BigInt that is not digits (BigInt() would throw)", '["$nabc"]'],
    ["a BigInt over 300 digits (React refuses it)", JSON.stringify([`$n${"9".repeat(301)}`])],
    ["a second use pointing at nothing", '[{"a":1,"b":"$0:0:missing"}]'],
    ["a second use pointing at a plain value, not an object", '[{"a":1,"b":"$0:0:a"}]'],
    ["a second use of the arguments array itself (a cycle)", '["$0"]'],
    ["an index past the end", '[[1],"$0:0:5"]'],
    ["a deeply nested body", `${"[".repeat(40)}${"]".repeat(40)}`],
    ["a body nested 100,000 deep (would overflow a recursive check)", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
  ])("%s → 400", (_label, body) => {
    expect(checkActionBody(body)).toMatchObject({ status: 400, reason: "malformed_action_body" });
  });

  it("the message quotes the offending value, cut short", () => {
    expect(checkActionBody(JSON.stringify([`$h${"x".repeat(100)}`]))?.message).toBe(`The server action's body is malformed: "$h${"x".repeat(38)}" is not a value Next's client sends.`);
  });
});
