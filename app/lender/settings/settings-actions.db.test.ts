// The lender Settings screen's server actions and reads against real SQLite and PostgreSQL, with
// the real guard (only the session and Next's cache are stubbed): a token made on screen works on
// the lender API over HTTP and is a 401 once revoked; webhook secrets rotate on real deliveries to a
// receiver on 127.0.0.1; a delivery is resent with its event id; a test event reports its outcome;
// bad input gets a precise message on the right field; and TENANT ISOLATION: another lender's
// token, endpoint or delivery is "not found" and nothing about it changes.
import { createHmac, timingSafeEqual } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { authenticateLenderToken } from "@/lib/server/lender-api/tokens";
import { findEndpointDeliveryLog, getLenderSettings } from "@/lib/server/queries/lender-settings";
import { createLender, createLoan, createUser, seedIndex, type Lender } from "@/test/collateral-world";
import { signInAs, useActionDatabase } from "@/test/action-harness";
import { describeEachProvider } from "@/test/databases";
import { startLenderApiServer } from "@/test/lender-api-server";
import { startWebhookReceiver, type WebhookReceiver } from "@/test/webhook-receiver";

vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));

const { createLenderApiTokenAction } = await import("./create-token-action");
const { revokeLenderApiTokenAction } = await import("./revoke-token-action");
const { createWebhookEndpointAction } = await import("./add-endpoint-action");
const { deleteWebhookEndpointAction } = await import("./delete-endpoint-action");
const { rotateWebhookSecretAction } = await import("./rotate-secret-action");
const { sendTestWebhookAction } = await import("./send-test-event-action");
const { setWebhookEndpointEnabledAction } = await import("./set-endpoint-enabled-action");
const { resendWebhookDeliveryAction } = await import("./webhooks/[endpointId]/resend-delivery-action");

const USD = 1_000_000n;

/** The receiver's side, written from the spec: HMAC-SHA256(secret, `${t}.${rawBody}`) in `t=…,v1=…`. */
function signedWith(header: unknown, rawBody: Buffer, secret: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header));
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(`${match[1]}.`).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[2], "hex"));
}

