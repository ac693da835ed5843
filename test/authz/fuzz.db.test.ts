// Property-based fuzzing (fast-check) of every server action's input, every JSON body the API
// routes read (the lender API, the index feed, the routing API's Pages routes), every query string
// a GET route parses and every page's searchParams (issue 18, item 6), on SQLite with the real
// guards, signed in as (or holding the credential of) a caller the manifest allows — so the input
// reaches the parsing and the service behind the guard. Inputs are arbitrary values (what React's
// server-action encoding can carry: strings, numbers, booleans, null, undefined, BigInt, Date, Map,
// Set, arrays, objects) and a valid input with one or two fields broken, removed or added, or
// swapped for another tenant's id — and, whatever the seed, with a key every object inherits
// (`__proto__`, `toString`, …: a `table[key]` lookup finds a function there). Whatever arrives:
// - nothing throws out of an action, and no answer is an unexpected error (`internal_error`, a 5xx);
// - a refusal (`ok: false`, a 4xx) changes nothing: every table's digest is as before;
// - a page either renders, redirects or answers 404, never throws.
// A refusal is checked cheaply: SQLite triggers count every write (test/authz/world.ts
// installWriteCounter), and the tables' digests are compared only when something was written.
// Each target runs AUTHZ_FUZZ_RUNS cases (50 by default; bodies ¾ of that, queries and pages ½)
// from a fixed seed (FUZZ_SEED to explore others); AUTHZ_FUZZ_STATS=1 prints how each answered.
// The routing API's endpoints have their own deeper fuzzing (lib/server/routing/gateway-fuzz.db.test.ts).
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/server/auth/passwords";
import { createLenderApiToken } from "@/lib/server/lender-api/tokens";
import { createApiKey } from "@/lib/server/services/api-keys";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { providerSkipReason } from "@/test/databases";
import { ROOT } from "./enumerate";
import { callAppRoute, type Answer } from "./http";
import { PAGES, ROUTE_HANDLERS, SERVER_ACTIONS } from "./manifest";
import { allowedPrincipals, credentialOf, INGEST_TOKEN, userIdOf } from "./principals";
import { openWorld, type OpenedWorld } from "./setup";
import { ACTION_TARGETS, PAGE_TARGETS, routeTarget, type RouteRequest, type World } from "./targets";
import { changedTables, createCast, installWriteCounter, snapshot, writeCount, type Cast } from "./world";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  headers: async () => new Headers({ host: "localhost:3000", "x-forwarded-proto": "http" }),
}));

process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
process.env.BLOCKABLE_INDEX_INGEST_TOKEN = INGEST_TOKEN;

const RUNS = Number(process.env.AUTHZ_FUZZ_RUNS ?? 50);
const SEED = Number(process.env.FUZZ_SEED ?? 20261218);
const PARAMETERS = { numRuns: RUNS, seed: SEED, endOnFailure: true } as const;
/** AUTHZ_FUZZ_STATS=1 prints, per target, how often each answer came back (to see the inputs reach the service). */
const IS_PRINTING_STATS = process.env.AUTHZ_FUZZ_STATS === "1";
const answers = new Map<string, Map<string, number>>();
function count(target: string, answer: string) {
  if (!IS_PRINTING_STATS) return;
  const byAnswer = answers.get(target) ?? new Map<string, number>();
  byAnswer.set(answer, (byAnswer.get(answer) ?? 0) + 1);
  answers.set(target, byAnswer);
}

// ───────────────────────────── What an input may be ─────────────────────────────

const oddString = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: "binary", maxLength: 24 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\ud800",
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "9".repeat(40),
    "$-5",
    "1,000,000,000,000,000",
    "0.0000001",
    "12.345678901",
    "2026-02-30",
    "9999-12-31",
    "0000-00-00",
    "x".repeat(5_000),
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "null",
    "{}",
    "*",
    "__proto__",
    "constructor",
  ),
);
const oddNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e308, 2 ** 53 + 1, -1, 0, 0.5, 12_500, 100_000));

