// The alert, webhook and lender API token server actions against real SQLite and
// PostgreSQL, with the real guard: only the session (next-auth) and Next's cache are stubbed; the
// test webhook goes to a real HTTP receiver on 127.0.0.1. TENANT ISOLATION matrix: a lender acts
// only on its own alerts, endpoints and tokens (another lender's id is "not found" and nothing
// changes), a startup can do none of it (403), anonymous is a 401. (The GPU index actions: app/admin/gpu-index.)
import { createHash, createHmac } from "node:crypto";
import { expect, it, vi } from "vitest";
import { alertOpenKey } from "@/lib/domain/alerts";
import { openLoanAlert } from "@/lib/server/alerts/rows";
import { authenticateLenderToken } from "@/lib/server/lender-api/tokens";
import { createLoan, createTenants, createUser, type Lender, type Tenants } from "@/test/collateral-world";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";
import { startWebhookReceiver, type WebhookReceiver } from "@/test/webhook-receiver";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { acknowledgeAlertsAction } = await import("@/app/lender/alerts/acknowledge-action");
/** The inbox's Acknowledge on one row. */
const acknowledgeAlert = ({ alertId }: { alertId: string }) => acknowledgeAlertsAction({ alertIds: [alertId] });
const { createWebhookEndpointAction } = await import("@/app/lender/settings/add-endpoint-action");
const { deleteWebhookEndpointAction } = await import("@/app/lender/settings/delete-endpoint-action");
const { sendTestWebhookAction } = await import("@/app/lender/settings/send-test-event-action");
const { setWebhookEndpointEnabledAction } = await import("@/app/lender/settings/set-endpoint-enabled-action");
const { createLenderApiTokenAction } = await import("@/app/lender/settings/create-token-action");
const { revokeLenderApiTokenAction } = await import("@/app/lender/settings/revoke-token-action");

const USD = 1_000_000n;