function unwrap<T>(result: { ok: true; data: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(`action refused: ${result.error.message}`);
  return result.data;
}

await describeEachProvider("lender Settings actions", (provider) => {
  let lenderA: Lender;
  let lenderB: Lender;
  let receiver: WebhookReceiver;
  let api: Awaited<ReturnType<typeof startLenderApiServer>>;
  let sequence = 0;

  const test = useActionDatabase(provider, {
    async setUp(db) {
      await seedIndex(db);
      lenderA = await createLender(db);
      lenderB = await createLender(db);
      receiver = await startWebhookReceiver();
      api = await startLenderApiServer(db);
    },
    async tearDown() {
      await api?.close();
      await receiver?.close();
    },
  });

  const as = (lender: { userId: string } | null) => signInAs(lender?.userId ?? null);
  const callApi = (token: string) => fetch(`${api.baseUrl}/loans`, { headers: { authorization: `Bearer ${token}` } });

  /** An endpoint of `lender` on its own receiver path, added through the action as that lender. */
  async function addEndpoint(lender: Lender) {
    const path = `/settings/${provider}/${++sequence}`;
    as(lender);
    const created = unwrap(await createWebhookEndpointAction({ url: receiver.url(path), events: ["loan.frozen", "alert.opened"] }));
    return { ...created, path };
  }

  // ───────────────────────────── API tokens ─────────────────────────────

  it("a token created on screen calls the lender API (200) and is listed with prefix, creator and last use; once revoked its next call is a 401", async () => {
    as(lenderA);
    const created = unwrap(await createLenderApiTokenAction({ name: "  Risk feed  " }));
    expect(created).toMatchObject({ name: "Risk feed", prefix: created.plaintext.slice(0, created.prefix.length) });
    expect(created.plaintext).toMatch(/^lk-bl-[0-9A-Za-z]{33}$/);

    const ok = await callApi(created.plaintext);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ object: "list" });

    const listed = (await getLenderSettings(test.db, lenderA.orgId)).tokens.find((token) => token.id === created.id);
    const creator = await test.db.user.findUniqueOrThrow({ where: { id: lenderA.userId } });
    expect(listed).toMatchObject({ name: "Risk feed", prefix: created.prefix, createdBy: { name: creator.name, email: creator.email }, revokedAt: null });
    expect(listed?.lastUsedAt).toEqual(expect.any(String));
    expect(JSON.stringify(await getLenderSettings(test.db, lenderA.orgId))).not.toContain(created.plaintext);

    const revoked = unwrap(await revokeLenderApiTokenAction({ tokenId: created.id }));
    expect(revoked).toMatchObject({ id: created.id, name: "Risk feed", revokedAt: expect.any(String) });
    const refused = await callApi(created.plaintext);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "invalid_api_token" } });
    expect((await getLenderSettings(test.db, lenderA.orgId)).tokens.find((token) => token.id === created.id)).toMatchObject({ revokedAt: revoked.revokedAt });
    // The lender's other token still works: revoking one touches no other.
    expect((await callApi(lenderA.token)).status).toBe(200);
  });

  it.each([
    ["a blank name", { name: "   " }, "name", "name: Give the token a name."],
    ["a name of 65 characters", { name: "n".repeat(65) }, "name", "name: Keep the name to 64 characters."],
  ])("creating a token with %s is refused on the field with a precise message; no token is made", async (_label, input, field, message) => {
    as(lenderA);
    const before = await test.db.lenderApiToken.count({ where: { orgId: lenderA.orgId } });
    expect(await createLenderApiTokenAction(input)).toEqual({ ok: false, error: { code: "invalid_request", field, message } });
    expect(await test.db.lenderApiToken.count({ where: { orgId: lenderA.orgId } })).toBe(before);
  });

  // ───────────────────────────── webhook endpoints ─────────────────────────────

  it.each([
    ["a URL that is not one", { url: "hooks.example.test/x", events: ["loan.frozen"] }, "url", "url: Enter an http:// or https:// URL."],
    ["a URL with a password", { url: "https://user:pw@hooks.example.test/x", events: ["loan.frozen"] }, "url", "url: Put no user name or password in the URL; the signature authenticates the request."],
    ["no events", { url: "https://hooks.example.test/x", events: [] }, "events", "events: Choose at least one event."],
    ["an event that does not exist", { url: "https://hooks.example.test/x", events: ["loan.exploded"] }, "events", `events: Choose "*" or events from: alert.opened, alert.resolved, alert.acknowledged, loan.state_changed, loan.frozen, loan.unfrozen, loan.liquidated, loan.repaid, payment.received.`],
    ["the test event (only Send test event sends it)", { url: "https://hooks.example.test/x", events: ["webhook.test"] }, "events", `events: Choose "*" or events from: alert.opened, alert.resolved, alert.acknowledged, loan.state_changed, loan.frozen, loan.unfrozen, loan.liquidated, loan.repaid, payment.received.`],
  ] as const)("adding an endpoint with %s is refused on the field with a precise message; nothing is stored", async (_label, input, field, message) => {
    as(lenderA);
    const before = await test.db.webhookEndpoint.count({ where: { orgId: lenderA.orgId } });
    const result = await createWebhookEndpointAction(input as { url: string; events: ["loan.frozen"] });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_request", field } });
    if (result.ok) throw new Error("unreachable");
    expect(result.error.message).toBe(message);
    expect(await test.db.webhookEndpoint.count({ where: { orgId: lenderA.orgId } })).toBe(before);
  });

  describe("where private destinations are not allowed (the default)", () => {
    beforeEach(() => {
      vi.stubEnv("BLOCKABLE_WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS", "0");
      return () => vi.unstubAllEnvs();
    });

    it.each([
      ["a loopback address", "http://127.0.0.1:8080/hook", "url: 127.0.0.1 is"],
      ["localhost", "http://localhost/hook", "url: localhost is"],
      ["the cloud metadata address", "http://169.254.169.254/latest", "url: 169.254.169.254 is"],
    ])("an endpoint at %s is refused as a field error on url (SSRF); nothing is stored", async (_label, url, start) => {
      as(lenderA);
      const before = await test.db.webhookEndpoint.count({ where: { orgId: lenderA.orgId } });
      const result = await createWebhookEndpointAction({ url, events: ["loan.frozen"] });
      expect(result).toMatchObject({ ok: false, error: { code: "invalid_request", field: "url" } });
      if (result.ok) throw new Error("unreachable");
      expect(result.error.message.startsWith(start)).toBe(true);
      expect(result.error.message).toContain("webhooks go only to public addresses");
      expect(await test.db.webhookEndpoint.count({ where: { orgId: lenderA.orgId } })).toBe(before);
    });
  });

  it("Send test event reports the outcome: delivered with the status code, or the error with the next retry", async () => {
    const endpoint = await addEndpoint(lenderA);
    as(lenderA);
    const delivered = unwrap(await sendTestWebhookAction({ endpointId: endpoint.id }));
    expect(delivered).toMatchObject({ status: "DELIVERED", statusCode: 200, error: null, nextAttemptAt: null });
    expect(receiver.on(endpoint.path).map((request) => request.headers["blockable-event-id"])).toEqual([delivered.eventId]);

    receiver.answer(endpoint.path, 500);
    const failed = unwrap(await sendTestWebhookAction({ endpointId: endpoint.id }));
    expect(failed).toMatchObject({ status: "PENDING", statusCode: 500, error: "HTTP 500: receiver says 500", nextAttemptAt: expect.any(String) });

    // Nothing listens on a port just closed: the error says the connection was refused.
    const closed = await startWebhookReceiver();
    const deadUrl = closed.url("/gone");
    await closed.close();
    const dead = unwrap(await createWebhookEndpointAction({ url: deadUrl, events: "*" }));
    const refused = unwrap(await sendTestWebhookAction({ endpointId: dead.id }));
    expect(refused).toMatchObject({ status: "PENDING", statusCode: null });
    expect(refused.error).toContain("ECONNREFUSED");
  });

  it("Rotate secret: the new secret is returned once; the next delivery verifies with it and no longer with the old one", async () => {
    const endpoint = await addEndpoint(lenderA);
    as(lenderA);
    unwrap(await sendTestWebhookAction({ endpointId: endpoint.id }));
    const [first] = receiver.on(endpoint.path);
    expect(signedWith(first.headers["blockable-signature"], first.rawBody, endpoint.secret)).toBe(true);

    const rotated = unwrap(await rotateWebhookSecretAction({ endpointId: endpoint.id }));
    expect(rotated).toMatchObject({ id: endpoint.id, url: endpoint.url, secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/) });
    expect(rotated.secret).not.toBe(endpoint.secret);

    unwrap(await sendTestWebhookAction({ endpointId: endpoint.id }));
    const second = receiver.on(endpoint.path)[1];
    expect(signedWith(second.headers["blockable-signature"], second.rawBody, rotated.secret)).toBe(true);
    expect(signedWith(second.headers["blockable-signature"], second.rawBody, endpoint.secret)).toBe(false);
    expect(await test.db.auditLog.count({ where: { action: "webhookEndpoint.secretRotated", targetId: endpoint.id, actorUserId: lenderA.userId } })).toBe(1);
    expect(JSON.stringify(await getLenderSettings(test.db, lenderA.orgId))).not.toContain(rotated.secret);
  });

  it("Resend from the delivery log: a second attempt of the same event id and body; the log shows attempts 2", async () => {
    const endpoint = await addEndpoint(lenderA);
    as(lenderA);
    const sent = unwrap(await sendTestWebhookAction({ endpointId: endpoint.id }));
    const log = await findEndpointDeliveryLog(test.db, { orgId: lenderA.orgId, endpointId: endpoint.id, page: 1 });
    expect(log?.deliveries).toMatchObject([{ id: sent.deliveryId, eventId: sent.eventId, eventType: "webhook.test", status: "DELIVERED", attempts: 1, lastStatusCode: 200 }]);

    const resent = unwrap(await resendWebhookDeliveryAction({ deliveryId: sent.deliveryId }));
    expect(resent).toMatchObject({ id: sent.deliveryId, eventId: sent.eventId, status: "DELIVERED", attempts: 2, lastStatusCode: 200, lastError: null });
    const received = receiver.on(endpoint.path);
    expect(received.map((request) => request.headers["blockable-event-id"])).toEqual([sent.eventId, sent.eventId]);
    expect(received[1].rawBody.equals(received[0].rawBody)).toBe(true);
    expect(signedWith(received[1].headers["blockable-signature"], received[1].rawBody, endpoint.secret)).toBe(true);
    expect((await findEndpointDeliveryLog(test.db, { orgId: lenderA.orgId, endpointId: endpoint.id, page: 1 }))?.deliveries).toMatchObject([{ id: sent.deliveryId, attempts: 2 }]);

    expect(await resendWebhookDeliveryAction({ deliveryId: "   " })).toEqual({ ok: false, error: { code: "invalid_request", field: "deliveryId", message: "deliveryId: Required." } });
    expect(await resendWebhookDeliveryAction({ deliveryId: "no-such-delivery" })).toMatchObject({ ok: false, error: { code: "webhook_delivery_not_found", field: "deliveryId" } });
  });

  it("the delivery log pages newest first (25 a page); a page past the end shows the last one", async () => {
    const endpoint = await addEndpoint(lenderA);
    const base = new Date("2026-03-01T00:00:00.000Z");
    for (let i = 0; i < 27; i++) {
      await test.db.webhookDelivery.create({
        data: { endpointId: endpoint.id, eventId: `evt_${i.toString(16).padStart(32, "0")}`, eventType: "loan.frozen", payload: "{}", status: "DELIVERED", attempts: 1, nextAttemptAt: base, createdAt: new Date(base.getTime() + i * 1000) },
      });
    }
    const first = await findEndpointDeliveryLog(test.db, { orgId: lenderA.orgId, endpointId: endpoint.id, page: 1 });
    expect(first).toMatchObject({ total: 27, page: 1, pageSize: 25, pageCount: 2 });
    expect(first?.deliveries[0].eventId).toBe(`evt_${(26).toString(16).padStart(32, "0")}`);
    const last = await findEndpointDeliveryLog(test.db, { orgId: lenderA.orgId, endpointId: endpoint.id, page: 9 });
    expect(last).toMatchObject({ page: 2, pageCount: 2 });
    expect(last?.deliveries.map((delivery) => delivery.eventId)).toEqual([1, 0].map((i) => `evt_${i.toString(16).padStart(32, "0")}`));
    expect(first?.endpoint.deliveries).toMatchObject({ delivered: 27, pending: 0, failed: 0 });
  });

  // ───────────────────────────── tenant isolation ─────────────────────────────

  it("TENANT ISOLATION: lender B cannot revoke A's token, nor rotate, test, disable, delete A's endpoint or resend its delivery — all 'not found', nothing changes", async () => {
    const endpoint = await addEndpoint(lenderA);
    as(lenderA);
    const sent = unwrap(await sendTestWebhookAction({ endpointId: endpoint.id }));
    const token = unwrap(await createLenderApiTokenAction({ name: "A's ops" }));
    const endpointBefore = await test.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    const deliveryBefore = await test.db.webhookDelivery.findUniqueOrThrow({ where: { id: sent.deliveryId } });
    const auditsBefore = await test.db.auditLog.count({ where: { orgId: lenderB.orgId } });

    as(lenderB);
    const notFoundEndpoint = { ok: false, error: { code: "webhook_endpoint_not_found" } };
    expect(await rotateWebhookSecretAction({ endpointId: endpoint.id })).toMatchObject(notFoundEndpoint);
    expect(await sendTestWebhookAction({ endpointId: endpoint.id })).toMatchObject(notFoundEndpoint);
    expect(await setWebhookEndpointEnabledAction({ endpointId: endpoint.id, isEnabled: false })).toMatchObject(notFoundEndpoint);
    expect(await deleteWebhookEndpointAction({ endpointId: endpoint.id })).toMatchObject(notFoundEndpoint);
    expect(await resendWebhookDeliveryAction({ deliveryId: sent.deliveryId })).toMatchObject({ ok: false, error: { code: "webhook_delivery_not_found" } });
    expect(await revokeLenderApiTokenAction({ tokenId: token.id })).toMatchObject({ ok: false, error: { code: "lender_api_token_not_found" } });

    expect(await test.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toEqual(endpointBefore);
    expect(await test.db.webhookDelivery.findUniqueOrThrow({ where: { id: sent.deliveryId } })).toEqual(deliveryBefore);
    expect(receiver.on(endpoint.path)).toHaveLength(1);
    expect(await authenticateLenderToken(test.db, `Bearer ${token.plaintext}`)).toMatchObject({ orgId: lenderA.orgId, tokenId: token.id });
    expect(await test.db.auditLog.count({ where: { orgId: lenderB.orgId } })).toBe(auditsBefore);

    // B's screens show none of A's: the log page is a 404, the lists hold only B's own rows.
    expect(await findEndpointDeliveryLog(test.db, { orgId: lenderB.orgId, endpointId: endpoint.id, page: 1 })).toBeNull();
    const settingsB = await getLenderSettings(test.db, lenderB.orgId);
    expect(settingsB.endpoints.map((e) => e.id)).not.toContain(endpoint.id);
    expect(settingsB.tokens.map((t) => t.id)).not.toContain(token.id);
  });

  it("a startup and an admin cannot rotate a secret or resend a delivery (403); anonymous is a 401", async () => {
    const endpoint = await addEndpoint(lenderA);
    as(lenderA);
    const sent = unwrap(await sendTestWebhookAction({ endpointId: endpoint.id }));
    const startup = await createUser(test.db, "STARTUP");
    const admin = await createUser(test.db, "PLATFORM");
    for (const user of [startup, admin]) {
      as(user);
      expect(await rotateWebhookSecretAction({ endpointId: endpoint.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect(await resendWebhookDeliveryAction({ deliveryId: sent.deliveryId })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    as(null);
    expect(await rotateWebhookSecretAction({ endpointId: endpoint.id })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(await resendWebhookDeliveryAction({ deliveryId: sent.deliveryId })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(receiver.on(endpoint.path)).toHaveLength(1);
    expect(await test.db.auditLog.count({ where: { action: "webhookEndpoint.secretRotated", targetId: endpoint.id } })).toBe(0);
  });

  // ───────────────────────────── facilities ─────────────────────────────

  it("facilities: deployed is the principal outstanding of open loans only; available = limit − deployed; another lender's loans are not counted", async () => {
    const lender = await createLender(test.db);
    const facility = await test.db.lenderFacility.create({ data: { lenderOrgId: lender.orgId, name: "Fund I", limitMicros: 1_000n * USD, defaultAprBps: 1_450 } });
    const empty = await test.db.lenderFacility.create({ data: { lenderOrgId: lender.orgId, name: "Fund II", limitMicros: 500n * USD, defaultAprBps: 1_200 } });
    const onFacility = async (principalMicros: bigint, state: string) => {
      const { loan } = await createLoan(test.db, { lender, financedMicros: 2n * principalMicros, principalMicros, state });
      await test.db.loan.update({ where: { id: loan.id }, data: { facilityId: facility.id } });
    };
    await onFacility(100n * USD, "ACTIVE");
    await onFacility(250n * USD, "FROZEN");
    await onFacility(40n * USD, "MARGIN_CALL");
    await onFacility(70n * USD, "REPAID"); // closed: its outstanding is not deployed
    await onFacility(30n * USD, "SUBMITTED"); // not disbursed yet

    const { facilities } = await getLenderSettings(test.db, lender.orgId);
    expect(facilities).toEqual([
      { id: facility.id, name: "Fund I", limitMicros: "1000000000", deployedMicros: "390000000", availableMicros: "610000000", openLoanCount: 3, defaultAprBps: 1_450 },
      { id: empty.id, name: "Fund II", limitMicros: "500000000", deployedMicros: "0", availableMicros: "500000000", openLoanCount: 0, defaultAprBps: 1_200 },
    ]);
    expect((await getLenderSettings(test.db, lenderB.orgId)).facilities.map((f) => f.id)).not.toContain(facility.id);
  });
});