/** Leaves, including ids of another tenant's things (set per test: the world's foreign ids). */
function oddValue(foreignIds: string[]) {
  const leaf = fc.oneof(oddString, oddNumber, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt(), fc.date(), fc.constantFrom(...foreignIds));
  return fc.oneof(
    { depthSize: "small" },
    leaf,
    leaf,
    fc.array(leaf, { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), leaf, { maxKeys: 4 }),
    fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, maxDepth: 3 }),
  );
}

/** Names every object inherits: a lookup `table[key]` with one of them finds a function, not undefined. */
const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf"];

type Path = (string | number)[];

/** Every path to a value inside `value` (objects and arrays walked), the root excluded. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object" || value instanceof Date) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...paths(child, path)];
  });
}

function withAt(value: unknown, path: Path, replacement: unknown, remove = false): unknown {
  if (path.length === 0) return replacement;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = path;
  if (rest.length === 0 && remove) {
    if (Array.isArray(copy)) (copy as unknown[]).splice(Number(head), 1);
    else delete copy[head];
  } else copy[head] = withAt(copy[head], rest, replacement, remove);
  return copy;
}

/** A value like `valid` that a form could plausibly send: another id (ours or another tenant's), an amount, a day, the text padded or cut. */
function plausible(valid: unknown, ids: string[]): fc.Arbitrary<unknown> {
  if (typeof valid === "string") {
    return fc.oneof(
      fc.constantFrom(...ids),
      fc.constantFrom(` ${valid} `, valid.toUpperCase(), valid.slice(0, -1), `${valid}${valid}`, valid.replace(/[0-9]/g, "9")),
      fc.stringMatching(/^\$?-?[0-9]{1,13}(\.[0-9]{1,8})?$/),
      fc.constantFrom("0", "0.01", "1", "1,000", "1000000000", "2026-01-01", new Date().toISOString().slice(0, 10), "FULL", "PARTIAL", "AMOUNT", "PROTECTIVE"),
    );
  }
  if (typeof valid === "number") return fc.oneof(fc.integer({ min: -1, max: Math.max(2, valid * 2 + 2) }), fc.constantFrom(valid + 1, valid - 1, 0));
  if (typeof valid === "boolean") return fc.constant(!valid);
  return fc.constant(valid);
}

/**
 * A valid input with one field changed to a plausible value (the service behind the schema sees
 * it), to another tenant's id, or to an odd value; two fields broken; one removed; one added; the
 * whole replaced.
 */
function inputs(valid: unknown, foreignIds: string[], ownIds: string[] = []) {
  const odd = oddValue(foreignIds);
  const all = paths(valid);
  const leaves = all.filter((path) => {
    const leaf = path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], valid);
    return leaf === null || typeof leaf !== "object";
  });
  const leafAt = (path: Path) => path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], valid);
  const mutated: fc.WeightedArbitrary<unknown>[] = [
    { weight: 1, arbitrary: odd },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...PROTOTYPE_KEYS)), odd).map(([key, extra]) => ({ ...(valid as object), [key]: extra })) },
  ];
  if (leaves.length > 0) {
    const leaf = fc.constantFrom(...leaves);
    mutated.push(
      { weight: 4, arbitrary: leaf.chain((at) => plausible(leafAt(at), [...foreignIds, ...ownIds]).map((value) => withAt(valid, at, value))) },
      { weight: 2, arbitrary: fc.tuple(leaf, fc.constantFrom(...foreignIds)).map(([at, id]) => withAt(valid, at, id)) },
    );
  }
  if (all.length > 0) {
    const path = fc.constantFrom(...all);
    mutated.push(
      { weight: 2, arbitrary: fc.tuple(path, odd).map(([at, value]) => withAt(valid, at, value)) },
      { weight: 1, arbitrary: fc.tuple(path, odd, path, odd).map(([at, value, at2, value2]) => withAt(withAt(valid, at, value), at2, value2)) },
      { weight: 1, arbitrary: path.map((at) => withAt(valid, at, undefined, true)) },
    );
  }
  return fc.oneof(...mutated);
}

