// The authorisation matrix (issue 18, item 6): every server action, route handler and page in
// test/authz/manifest.ts, called as every principal — anonymous, startup A and B, lender X and Y,
// an admin, a disabled user, a user who has not yet changed a temporary password, API keys of A
// and B and a revoked one, lender tokens of X and Y and a revoked one, the index ingest token — on
// real SQLite and PostgreSQL, with the real guards (only
// next-auth's session lookup and Next's cache are stubbed, test/action-session.ts).
//
// Fixtures belong to A (a startup's loan, key, notice…) or X (a lender's endpoint, token, alert…),
// so B and Y always hold foreign ids. For each entry:
// - the cells the manifest allows succeed (2xx, `ok: true`, a page that renders), and a mutation
//   changes the database;
// - every other cell is refused the way its principal should be (401 nobody / a disabled user / a
//   wrong credential, 403 a wrong role or a temporary password, 404 another tenant's id; a page
//   redirects to /login or /account/password, or answers 403 or 404) and changes nothing: the digest of
//   every table (test/authz/world.ts `snapshot`) is the same before and after;
// - what an allowed tenant reads (JSON, CSV, a page's props) names nothing of the other tenants.
import { afterAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/server/auth/passwords";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";
import { ROOT } from "./enumerate";
import { callAppRoute, type Answer } from "./http";
import { LAYOUTS, PAGES, ROUTE_HANDLERS, SERVER_ACTIONS, type Caller, type PageEntry } from "./manifest";
import { allowedPrincipals, credentialOf, expectedRefusal, HTTP_PRINCIPALS, INGEST_TOKEN, SESSION_PRINCIPALS, userIdOf, type Principal } from "./principals";
import { openWorld, type ForeignMarkers, type OpenedWorld } from "./setup";
import { ACTION_TARGETS, loanOfA, PAGE_TARGETS, routeTarget, ROUTES_TESTED_ELSEWHERE, type RouteRequest, type World } from "./targets";
import { changedTables, createCast, createLoan, snapshot, USD, type Cast } from "./world";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));
// Pages read the request's host (the keys page's base URL, the sign-in page's origin): a plain one.
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  headers: async () => new Headers({ host: "localhost:3000", "x-forwarded-proto": "http" }),
}));

// forbidden() throws its 403 only with Next's authInterrupts on (next.config.ts turns it on).
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
process.env.BLOCKABLE_INDEX_INGEST_TOKEN = INGEST_TOKEN;

const ACTION_CODE: Record<401 | 403, string> = { 401: "unauthenticated", 403: "forbidden" };

/** Figures for the report: cells called, by kind. */
const cells = { actions: 0, routes: 0, pages: 0 };