await describeEachProvider("alert, webhook and lender token actions", (provider) => {
  let tenants: Tenants;
  let startup: { orgId: string; userId: string };
  let receiver: WebhookReceiver;

  const test = useActionDatabase(provider, {
    async setUp(db) {
      tenants = await createTenants(db);
      startup = await createUser(db, "STARTUP");
      receiver = await startWebhookReceiver();
    },
    tearDown: async () => receiver?.close(),
  });

  const as = signInAs;

  /** A healthy loan of `lender` (coverage 850%: an index recompute opens nothing on it) with one OPEN alert. */
  async function openAlertOn(lender: Lender) {
    const { loan, startupUserId } = await createLoan(test.db, { lender, financedMicros: 100n * USD, principalMicros: 10n * USD });
    const alertId = await test.db.$transaction((tx) =>
      openLoanAlert(tx, { loan, kind: "EARLY_WARNING_1", message: "Coverage fell below the 140% early-warning level (now 139.00%).", coverageBps: 13_900, now: new Date() }),
    );
    return { loan, alertId, startupUserId };
  }

  /** An endpoint of `lender` subscribed to every event, created through the action as that lender. */
  async function createEndpointFor(lender: Lender, url = `https://hooks.example.test/${lender.orgId}`) {
    as(lender.userId);
    const created = await createWebhookEndpointAction({ url, events: "*" });
    if (!created.ok) throw new Error(`endpoint not created: ${created.error.message}`);
    return created.data;
  }

  // ───────────────────────────── alerts ─────────────────────────────

  it("a lender acknowledges its own alert: ACKNOWLEDGED by the user, audited, sent to its own webhook only; again changes nothing", async () => {
    const endpointA = await createEndpointFor(tenants.lenderA);
    const endpointB = await createEndpointFor(tenants.lenderB);
    const { loan, alertId } = await openAlertOn(tenants.lenderA);

    as(tenants.lenderA.userId);
    const result = await acknowledgeAlert({ alertId });
    expect(result).toMatchObject({ ok: true, data: { changedIds: [alertId], alerts: [{ id: alertId, loanId: loan.id, loanReference: loan.reference, kind: "EARLY_WARNING_1", state: "ACKNOWLEDGED", resolvedAt: null }] } });
    if (!result.ok) throw new Error("unreachable");
    expect(result.data.alerts[0].acknowledgedAt).toEqual(expect.any(String));

    const row = await test.db.alert.findUniqueOrThrow({ where: { id: alertId } });
    expect(row).toMatchObject({ state: "ACKNOWLEDGED", acknowledgedById: tenants.lenderA.userId, openKey: alertOpenKey(loan.id, "EARLY_WARNING_1") });
    expect(row.acknowledgedAt?.toISOString()).toBe(result.data.alerts[0].acknowledgedAt);
    const audits = await test.db.auditLog.findMany({ where: { action: "alert.acknowledge", targetId: alertId } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ orgId: tenants.lenderA.orgId, actorUserId: tenants.lenderA.userId, actorKind: "user", targetType: "Alert" });

    const acknowledged = await test.db.webhookDelivery.findMany({ where: { eventType: "alert.acknowledged", payload: { contains: alertId } } });
    expect(acknowledged.map((delivery) => delivery.endpointId)).toEqual([endpointA.id]);
    expect(JSON.parse(acknowledged[0].payload)).toMatchObject({ type: "alert.acknowledged", data: { alertId, loanId: loan.id, reference: loan.reference, kind: "EARLY_WARNING_1", acknowledgedById: tenants.lenderA.userId } });
    expect(await test.db.webhookDelivery.count({ where: { endpointId: endpointB.id } })).toBe(0);

    const again = await acknowledgeAlert({ alertId });
    expect(again).toMatchObject({ ok: true, data: { changedIds: [], alerts: [{ id: alertId, state: "ACKNOWLEDGED", acknowledgedAt: result.data.alerts[0].acknowledgedAt }] } });
    expect(await test.db.auditLog.count({ where: { action: "alert.acknowledge", targetId: alertId } })).toBe(1);
    expect(await test.db.webhookDelivery.count({ where: { eventType: "alert.acknowledged", payload: { contains: alertId } } })).toBe(1);
  });

  it("TENANT ISOLATION: lender B acknowledging lender A's alert is 'alert not found' and nothing changes", async () => {
    await createEndpointFor(tenants.lenderB, "https://hooks.example.test/b-isolation");
    const { alertId } = await openAlertOn(tenants.lenderA);
    const before = await test.db.alert.findUniqueOrThrow({ where: { id: alertId } });

    as(tenants.lenderB.userId);
    expect(await acknowledgeAlert({ alertId })).toMatchObject({ ok: false, error: { code: "alert_not_found", field: "alertId" } });

    expect(await test.db.alert.findUniqueOrThrow({ where: { id: alertId } })).toEqual(before);
    expect(before).toMatchObject({ state: "OPEN", acknowledgedAt: null, acknowledgedById: null });
    expect(await test.db.auditLog.count({ where: { action: "alert.acknowledge", targetId: alertId } })).toBe(0);
    expect(await test.db.webhookDelivery.count({ where: { eventType: "alert.acknowledged", payload: { contains: alertId } } })).toBe(0);
  });

  it("a startup (even the loan's own) and an admin are refused (403), anonymous is a 401; the alert stays OPEN", async () => {
    const { alertId, startupUserId } = await openAlertOn(tenants.lenderA);
    for (const userId of [startupUserId, startup.userId, tenants.admin.userId]) {
      as(userId);
      expect(await acknowledgeAlert({ alertId })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    as(null);
    expect(await acknowledgeAlert({ alertId })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await test.db.alert.findUniqueOrThrow({ where: { id: alertId } })).toMatchObject({ state: "OPEN", acknowledgedById: null });
    expect(await test.db.auditLog.count({ where: { action: "alert.acknowledge", targetId: alertId } })).toBe(0);
  });

  it.each([
    ["a blank alert id", "   "],
    ["an empty alert id", ""],
    ["an alert id over 64 characters", "a".repeat(65)],
  ])("refuses %s as a field error naming the alert id", async (_label, alertId) => {
    as(tenants.lenderA.userId);
    expect(await acknowledgeAlert({ alertId })).toMatchObject({ ok: false, error: { code: "invalid_request", field: "alertIds.0" } });
  });

  it("an unknown alert id is 'not found'; a resolved alert cannot be acknowledged (409)", async () => {
    as(tenants.lenderA.userId);
    expect(await acknowledgeAlert({ alertId: "no-such-alert" })).toMatchObject({ ok: false, error: { code: "alert_not_found", field: "alertId" } });
    const { alertId } = await openAlertOn(tenants.lenderA);
    await test.db.alert.update({ where: { id: alertId }, data: { state: "RESOLVED", resolvedAt: new Date(), openKey: null } });
    expect(await acknowledgeAlert({ alertId })).toMatchObject({ ok: false, error: { code: "alert_resolved" } });
    expect(await test.db.alert.findUniqueOrThrow({ where: { id: alertId } })).toMatchObject({ state: "RESOLVED", acknowledgedById: null });
  });

  // ───────────────────────────── webhooks ─────────────────────────────

  it("a lender creates an endpoint: the signing secret is in the answer once and stored only sealed, audited", async () => {
    as(tenants.lenderA.userId);
    const result = await createWebhookEndpointAction({ url: "  https://hooks.example.test/blockable  ", events: ["alert.opened", "loan.frozen"] });
    expect(result).toMatchObject({ ok: true, data: { url: "https://hooks.example.test/blockable", events: ["alert.opened", "loan.frozen"] } });
    if (!result.ok) throw new Error("unreachable");
    expect(result.data.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const row = await test.db.webhookEndpoint.findUniqueOrThrow({ where: { id: result.data.id } });
    expect(row).toMatchObject({ orgId: tenants.lenderA.orgId, url: "https://hooks.example.test/blockable", events: "alert.opened,loan.frozen", isEnabled: true });
    expect(row.secretEncrypted).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain(result.data.secret);
    const audit = await test.db.auditLog.findFirstOrThrow({ where: { action: "webhookEndpoint.created", targetId: row.id } });
    expect(audit).toMatchObject({ orgId: tenants.lenderA.orgId, actorUserId: tenants.lenderA.userId });
    expect(audit.detailJson).not.toContain(result.data.secret);
  });

  it.each([
    ["a URL that is not one", { url: "not a url", events: "*" }, "url"],
    ["an ftp URL", { url: "ftp://hooks.example.test/x", events: "*" }, "url"],
    ["a URL with a password", { url: "https://user:pw@hooks.example.test/x", events: "*" }, "url"],
    ["no events", { url: "https://hooks.example.test/x", events: [] }, "events"],
    ["an event nobody can subscribe to", { url: "https://hooks.example.test/x", events: ["webhook.test"] }, "events"],
  ])("refuses %s as a field error; no endpoint is created", async (_label, input, field) => {
    as(tenants.lenderA.userId);
    const endpoints = await test.db.webhookEndpoint.count({ where: { orgId: tenants.lenderA.orgId } });
    const result = await createWebhookEndpointAction(input as { url: string; events: "*" });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    if (result.ok) throw new Error("unreachable");
    expect(result.error.field?.startsWith(field)).toBe(true);
    expect(await test.db.webhookEndpoint.count({ where: { orgId: tenants.lenderA.orgId } })).toBe(endpoints);
  });

  it("a startup and an admin cannot create, delete, disable or test endpoints (403); anonymous is a 401", async () => {
    const endpoint = await createEndpointFor(tenants.lenderA, "https://hooks.example.test/guarded");
    const endpointsBefore = await test.db.webhookEndpoint.count();
    for (const userId of [startup.userId, tenants.admin.userId]) {
      as(userId);
      expect(await createWebhookEndpointAction({ url: "https://hooks.example.test/mine", events: "*" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect(await deleteWebhookEndpointAction({ endpointId: endpoint.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect(await setWebhookEndpointEnabledAction({ endpointId: endpoint.id, isEnabled: false })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect(await sendTestWebhookAction({ endpointId: endpoint.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    as(null);
    expect(await createWebhookEndpointAction({ url: "https://hooks.example.test/anon", events: "*" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await test.db.webhookEndpoint.count()).toBe(endpointsBefore);
    expect(await test.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ isEnabled: true });
    expect(await test.db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
  });

  it("TENANT ISOLATION: lender B can never delete, disable, enable or test lender A's endpoint; each is 'not found'", async () => {
    const endpoint = await createEndpointFor(tenants.lenderA, receiver.url("/isolation"));
    const before = await test.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });

    as(tenants.lenderB.userId);
    const attempts = [
      await deleteWebhookEndpointAction({ endpointId: endpoint.id }),
      await setWebhookEndpointEnabledAction({ endpointId: endpoint.id, isEnabled: false }),
      await setWebhookEndpointEnabledAction({ endpointId: endpoint.id, isEnabled: true }),
      await sendTestWebhookAction({ endpointId: endpoint.id }),
    ];
    for (const result of attempts) expect(result).toMatchObject({ ok: false, error: { code: "webhook_endpoint_not_found" } });

    expect(await test.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toEqual(before);
    expect(await test.db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
    expect(receiver.on("/isolation")).toEqual([]);
    expect(await test.db.auditLog.count({ where: { targetId: endpoint.id, orgId: tenants.lenderB.orgId } })).toBe(0);

    // The same calls by the owner do work, so the refusals above are about the tenant, not the id.
    as(tenants.lenderA.userId);
    expect(await setWebhookEndpointEnabledAction({ endpointId: endpoint.id, isEnabled: false })).toMatchObject({ ok: true, data: { id: endpoint.id, isEnabled: false } });
    expect(await sendTestWebhookAction({ endpointId: endpoint.id })).toMatchObject({ ok: false, error: { code: "webhook_endpoint_disabled" } });
    expect(await setWebhookEndpointEnabledAction({ endpointId: endpoint.id, isEnabled: true })).toMatchObject({ ok: true, data: { isEnabled: true } });
    expect(await deleteWebhookEndpointAction({ endpointId: endpoint.id })).toMatchObject({ ok: true, data: { id: endpoint.id } });
    expect(await test.db.webhookEndpoint.findUnique({ where: { id: endpoint.id } })).toBeNull();
    expect((await test.db.auditLog.findMany({ where: { targetId: endpoint.id }, orderBy: { at: "asc" } })).map((audit) => audit.action).sort()).toEqual(
      ["webhookEndpoint.created", "webhookEndpoint.deleted", "webhookEndpoint.disabled", "webhookEndpoint.enabled"].sort(),
    );
  });

  it("a lender sends a test event to its own endpoint: delivered at once, signed with the secret it was shown", async () => {
    const endpoint = await createEndpointFor(tenants.lenderA, receiver.url("/test-event"));
    as(tenants.lenderA.userId);
    const result = await sendTestWebhookAction({ endpointId: endpoint.id });
    expect(result).toMatchObject({ ok: true, data: { status: "DELIVERED", statusCode: 200, error: null } });
    if (!result.ok) throw new Error("unreachable");

    const delivery = await test.db.webhookDelivery.findUniqueOrThrow({ where: { id: result.data.deliveryId } });
    expect(delivery).toMatchObject({ endpointId: endpoint.id, eventId: result.data.eventId, eventType: "webhook.test", status: "DELIVERED", attempts: 1, lastStatusCode: 200 });
    expect(await test.db.auditLog.count({ where: { action: "webhookEndpoint.testSent", targetId: endpoint.id, actorUserId: tenants.lenderA.userId } })).toBe(1);

    const received = receiver.on("/test-event");
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request.headers["blockable-event-type"]).toBe("webhook.test");
    expect(request.headers["blockable-event-id"]).toBe(result.data.eventId);
    expect(request.rawBody.toString("utf8")).toBe(delivery.payload);
    expect(JSON.parse(delivery.payload)).toMatchObject({ id: result.data.eventId, type: "webhook.test", data: { endpointId: endpoint.id } });
    // HMAC-SHA256(secret, `${t}.${body}`) in a `t=…,v1=…` header, with the secret from the creation answer.
    const signature = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers["blockable-signature"]));
    expect(signature).not.toBeNull();
    const expected = createHmac("sha256", endpoint.secret).update(`${signature![1]}.`).update(request.rawBody).digest("hex");
    expect(signature![2]).toBe(expected);
  });

  // ───────────────────────────── lender API tokens ─────────────────────────────

  it("a lender creates a token: lk-bl- plaintext shown once, stored only as its SHA-256, and it authenticates as the lender", async () => {
    as(tenants.lenderA.userId);
    const result = await createLenderApiTokenAction({ name: "  risk feed  " });
    expect(result).toMatchObject({ ok: true, data: { id: expect.any(String), prefix: expect.stringMatching(/^lk-bl-/) } });
    if (!result.ok) throw new Error("unreachable");
    const { plaintext, prefix, id } = result.data;
    expect(plaintext).toMatch(/^lk-bl-[0-9A-Za-z]{33}$/);
    expect(plaintext.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBeLessThan(plaintext.length);

    const row = await test.db.lenderApiToken.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ orgId: tenants.lenderA.orgId, name: "risk feed", prefix, createdById: tenants.lenderA.userId, revokedAt: null });
    expect(row.hash).toBe(createHash("sha256").update(plaintext, "utf8").digest("hex"));
    expect(JSON.stringify(row)).not.toContain(plaintext);
    const audit = await test.db.auditLog.findFirstOrThrow({ where: { action: "lenderApiToken.created", targetId: id } });
    expect(audit).toMatchObject({ orgId: tenants.lenderA.orgId, actorUserId: tenants.lenderA.userId });
    expect(audit.detailJson).not.toContain(plaintext);
    expect(await authenticateLenderToken(test.db, `Bearer ${plaintext}`)).toEqual({ orgId: tenants.lenderA.orgId, tokenId: id });
  });

  it.each([
    ["a blank name", "   "],
    ["a name over 64 characters", "n".repeat(65)],
  ])("refuses %s as a field error naming name", async (_label, name) => {
    as(tenants.lenderA.userId);
    const tokens = await test.db.lenderApiToken.count({ where: { orgId: tenants.lenderA.orgId } });
    expect(await createLenderApiTokenAction({ name })).toMatchObject({ ok: false, error: { code: "invalid_request", field: "name" } });
    expect(await test.db.lenderApiToken.count({ where: { orgId: tenants.lenderA.orgId } })).toBe(tokens);
  });

  it("TENANT ISOLATION: lender B cannot revoke lender A's token ('not found', still live); A revokes it, once", async () => {
    as(tenants.lenderA.userId);
    const created = await createLenderApiTokenAction({ name: "to revoke" });
    if (!created.ok) throw new Error(created.error.message);
    const { id, plaintext } = created.data;

    as(tenants.lenderB.userId);
    expect(await revokeLenderApiTokenAction({ tokenId: id })).toMatchObject({ ok: false, error: { code: "lender_api_token_not_found" } });
    expect(await test.db.lenderApiToken.findUniqueOrThrow({ where: { id } })).toMatchObject({ revokedAt: null });
    expect(await authenticateLenderToken(test.db, `Bearer ${plaintext}`)).toMatchObject({ orgId: tenants.lenderA.orgId });
    expect(await test.db.auditLog.count({ where: { action: "lenderApiToken.revoked", targetId: id } })).toBe(0);

    as(tenants.lenderA.userId);
    const revoked = await revokeLenderApiTokenAction({ tokenId: id });
    expect(revoked).toMatchObject({ ok: true, data: { id, revokedAt: expect.any(String) } });
    if (!revoked.ok) throw new Error("unreachable");
    expect((await test.db.lenderApiToken.findUniqueOrThrow({ where: { id } })).revokedAt?.toISOString()).toBe(revoked.data.revokedAt);
    await expect(authenticateLenderToken(test.db, `Bearer ${plaintext}`)).rejects.toMatchObject({ status: 401, code: "invalid_api_token" });
    expect(await revokeLenderApiTokenAction({ tokenId: id })).toMatchObject({ ok: true, data: { id, revokedAt: revoked.data.revokedAt } });
    expect(await test.db.auditLog.count({ where: { action: "lenderApiToken.revoked", targetId: id } })).toBe(1);
    // Lender B's own token is untouched by all of this.
    expect(await authenticateLenderToken(test.db, `Bearer ${tenants.lenderB.token}`)).toMatchObject({ orgId: tenants.lenderB.orgId });
  });

  it("a startup and an admin cannot create or revoke lender tokens (403); anonymous is a 401", async () => {
    as(tenants.lenderA.userId);
    const created = await createLenderApiTokenAction({ name: "guarded" });
    if (!created.ok) throw new Error(created.error.message);
    const tokensBefore = await test.db.lenderApiToken.count();
    for (const userId of [startup.userId, tenants.admin.userId]) {
      as(userId);
      expect(await createLenderApiTokenAction({ name: "mine" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect(await revokeLenderApiTokenAction({ tokenId: created.data.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    as(null);
    expect(await createLenderApiTokenAction({ name: "anon" })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await revokeLenderApiTokenAction({ tokenId: created.data.id })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await test.db.lenderApiToken.count()).toBe(tokensBefore);
    expect(await test.db.lenderApiToken.findUniqueOrThrow({ where: { id: created.data.id } })).toMatchObject({ revokedAt: null });
  });
});