/** What a failing case is shown as (fast-check prints the value; Map, Set and BigInt made readable). */
const show = (value: unknown) =>
  JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? `${item}n` : item instanceof Map ? { Map: [...item] } : item instanceof Set ? { Set: [...item] } : item === undefined ? "<undefined>" : item))?.slice(0, 400);

// ───────────────────────────── The suite ─────────────────────────────

const skip = await providerSkipReason("sqlite");

describe.skipIf(skip !== null)("fuzzing the inputs behind the guards on sqlite", () => {
  let opened: OpenedWorld | undefined;
  let world: World;
  /** Ids of B's and Y's things: swapped into an input, they must be "not found" to A and X. */
  let foreignIds: string[];
  /** Ids of A's and X's things: plausible values for a field that names one. */
  let ownIds: string[];
  const test = useActionDatabase("sqlite", {
    async setUp(db) {
      opened = await openWorld(db, "sqlite");
      await installWriteCounter(db);
      world = opened.world;
      const cast = world.cast;
      // Spare things to name, never the principals' own users, keys or tokens: an admin action
      // fuzzed with one would disable, reset or revoke the caller the next targets sign in as.
      const spareUser = (orgId: string) => db.user.create({ data: { orgId, email: `spare-${orgId}-${Date.now()}@authz.test`, name: "Spare", passwordHash: "x", role: "startup" } });
      const { foreign } = opened;
      const tokenOfY = await createLenderApiToken(db, { orgId: cast.lenderY.orgId, name: "spare", createdById: cast.lenderY.userId });
      foreignIds = [foreign.loanOfB, foreign.keyOfB, foreign.alertOfY, foreign.responseOfB, tokenOfY.token.id, cast.startupB.orgId, cast.lenderY.facilityId, (await spareUser(cast.startupB.orgId)).id];
      const loanOfA = await db.loan.findFirstOrThrow({ where: { startupOrgId: cast.startupA.orgId } });
      const keyOfA = await createApiKey(db, { orgId: cast.startupA.orgId, createdById: cast.startupA.userId, name: "spare" });
      const tokenOfX = await createLenderApiToken(db, { orgId: cast.lenderX.orgId, name: "spare", createdById: cast.lenderX.userId });
      ownIds = [loanOfA.id, keyOfA.apiKey.id, tokenOfX.token.id, cast.startupA.orgId, cast.lenderX.orgId, cast.lenderX.facilityId, (await spareUser(cast.startupA.orgId)).id];
    },
    tearDown: async () => {
      await opened?.close();
      for (const [target, byAnswer] of answers) console.log(`${target}: ${[...byAnswer].map(([answer, times]) => `${answer} ×${times}`).join(", ")}`);
    },
  });

  /**
   * What changed since the last accepted call: the write counter says whether anything was written
   * at all; only then are the tables' digests compared (a write that left every row as it was is
   * no change).
   */
  async function tracker() {
    let before = await snapshot(test.db, "sqlite");
    let writes = await writeCount(test.db);
    return {
      async accept() {
        before = await snapshot(test.db, "sqlite");
        writes = await writeCount(test.db);
      },
      async changed(): Promise<string[]> {
        const now = await writeCount(test.db);
        if (now === writes) return [];
        writes = now;
        return changedTables(before, await snapshot(test.db, "sqlite"));
      },
    };
  }

  async function castFor(freshCast: { password?: string } | undefined): Promise<Cast> {
    if (!freshCast) return world.cast;
    return createCast(test.db, freshCast.password ? { passwordHash: await hashPassword(freshCast.password) } : {});
  }

  describe("server actions", () => {
    it.each(Object.keys(SERVER_ACTIONS))("%s", async (key) => {
      const entry = SERVER_ACTIONS[key];
      const target = ACTION_TARGETS[key];
      const [file, name] = key.split("#");
      const action = (await import(/* @vite-ignore */ `${ROOT}/${file}`))[name] as (input: unknown) => Promise<unknown>;
      const cast = await castFor(target.freshCast);
      const userId = userIdOf(cast, allowedPrincipals(entry.caller)[0], entry.caller);
      const valid = await target.prepare(world, cast);
      const unchanged = await tracker();

      await fc.assert(
        fc.asyncProperty(inputs(valid, foreignIds, ownIds), async (input) => {
          signInAs(userId);
          let result: unknown;
          try {
            result = await action(input);
          } catch (error) {
            throw new Error(`threw on ${show(input)}: ${(error as Error).stack}`);
          }
          const answer = result as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
          expect(typeof answer.ok, `not an ActionResult for ${show(input)}`).toBe("boolean");
          count(key, answer.ok ? "ok" : String(answer.error?.code));
          if (answer.ok) return unchanged.accept();
          expect(answer.error?.code, `unexpected error for ${show(input)}: ${String(answer.error?.message)}`).not.toBe("internal_error");
          expect(typeof answer.error?.message).toBe("string");
          expect(await unchanged.changed(), `refused ${show(input)} but changed`).toEqual([]);
        }),
        // Always tried, whatever the seed: the valid input with a key every object inherits.
        { ...PARAMETERS, examples: PROTOTYPE_KEYS.map((name): [unknown] => [{ ...(valid as object), [name]: { a: 1 } }]) },
      );
    });
  });

  // ───────────────────────────── JSON bodies of the API routes ─────────────────────────────

  const BODY_ROUTES = Object.keys(ROUTE_HANDLERS).filter((key) => {
    const { caller } = ROUTE_HANDLERS[key];
    return caller.kind !== "public" && caller.kind !== "session" && (key.startsWith("POST ") || key.startsWith("ANY "));
  });

  async function call(key: string, request: RouteRequest, headers: Record<string, string>): Promise<Answer> {
    const method = key.slice(0, key.indexOf(" "));
    const file = key.slice(key.indexOf(" ") + 1);
    signInAs(null);
    return method === "ANY" ? opened!.callPagesApi(file, request, headers) : callAppRoute(file, method, request, headers);
  }

  /** Bodies: the valid one mutated, arbitrary JSON values, and text that is not JSON at all. */
  const bodies = (valid: unknown) =>
    fc.oneof(
      { weight: 3, arbitrary: inputs(valid, foreignIds, ownIds).map((body) => JSON.stringify(body, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item instanceof Map || item instanceof Set ? [...item] : item)) ?? "null") },
      { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
      { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("", "{", '{"mode":', "[1,2", "\u0000", "null", "true", "123")) },
    );

  describe("JSON bodies of the API routes", () => {
    it("covers every non-session POST the manifest names", () => {
      expect(BODY_ROUTES.length).toBeGreaterThanOrEqual(7);
    });

    it.each(BODY_ROUTES)("%s", async (key) => {
      const entry = ROUTE_HANDLERS[key];
      const target = routeTarget(key)!;
      const headers = credentialOf(world.cast, allowedPrincipals(entry.caller)[0]);
      const valid = await target.prepare(world, world.cast);
      const unchanged = await tracker();
      await fc.assert(
        fc.asyncProperty(bodies(valid.body), async (text) => {
          const answer = await call(key, { ...valid, body: text }, headers);
          count(key, String(answer.status));
          // The one deliberate 5xx: a model an admin enabled with no route (the fuzz's admin actions make some) is OpenAI's 503 "no provider available".
          const isNoRoute = answer.status === 503 && answer.text.includes('"code":"no_routes"');
          if (!isNoRoute) expect(answer.status, `${answer.status} for ${text.slice(0, 300)}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
          if (answer.status < 400) return unchanged.accept();
          expect((JSON.parse(answer.text) as { error?: { message?: unknown } }).error?.message, `no error message for ${text.slice(0, 200)}`).toEqual(expect.any(String));
          expect(await unchanged.changed(), `${answer.status} for ${text.slice(0, 300)} but changed`).toEqual([]);
        }),
        { ...PARAMETERS, numRuns: Math.max(10, Math.round(RUNS * 0.75)), examples: PROTOTYPE_KEYS.map((name): [string] => [JSON.stringify({ [name]: { a: 1 }, ...(valid.body as object) })]) },
      );
    });
  });

  // ───────────────────────────── Query strings of the GET routes ─────────────────────────────

  const QUERY_KEYS = ["view", "after", "limit", "state", "loanId", "startingAfter", "start", "end", "order", "from", "to", "model", "provider", "key", "status", "sort", "dir", "q", "page", "size", "action", "actor", "org", "stream"];
  const query = fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 6 })), fc.oneof(oddString, oddNumber.map(String))), { maxLength: 5 })
    .map((pairs) => new URLSearchParams(pairs.map(([name, value]) => [name, value.slice(0, 2_000)])).toString());

  const GET_ROUTES = Object.keys(ROUTE_HANDLERS).filter((key) => key.startsWith("GET ") && ROUTE_HANDLERS[key].caller.kind !== "public");

  describe("query strings of the GET routes", () => {
    it.each(GET_ROUTES)("%s", async (key) => {
      const entry = ROUTE_HANDLERS[key];
      const principal = allowedPrincipals(entry.caller)[0];
      const request = await routeTarget(key)!.prepare(world, world.cast);
      const before = await snapshot(test.db, "sqlite");
      await fc.assert(
        fc.asyncProperty(query, async (text) => {
          signInAs(userIdOf(world.cast, principal, entry.caller));
          const answer = await callAppRoute(key.slice(4), "GET", { ...request, query: text }, credentialOf(world.cast, principal));
          expect(answer.status, `${answer.status} for ?${text.slice(0, 300)}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
        }),
        { ...PARAMETERS, numRuns: Math.max(10, Math.round(RUNS / 2)) },
      );
      expect(changedTables(before, await snapshot(test.db, "sqlite")), "a GET changed the database").toEqual([]);
    });
  });

  // ───────────────────────────── Pages' searchParams ─────────────────────────────

  describe("pages' searchParams", () => {
    const searchParams = fc.dictionary(fc.oneof(fc.constantFrom(...QUERY_KEYS, "range", "callbackUrl", "error"), fc.string({ maxLength: 6 })), fc.oneof(oddString, fc.array(oddString, { maxLength: 3 })), { maxKeys: 5 });

    it.each(Object.keys(PAGES).filter((file) => PAGES[file].caller.kind === "session" || file === "app/login/page.tsx"))("%s", async (file) => {
      const entry = PAGES[file];
      const principal = entry.caller.kind === "session" ? allowedPrincipals(entry.caller)[0] : "anonymous";
      const { params = {} } = (await PAGE_TARGETS[file]?.prepare(world, world.cast)) ?? {};
      const page = (await import(/* @vite-ignore */ `${ROOT}/${file}`)) as { default: (props: object) => Promise<unknown> };
      const before = await snapshot(test.db, "sqlite");
      await fc.assert(
        fc.asyncProperty(searchParams, async (search) => {
          signInAs(entry.caller.kind === "session" ? userIdOf(world.cast, principal, entry.caller) : null);
          try {
            await page.default({ params: Promise.resolve(params), searchParams: Promise.resolve(search) });
          } catch (error) {
            // A redirect or a 404 is an answer; anything else would be the error page.
            const digest = (error as { digest?: unknown }).digest;
            const isAnswer = typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT;") || digest === "NEXT_HTTP_ERROR_FALLBACK;404");
            if (!isAnswer) throw new Error(`threw on ${show(search)}: ${(error as Error).stack}`);
          }
        }),
        { ...PARAMETERS, numRuns: Math.max(10, Math.round(RUNS / 2)) },
      );
      expect(changedTables(before, await snapshot(test.db, "sqlite")), "rendering changed the database").toEqual([]);
    });
  });
});