await describeEachProvider("authorisation matrix", (provider) => {
  let world: World;
  let foreignTo: ForeignMarkers;
  let opened: OpenedWorld | undefined;

  const test = useActionDatabase(provider, {
    async setUp(db) {
      opened = await openWorld(db, provider);
      ({ world, foreignTo } = opened);
    },
    tearDown: async () => opened?.close(),
  });

  /** Names of other tenants' things found in what `principal` was answered. */
  function leaks(principal: Principal, text: string): string[] {
    const tenant = principal === "keyA" ? "startupA" : principal === "keyB" ? "startupB" : principal === "tokenX" ? "lenderX" : principal === "tokenY" ? "lenderY" : principal;
    if (!(tenant in foreignTo)) return [];
    return foreignTo[tenant as keyof typeof foreignTo].filter((marker) => text.includes(marker));
  }

  async function castFor(freshCast: { password?: string } | undefined): Promise<Cast> {
    if (!freshCast) return world.cast;
    return createCast(test.db, freshCast.password ? { passwordHash: await hashPassword(freshCast.password) } : {});
  }

  // ───────────────────────────── Server actions ─────────────────────────────

  describe("server actions", () => {
    it("every server action in the manifest has a target", () => {
      expect(Object.keys(SERVER_ACTIONS).filter((key) => !ACTION_TARGETS[key])).toEqual([]);
    });

    it.each(Object.keys(SERVER_ACTIONS))("%s", async (key) => {
      const entry = SERVER_ACTIONS[key];
      const target = ACTION_TARGETS[key];
      const [file, name] = key.split("#");
      const action = (await import(/* @vite-ignore */ `${ROOT}/${file}`))[name] as (input: unknown) => Promise<{ ok: boolean; error?: { code: string; message: string } }>;
      const cast = await castFor(target.freshCast);
      const allowed = allowedPrincipals(entry.caller);
      const failures: string[] = [];
      const input = await target.prepare(world, cast);
      const before = await snapshot(test.db, provider);

      for (const principal of SESSION_PRINCIPALS.filter((p) => !allowed.includes(p))) {
        cells.actions++;
        signInAs(userIdOf(cast, principal, entry.caller));
        const result = await action(structuredClone(input));
        const expected = expectedRefusal(principal, entry.caller);
        const isNoOp = expected === 404 && entry.caller.kind === "session" && entry.caller.foreignAnswer === "no-op";
        if (result.ok && !isNoOp) failures.push(`${principal}: succeeded, expected a ${expected}`);
        if (!result.ok) {
          const code = result.error!.code;
          const isRightRefusal = expected === 404 ? /not_found$/.test(code) : code === ACTION_CODE[expected];
          if (!isRightRefusal) failures.push(`${principal}: refused with ${code} (${result.error!.message}), expected ${expected === 404 ? "…_not_found" : ACTION_CODE[expected]}`);
        }
        const changed = changedTables(before, await snapshot(test.db, provider));
        if (changed.length > 0) failures.push(`${principal}: refused cell changed ${changed.join(", ")}`);
      }

      for (const [index, principal] of allowed.entries()) {
        cells.actions++;
        const ownInput = index === 0 ? input : await target.prepare(world, cast);
        const start = index === 0 ? before : await snapshot(test.db, provider);
        signInAs(userIdOf(cast, principal, entry.caller));
        const result = await action(structuredClone(ownInput));
        if (!result.ok) failures.push(`${principal}: allowed, but refused with ${result.error!.code} (${result.error!.message})`);
        else if (entry.mutates && changedTables(start, await snapshot(test.db, provider)).length === 0) failures.push(`${principal}: succeeded but changed nothing`);
      }
      expect(failures).toEqual([]);
    });
  });

  // ───────────────────────────── Route handlers ─────────────────────────────

  async function callRoute(key: string, principal: Principal, request: RouteRequest, cast: Cast, caller: Caller): Promise<Answer> {
    const method = key.slice(0, key.indexOf(" "));
    const file = key.slice(key.indexOf(" ") + 1);
    signInAs(userIdOf(cast, principal, caller));
    const headers = credentialOf(cast, principal);
    if (method !== "ANY") return callAppRoute(file, method, request, headers);
    return opened!.callPagesApi(file, request, headers);
  }

  describe("route handlers", () => {
    it("every route handler in the manifest has a target (or is tested elsewhere, said where)", () => {
      expect(Object.keys(ROUTE_HANDLERS).filter((key) => !routeTarget(key) && !ROUTES_TESTED_ELSEWHERE[key])).toEqual([]);
    });

    it.each(Object.keys(ROUTE_HANDLERS).filter((key) => !ROUTES_TESTED_ELSEWHERE[key]))("%s", async (key) => {
      const entry = ROUTE_HANDLERS[key];
      const target = routeTarget(key)!;
      const cast = world.cast;
      const allowed = allowedPrincipals(entry.caller);
      const failures: string[] = [];
      const request = await target.prepare(world, cast);
      const before = await snapshot(test.db, provider);

      if (entry.caller.kind === "public") {
        // The same answer whoever asks, never a 5xx, and nothing written.
        const statuses = new Map<Principal, number>();
        for (const principal of HTTP_PRINCIPALS) {
          cells.routes++;
          const answer = await callRoute(key, principal, request, cast, entry.caller);
          statuses.set(principal, answer.status);
          if (answer.status >= 500) failures.push(`${principal}: ${answer.status} ${answer.text.slice(0, 200)}`);
        }
        const distinct = new Set(statuses.values());
        if (distinct.size !== 1) failures.push(`a public entry answered differently by caller: ${JSON.stringify(Object.fromEntries(statuses))}`);
        const changed = changedTables(before, await snapshot(test.db, provider));
        if (changed.length > 0) failures.push(`changed ${changed.join(", ")}`);
        expect(failures).toEqual([]);
        return;
      }

      for (const principal of HTTP_PRINCIPALS.filter((p) => !allowed.includes(p))) {
        cells.routes++;
        const answer = await callRoute(key, principal, request, cast, entry.caller);
        const expected = expectedRefusal(principal, entry.caller);
        if (answer.status !== expected) failures.push(`${principal}: ${answer.status}, expected ${expected} (${answer.text.slice(0, 160)})`);
        const changed = changedTables(before, await snapshot(test.db, provider));
        if (changed.length > 0) failures.push(`${principal}: refused cell changed ${changed.join(", ")}`);
      }

      for (const [index, principal] of allowed.entries()) {
        cells.routes++;
        const ownRequest = index === 0 || !entry.mutates ? request : await target.prepare(world, cast);
        const start = index === 0 ? before : await snapshot(test.db, provider);
        const answer = await callRoute(key, principal, ownRequest, cast, entry.caller);
        if (answer.status < 200 || answer.status > 299) failures.push(`${principal}: allowed, but ${answer.status} (${answer.text.slice(0, 200)})`);
        else if (entry.mutates && changedTables(start, await snapshot(test.db, provider)).length === 0) failures.push(`${principal}: succeeded but changed nothing`);
        const leaked = leaks(principal, answer.text);
        if (leaked.length > 0) failures.push(`${principal}: the answer names another tenant's ${leaked.join(", ")}`);
      }
      expect(failures).toEqual([]);
    });
  });

  // ───────────────────────────── Pages ─────────────────────────────

  type PageOutcome = { kind: "rendered"; text: string } | { kind: "redirect"; to: string } | { kind: "status"; status: number } | { kind: "error"; message: string };

  /** What Next would make of a call into a page or layout: what it returned (read as text: its props are what reaches the browser), a redirect, a 403/404, or an error. */
  async function outcomeOf(render: () => Promise<unknown>): Promise<PageOutcome> {
    try {
      return { kind: "rendered", text: treeText(await render()) };
    } catch (error) {
      const digest = (error as { digest?: unknown }).digest;
      if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT;")) return { kind: "redirect", to: digest.split(";")[2] };
      if (typeof digest === "string" && digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;")) return { kind: "status", status: Number(digest.split(";")[1]) };
      return { kind: "error", message: (error as Error).stack ?? String(error) };
    }
  }

  type Renderable = { default: (props: object) => Promise<unknown>; generateMetadata?: (props: object) => Promise<unknown> };
  const load = (file: string) => import(/* @vite-ignore */ `${ROOT}/${file}`) as Promise<Renderable>;

  /** A page's default export called as Next calls it. */
  async function renderPage(file: string, params: Record<string, string>, searchParams: Record<string, string>): Promise<PageOutcome> {
    const module = await load(file);
    return outcomeOf(() => module.default({ params: Promise.resolve(params), searchParams: Promise.resolve(searchParams) }));
  }

  /** Whether `outcome` is what the manifest says `principal` gets; a failure's sentence otherwise. */
  function judge(principal: Principal, entry: PageEntry, outcome: PageOutcome): string | null {
    const said = JSON.stringify(outcome.kind === "rendered" ? { kind: "rendered" } : outcome).slice(0, 300);
    if (outcome.kind === "error") return `${principal}: threw ${outcome.message.slice(0, 300)}`;
    // Public pages render or send the visitor on (home, sign-in); they never refuse.
    if (entry.caller.kind === "public") return outcome.kind === "status" ? `${principal}: ${said}` : null;
    if (allowedPrincipals(entry.caller).includes(principal)) {
      if (outcome.kind !== "rendered") return `${principal}: allowed, but ${said}`;
      const leaked = leaks(principal, outcome.text);
      return leaked.length > 0 ? `${principal}: names another tenant's ${leaked.join(", ")}` : null;
    }
    // A temporary password is sent to change it; nobody signed in, to sign in.
    const expected = principal === "temporary" ? "/account/password" : expectedRefusal(principal, entry.caller);
    const isRight =
      expected === 401 ? outcome.kind === "redirect" && outcome.to.startsWith("/login") : typeof expected === "string" ? outcome.kind === "redirect" && outcome.to === expected : outcome.kind === "status" && outcome.status === expected;
    return isRight ? null : `${principal}: ${said}, expected ${expected === 401 ? "a redirect to /login" : typeof expected === "string" ? `a redirect to ${expected}` : expected}`;
  }

  describe("pages", () => {
    it.each(Object.keys(PAGES))("%s", async (file) => {
      const entry = PAGES[file];
      const cast = world.cast;
      const { params = {}, searchParams = {} } = (await PAGE_TARGETS[file]?.prepare(world, cast)) ?? {};
      const failures: string[] = [];
      const before = await snapshot(test.db, provider);
      for (const principal of SESSION_PRINCIPALS) {
        cells.pages++;
        signInAs(userIdOf(cast, principal, entry.caller));
        const failure = judge(principal, entry, await renderPage(file, params, searchParams));
        if (failure) failures.push(failure);
      }
      const changed = changedTables(before, await snapshot(test.db, provider));
      if (changed.length > 0) failures.push(`rendering changed ${changed.join(", ")}`);
      expect(failures).toEqual([]);
    });
  });

  describe("layouts (and their generateMetadata)", () => {
    it.each(Object.keys(LAYOUTS))("%s", async (file) => {
      const entry = LAYOUTS[file];
      const cast = world.cast;
      const { params = {} } = (await PAGE_TARGETS[file.replace(/layout\.tsx$/, "page.tsx")]?.prepare(world, cast)) ?? {};
      // The fixture's own name (a loan's reference): a refused caller's title must not carry it.
      const fixture = params.loanId ? (await test.db.loan.findUniqueOrThrow({ where: { id: params.loanId } })).reference : null;
      const module = await load(file);
      const failures: string[] = [];
      const before = await snapshot(test.db, provider);
      for (const principal of SESSION_PRINCIPALS) {
        cells.pages++;
        signInAs(userIdOf(cast, principal, entry.caller));
        const failure = judge(principal, entry, await outcomeOf(() => module.default({ children: null, params: Promise.resolve(params) })));
        if (failure) failures.push(failure);
        if (!module.generateMetadata) continue;
        const metadata = await outcomeOf(() => module.generateMetadata!({ params: Promise.resolve(params) }));
        const isAllowed = entry.caller.kind === "public" || allowedPrincipals(entry.caller).includes(principal);
        if (metadata.kind === "error") failures.push(`${principal}: generateMetadata threw ${metadata.message.slice(0, 300)}`);
        else if (metadata.kind === "rendered" && !isAllowed && fixture && metadata.text.includes(fixture)) failures.push(`${principal}: the title names ${fixture}`);
        else if (metadata.kind === "rendered" && isAllowed && leaks(principal, metadata.text).length > 0) failures.push(`${principal}: the title names another tenant's ${leaks(principal, metadata.text).join(", ")}`);
        else if (metadata.kind !== "rendered" && isAllowed) failures.push(`${principal}: generateMetadata refused an allowed caller: ${JSON.stringify(metadata)}`);
      }
      const changed = changedTables(before, await snapshot(test.db, provider));
      if (changed.length > 0) failures.push(`rendering changed ${changed.join(", ")}`);
      expect(failures).toEqual([]);
    });
  });

  // ───────────────────────────── Foreign ids where a list or a replay takes one ─────────────────────────────

  describe("another tenant's id in a cursor, a filter or an idempotency key", () => {
    /** A GET as `principal`; the answer must be `status` and name nothing of another tenant. */
    async function read(principal: Principal, file: string, query: string, params: Record<string, string> = {}) {
      signInAs(userIdOf(world.cast, principal, { kind: "session", permission: null, roles: ["startup", "lender", "admin"], scope: "own-org" }));
      const answer = await callAppRoute(file, "GET", { query, params }, credentialOf(world.cast, principal));
      // The id the caller sent may be echoed in the refusal ("No response with id …"); anything else of the other tenant may not.
      const sent = `${query} ${Object.values(params).join(" ")}`;
      return { ...answer, leaked: leaks(principal, answer.text).filter((marker) => !sent.includes(marker)) };
    }

    it("a lender's alert inbox and the lender API refuse another lender's alert or loan as a cursor (400), and filter another's loan to nothing", async () => {
      const { foreign } = opened!;
      const before = await snapshot(test.db, provider);
      expect(await read("lenderX", "app/api/lender/alerts/route.ts", `after=${foreign.alertOfY}`)).toMatchObject({ status: 400, leaked: [] });
      expect(await read("tokenX", "app/api/lender/v1/loans/route.ts", `startingAfter=${foreign.loanOfB}`)).toMatchObject({ status: 400, leaked: [] });
      expect(await read("tokenX", "app/api/lender/v1/alerts/route.ts", `startingAfter=${foreign.alertOfY}`)).toMatchObject({ status: 400, leaked: [] });
      const filtered = await read("tokenX", "app/api/lender/v1/alerts/route.ts", `loanId=${foreign.loanOfB}`);
      expect(filtered).toMatchObject({ status: 200, leaked: [] });
      expect(JSON.parse(filtered.text)).toMatchObject({ data: [] });
      expect(changedTables(before, await snapshot(test.db, provider))).toEqual([]);
    });

    it("a startup's usage export and page filtered by another startup's key id list nothing of it", async () => {
      const { foreign } = opened!;
      const exported = await read("startupA", "app/api/startup/usage/export/route.ts", `key=${foreign.keyOfB}`);
      expect(exported).toMatchObject({ status: 200, leaked: [] });
      expect(exported.text.trim().split("\n")).toHaveLength(1); // the header only
      signInAs(world.cast.startupA.userId);
      const page = await renderPage("app/startup/usage/page.tsx", {}, { key: foreign.keyOfB });
      expect(page.kind).toBe("rendered");
      expect(leaks("startupA", page.kind === "rendered" ? page.text : "")).toEqual([]);
    });

    it("another startup's stored response is not found by A's key, and A's previous_response_id is not found by B's", async () => {
      const { foreign } = opened!;
      for (const file of ["app/api/v1/responses/[id]/route.ts", "app/api/v1/responses/[id]/input_items/route.ts"]) {
        expect(await read("keyA", file, "", { id: foreign.responseOfB })).toMatchObject({ status: 404, leaked: [] });
      }
      const before = await snapshot(test.db, provider);
      signInAs(null);
      const answer = await opened!.callPagesApi("pages/api/v1/responses.ts", { method: "POST", body: { model: "authz/chat", input: "Continue.", previous_response_id: foreign.responseOfB } }, credentialOf(world.cast, "keyA"));
      expect(answer.status).toBe(404);
      expect(leaks("keyA", answer.text).filter((marker) => marker !== foreign.responseOfB)).toEqual([]);
      expect(changedTables(before, await snapshot(test.db, provider))).toEqual([]);
    });

    it("an Idempotency-Key another lender used replays nothing to this one: Y gets a 404 on X's loan, and its own answer on its own", async () => {
      const cast = world.cast;
      const key = `authz-idempotency-${Date.now()}`;
      const loanOfX = await loanOfA(world);
      const loanOfY = await createLoan(test.db, { startupOrgId: cast.startupB.orgId, lenderOrgId: cast.lenderY.orgId, principalMicros: 1_000n * USD, pledgedMicros: 600n * USD });
      const freeze = (token: string, loanId: string) =>
        callAppRoute("app/api/lender/v1/loans/[loanId]/freeze/route.ts", "POST", { params: { loanId }, body: { mode: "FULL", reason: "Margin call." } }, { authorization: `Bearer ${token}`, "idempotency-key": key });
      signInAs(null);
      const byX = await freeze(cast.tokens.X, loanOfX.id);
      expect(byX.status).toBe(201);
      const before = await snapshot(test.db, provider);
      const byYOnX = await freeze(cast.tokens.Y, loanOfX.id);
      expect(byYOnX.status).toBe(404);
      expect(byYOnX.text).not.toContain(loanOfX.reference);
      expect(byYOnX.text).not.toContain("freezeEvent");
      expect(changedTables(before, await snapshot(test.db, provider))).toEqual([]);
      const byYOnOwn = await freeze(cast.tokens.Y, loanOfY.id);
      expect(byYOnOwn.status).toBe(201);
      expect(JSON.parse(byYOnOwn.text)).toMatchObject({ loan: { id: loanOfY.id } });
      expect(byYOnOwn.text).not.toContain(loanOfX.id);
    });
  });

  afterAll(() => {
    console.log(`authorisation matrix on ${provider}: ${cells.actions} server-action cells, ${cells.routes} route cells, ${cells.pages} page cells`);
    cells.actions = cells.routes = cells.pages = 0;
  });

});

/** A React element tree as text: every string, number and prop value in it, functions and symbols left out. */
function treeText(node: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(node, (key, value: unknown) => {
    if (key === "_owner" || key === "_store" || key === "_debugInfo" || key === "_debugStack" || key === "_debugTask") return undefined;
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "function" || typeof value === "symbol") return undefined;
    if (value !== null && typeof value === "object") {
      if (seen.has(value)) return undefined;
      seen.add(value);
    }
    return value;
  });
}
