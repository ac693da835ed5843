// The request id of a server action or a session route lands in the audit entries it writes: the
// caller's x-request-id when it is a sane token, else a fresh "req_…" id; a route also answers with
// it. Outside a request (a background job), entries carry none.
import { beforeEach, expect, it, vi } from "vitest";
import { recordAudit } from "@/lib/server/services/audit";
import { createLender, type Lender } from "@/test/collateral-world";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";

const incoming = vi.hoisted(() => ({ headers: new Headers() }));

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));
vi.mock("next/headers", () => ({ headers: async () => incoming.headers }));

const { createLenderApiTokenAction } = await import("@/app/lender/settings/create-token-action");
const { authed } = await import("./authed");
const { currentRequestId, requestIdFrom } = await import("./request-context");

await describeEachProvider("request ids in the audit log", (provider) => {
  let lender: Lender;
  const test = useActionDatabase(provider, {
    async setUp(db) {
      lender = await createLender(db);
    },
  });

  beforeEach(() => {
    incoming.headers = new Headers();
  });

  async function tokenAuditRow(tokenId: string) {
    return test.db.auditLog.findFirstOrThrow({ where: { action: "lenderApiToken.created", targetId: tokenId } });
  }

  it("a server action's audit entry carries the caller's x-request-id", async () => {
    incoming.headers = new Headers({ "x-request-id": "trace-4f9a2c1b-lb" });
    signInAs(lender.userId);
    const result = await createLenderApiTokenAction({ name: "from a traced request" });
    if (!result.ok) throw new Error(result.error.message);
    expect((await tokenAuditRow(result.data.id)).requestId).toBe("trace-4f9a2c1b-lb");
  });

  it("without a header, or with one that is not a sane token, the entry gets a fresh req_ id — one per call", async () => {
    signInAs(lender.userId);
    incoming.headers = new Headers({ "x-request-id": "bad id; DROP TABLE" });
    const first = await createLenderApiTokenAction({ name: "insane header" });
    incoming.headers = new Headers();
    const second = await createLenderApiTokenAction({ name: "no header" });
    if (!first.ok || !second.ok) throw new Error("action refused");
    const ids = [(await tokenAuditRow(first.data.id)).requestId, (await tokenAuditRow(second.data.id)).requestId];
    expect(ids[0]).toMatch(/^req_[0-9a-f]{32}$/);
    expect(ids[1]).toMatch(/^req_[0-9a-f]{32}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("a session route runs in the request's context and answers with x-request-id; an entry it writes carries it", async () => {
    signInAs(lender.userId);
    const handler = authed({ permission: "lenderToken.manage" }, async (_request, { viewer }) => {
      const row = await recordAudit(test.db, { orgId: viewer.orgId, actorUserId: viewer.userId, actorKind: "user", action: "test.routeCall", targetType: "Test" });
      return Response.json({ auditId: row.id, seen: currentRequestId() });
    });
    const traced = await handler(new Request("http://localhost/api/x", { headers: { "x-request-id": "lb-00000000-0001" } }), { params: Promise.resolve({}) });
    expect(traced.headers.get("x-request-id")).toBe("lb-00000000-0001");
    const body = (await traced.json()) as { auditId: string; seen: string };
    expect(body.seen).toBe("lb-00000000-0001");
    expect((await test.db.auditLog.findUniqueOrThrow({ where: { id: body.auditId } })).requestId).toBe("lb-00000000-0001");

    // A refused call (nobody signed in) still names its request.
    signInAs(null);
    const refused = await handler(new Request("http://localhost/api/x"), { params: Promise.resolve({}) });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it("outside a request (a background job) an entry has no request id unless given one", async () => {
    expect(currentRequestId()).toBeNull();
    const plain = await recordAudit(test.db, { actorKind: "system", action: "test.job", targetType: "Test" });
    const given = await recordAudit(test.db, { actorKind: "system", action: "test.job", targetType: "Test", requestId: "job-run-12345678" });
    expect([plain.requestId, given.requestId]).toEqual([null, "job-run-12345678"]);
  });
});

it.each<[string | null, boolean]>([
  ["0f8fa2e4-3c1b-4c9e-9a0e-2b7c1d5e6f70", true],
  ["req_0123456789abcdef0123456789abcdef", true],
  ["short", false],
  ["has space inside", false],
  ["x".repeat(129), false],
  [null, false],
])("requestIdFrom(%j) keeps it: %s", (value, isKept) => {
  expect(requestIdFrom(value) === value).toBe(isKept);
});
