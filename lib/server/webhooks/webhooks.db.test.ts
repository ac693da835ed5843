// Webhooks against real SQLite and PostgreSQL and a real HTTP receiver on 127.0.0.1. Deliveries
// are checked with a reference verifier written here from the spec (not the module's code): the
// signature is HMAC-SHA256(secret, `${t}.${rawBody}`) in a `t=…,v1=…` header, 5 minutes' tolerance.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { MAX_ATTEMPTS, nextAttemptDelayMs, webhookEventSchema } from "@/lib/domain/webhooks";
import { openSecret } from "@/lib/server/crypto/secret-box";
import { createDb, type Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { startWebhookReceiver, type WebhookReceiver } from "@/test/webhook-receiver";
import { deliverDueWebhooks, resendDelivery, sendTestEvent, type DeliverOptions } from "./deliver";
import { deliveryCountsByEndpoint, listDeliveries } from "./deliveries";
import { createEndpoint, deleteEndpoint, listEndpoints, rotateEndpointSecret, setEndpointEnabled } from "./endpoints";
import { enqueueWebhookEvent } from "./enqueue";

const encryptionKey = randomBytes(32).toString("base64");
const T0 = new Date("2026-03-01T12:00:00.000Z");
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

// ───────────────────────────── reference verifier (independent of lib/domain/webhooks) ─────────────────────────────

type ReferenceVerdict = "ok" | "malformed" | "bad-signature" | "stale";

function referenceVerify(header: string | undefined, rawBody: Buffer, secret: string, nowSec: number): ReferenceVerdict {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!match) return "malformed";
  const signedPayload = Buffer.concat([Buffer.from(`${match[1]}.`, "utf8"), rawBody]);
  const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(signedPayload).digest();
  if (!timingSafeEqual(expected, Buffer.from(match[2], "hex"))) return "bad-signature";
  if (Math.abs(nowSec - Number(match[1])) > 300) return "stale";
  return "ok";
}

await describeEachProvider("Webhooks", (provider) => {
  let test: TestDatabase;
  let receiver: WebhookReceiver;
  let sequence = 0;
  const options = (extra: DeliverOptions = {}): DeliverOptions => ({ encryptionKey, jitter: () => 0, ...extra });

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await test?.drop();
  });
  beforeEach(() => {
    receiver.delayMs = 0;
  });
  // The deliverer is global; a test's leftover PENDING deliveries must not be sent in the next one.
  afterEach(async () => {
    await test.db.webhookEndpoint.updateMany({ data: { isEnabled: false } });
  });

  async function newLender(kind: "LENDER" | "STARTUP" = "LENDER") {
    sequence++;
    const org = await test.db.organization.create({ data: { name: `Org ${sequence}`, slug: `wh-${provider}-${sequence}`, kind } });
    const user = await test.db.user.create({
      data: { orgId: org.id, email: `wh${sequence}-${provider}@example.test`, name: "Analyst", passwordHash: "x", role: kind === "LENDER" ? "lender" : "startup" },
    });
    return { orgId: org.id, userId: user.id };
  }

  /** An endpoint on its own receiver path. */
  async function newEndpoint(orgId: string, events: string[] | "*" = "*") {
    const path = `/hooks/${provider}/${++sequence}`;
    const { endpoint, secret } = await createEndpoint(test.db, { orgId, url: receiver.url(path), events }, { encryptionKey });
    return { endpoint, secret, path };
  }

  async function deliveryOf(endpointId: string) {
    return test.db.webhookDelivery.findFirstOrThrow({ where: { endpointId } });
  }

  // ───────────────────────────── signatures on the wire ─────────────────────────────

  it("a delivery arrives signed: the reference verifier accepts it, one changed byte or a replay after 5 minutes is rejected", async () => {
    const { orgId } = await newLender();
    const { endpoint, secret, path } = await newEndpoint(orgId);
    const event = await enqueueWebhookEvent(test.db, { orgId, type: "loan.frozen", data: { loanId: "loan_1", amountMicros: 5_000_000n } }, { now: T0 });
    expect(event.deliveryIds).toHaveLength(1);

    const { attempts } = await deliverDueWebhooks(test.db, options({ now: T0 }));
    expect(attempts).toMatchObject([{ status: "DELIVERED", statusCode: 200, attempt: 1, eventId: event.eventId }]);

    const [request] = receiver.on(path);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["blockable-event-id"]).toBe(event.eventId);
    expect(request.headers["blockable-event-type"]).toBe("loan.frozen");
    const signature = request.headers["blockable-signature"] as string;
    expect(signature).toMatch(new RegExp(`^t=${seconds(T0)},v1=[0-9a-f]{64}$`));
    const body = webhookEventSchema.parse(JSON.parse(request.rawBody.toString("utf8")));
    expect(body).toEqual({ id: event.eventId, type: "loan.frozen", created: seconds(T0), data: { loanId: "loan_1", amountMicros: "5000000" } });

    expect(referenceVerify(signature, request.rawBody, secret, seconds(T0) + 2)).toBe("ok");
    for (let i = 0; i < request.rawBody.length; i += 7) {
      const tampered = Buffer.from(request.rawBody);
      tampered[i] ^= 0x01;
      expect(referenceVerify(signature, tampered, secret, seconds(T0))).toBe("bad-signature");
    }
    expect(referenceVerify(signature, request.rawBody, secret, seconds(T0) + 301)).toBe("stale");
    expect(referenceVerify(signature, request.rawBody, "whsec_someone_else", seconds(T0))).toBe("bad-signature");

    const row = await deliveryOf(endpoint.id);
    expect(row).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 200, lastError: null });
    expect(row.deliveredAt?.getTime()).toBe(T0.getTime());
    expect(row.payload).toBe(request.rawBody.toString("utf8"));
  });

  it("the signing secret is whsec_…, returned once, stored sealed, and never listed", async () => {
    const { orgId, userId } = await newLender();
    const { endpoint, secret } = await createEndpoint(test.db, { orgId, url: "https://hooks.example.test/blockable", events: ["loan.frozen", "alert.opened"], createdById: userId }, { encryptionKey });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint).toMatchObject({ orgId, url: "https://hooks.example.test/blockable", events: ["alert.opened", "loan.frozen"], isEnabled: true });
    expect(endpoint).not.toHaveProperty("secretEncrypted");

    const row = await test.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row.secretEncrypted).not.toContain(secret.slice(6));
    expect(openSecret(row.secretEncrypted, encryptionKey)).toBe(secret);

    const listed = await listEndpoints(test.db, orgId);
    expect(listed.map((e) => e.id)).toEqual([endpoint.id]);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6));
    expect(listed[0]).not.toHaveProperty("secretEncrypted");

    const audit = await test.db.auditLog.findMany({ where: { targetId: endpoint.id } });
    expect(audit.map((a) => [a.action, a.actorUserId])).toEqual([["webhookEndpoint.created", userId]]);
    expect(audit[0].detailJson).not.toContain(secret.slice(6));
  });

  it.each([
    ["an ftp URL", { url: "ftp://example.test/hook" }, "url"],
    ["not a URL", { url: "hooks.example.test" }, "url"],
    ["a URL with credentials", { url: "https://user:pass@example.test/hook" }, "url"],
    ["no events", { events: [] }, "events"],
    ["an unknown event", { events: ["loan.exploded"] }, "events"],
    ["the test event (it cannot be subscribed to)", { events: ["webhook.test"] }, "events"],
  ])("refuses %s with a 400 naming the field", async (_label, override, param) => {
    const { orgId } = await newLender();
    await expect(createEndpoint(test.db, { orgId, url: "https://ok.example.test/", events: "*", ...override }, { encryptionKey })).rejects.toMatchObject({ status: 400, param });
    expect(await test.db.webhookEndpoint.count({ where: { orgId } })).toBe(0);
  });

  it("only lenders have endpoints", async () => {
    const { orgId } = await newLender("STARTUP");
    await expect(createEndpoint(test.db, { orgId, url: "https://ok.example.test/", events: "*" }, { encryptionKey })).rejects.toMatchObject({ status: 403 });
  });

  // ───────────────────────────── retries ─────────────────────────────

  it("500, 500, then 200: DELIVERED on the 3rd attempt, each retry after its backoff, same event id and body every time", async () => {
    const { orgId } = await newLender();
    const { endpoint, secret, path } = await newEndpoint(orgId);
    receiver.script(path, [500, 500, 200]);
    const event = await enqueueWebhookEvent(test.db, { orgId, type: "alert.opened", data: { alertId: "a1" } }, { now: T0 });

    await deliverDueWebhooks(test.db, options({ now: T0 }));
    let row = await deliveryOf(endpoint.id);
    expect(row).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 500 });
    expect(row.lastError).toContain("HTTP 500");
    expect(row.nextAttemptAt.getTime()).toBe(T0.getTime() + nextAttemptDelayMs(1));

    // Not due yet: nothing is sent.
    const early = new Date(row.nextAttemptAt.getTime() - 1);
    expect((await deliverDueWebhooks(test.db, options({ now: early }))).attempts).toEqual([]);
    expect(receiver.on(path)).toHaveLength(1);

    const t1 = row.nextAttemptAt;
    await deliverDueWebhooks(test.db, options({ now: t1 }));
    row = await deliveryOf(endpoint.id);
    expect(row).toMatchObject({ status: "PENDING", attempts: 2, lastStatusCode: 500 });
    expect(row.nextAttemptAt.getTime()).toBe(t1.getTime() + nextAttemptDelayMs(2));

    const t2 = row.nextAttemptAt;
    const { attempts } = await deliverDueWebhooks(test.db, options({ now: t2 }));
    expect(attempts).toMatchObject([{ status: "DELIVERED", attempt: 3, statusCode: 200 }]);
    row = await deliveryOf(endpoint.id);
    expect(row).toMatchObject({ status: "DELIVERED", attempts: 3, lastStatusCode: 200, lastError: null });

    const requests = receiver.on(path);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers["blockable-event-id"]))).toEqual(new Set([event.eventId]));
    expect(new Set(requests.map((r) => r.rawBody.toString("utf8"))).size).toBe(1);
    // Each attempt is signed at its own time and verifies at that time.
    [T0, t1, t2].forEach((at, i) => {
      expect(requests[i].headers["blockable-signature"]).toMatch(new RegExp(`^t=${seconds(at)},`));
      expect(referenceVerify(requests[i].headers["blockable-signature"] as string, requests[i].rawBody, secret, seconds(at))).toBe("ok");
    });
  });

  it(`an endpoint that keeps failing is FAILED after ${MAX_ATTEMPTS} attempts and never tried again`, async () => {
    const { orgId } = await newLender();
    const { endpoint, path } = await newEndpoint(orgId);
    receiver.script(path, [503]);
    await enqueueWebhookEvent(test.db, { orgId, type: "loan.unfrozen", data: {} }, { now: T0 });

    let now = T0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { attempts } = await deliverDueWebhooks(test.db, options({ now }));
      expect(attempts).toMatchObject([{ attempt, statusCode: 503, status: attempt < MAX_ATTEMPTS ? "PENDING" : "FAILED" }]);
      now = (await deliveryOf(endpoint.id)).nextAttemptAt;
    }
    const row = await deliveryOf(endpoint.id);
    expect(row).toMatchObject({ status: "FAILED", attempts: MAX_ATTEMPTS, lastStatusCode: 503, deliveredAt: null });
    expect((await deliverDueWebhooks(test.db, options({ now: new Date(T0.getTime() + 30 * 86_400_000) }))).attempts).toEqual([]);
    expect(receiver.on(path)).toHaveLength(MAX_ATTEMPTS);
  });

  it("a refused connection, a timeout and a redirect are failed attempts with a readable error", async () => {
    const { orgId } = await newLender();
    const closed = await startWebhookReceiver();
    const closedUrl = closed.url("/gone");
    await closed.close();
    const refused = await createEndpoint(test.db, { orgId, url: closedUrl, events: "*" }, { encryptionKey });
    const hanging = await newEndpoint(orgId);
    receiver.script(hanging.path, ["hang"]);
    const redirecting = await newEndpoint(orgId);
    receiver.script(redirecting.path, [301]);
    await enqueueWebhookEvent(test.db, { orgId, type: "loan.liquidated", data: {} }, { now: T0 });

    await deliverDueWebhooks(test.db, options({ now: T0, timeoutMs: 1_000 }));
    expect(await deliveryOf(refused.endpoint.id)).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: null, lastError: expect.stringContaining("ECONNREFUSED") });
    expect(await deliveryOf(hanging.endpoint.id)).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: null, lastError: "No response within 1 s." });
    expect(await deliveryOf(redirecting.endpoint.id)).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 301 });
  });

  // ───────────────────────────── destinations (SSRF) ─────────────────────────────

  it("an endpoint at a loopback, private or metadata address, or at localhost, is refused and nothing is stored; a DNS name is accepted", async () => {
    const { orgId } = await newLender();
    const refused: [string, string][] = [
      [receiver.url("/hook"), "127.0.0.1 is a loopback address"],
      ["http://[::1]:8080/hook", "[::1] is a loopback address"],
      ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"],
      ["http://10.0.0.5/hook", "10.0.0.5 is a private address"],
      ["http://localhost:3000/hook", "localhost is this machine (localhost)"],
      ["http://2130706433/hook", "127.0.0.1 is a loopback address"],
    ];
    for (const [url, reason] of refused) {
      const attempt = createEndpoint(test.db, { orgId, url, events: "*" }, { encryptionKey, allowPrivateDestinations: false });
      await expect(attempt).rejects.toMatchObject({ status: 400, param: "url", message: expect.stringContaining(reason) });
    }
    expect(await test.db.webhookEndpoint.count({ where: { orgId } })).toBe(0);
    const named = await createEndpoint(test.db, { orgId, url: "https://hooks.example.test/blockable", events: "*" }, { encryptionKey, allowPrivateDestinations: false });
    expect(named.endpoint.url).toBe("https://hooks.example.test/blockable");
  });

  it("a delivery whose destination is or resolves to a non-public address is not sent: the attempt says why and the receiver sees nothing", async () => {
    const { orgId } = await newLender();
    // Created while private destinations were allowed (or a name that resolves privately later).
    const loopback = await newEndpoint(orgId);
    const named = await createEndpoint(test.db, { orgId, url: "http://hooks.example.test/blockable", events: "*" }, { encryptionKey });
    await enqueueWebhookEvent(test.db, { orgId, type: "loan.frozen", data: {} }, { now: T0 });

    const resolved: string[] = [];
    const resolveHost = async (hostname: string) => (resolved.push(hostname), [{ address: "93.184.216.34", family: 4 }, { address: "10.0.0.5", family: 4 }]);
    const { attempts } = await deliverDueWebhooks(test.db, options({ now: T0, allowPrivateDestinations: false, resolveHost }));
    expect(attempts).toHaveLength(2);
    expect(receiver.on(loopback.path)).toEqual([]);
    expect(resolved).toEqual(["hooks.example.test"]); // a literal address needs no lookup
    expect(await deliveryOf(loopback.endpoint.id)).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastStatusCode: null,
      lastError: "Not sent: 127.0.0.1 is a loopback address. Webhooks go only to public addresses.",
    });
    // One private address among the answers is enough to refuse.
    expect(await deliveryOf(named.endpoint.id)).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastError: "Not sent: hooks.example.test resolves to 10.0.0.5, a private address. Webhooks go only to public addresses.",
    });

    // Allowed (a self-hosted install's own network), the same delivery goes out on its next attempt.
    const later = new Date(T0.getTime() + 60 * 60_000);
    await test.db.webhookEndpoint.update({ where: { id: named.endpoint.id }, data: { isEnabled: false } });
    await deliverDueWebhooks(test.db, options({ now: later, allowPrivateDestinations: true }));
    expect(receiver.on(loopback.path)).toHaveLength(1);
    expect(await deliveryOf(loopback.endpoint.id)).toMatchObject({ status: "DELIVERED", attempts: 2 });
  });

  // ───────────────────────────── claiming ─────────────────────────────

  it("two instances delivering at the same moment never POST the same delivery twice", async () => {
    const { orgId } = await newLender();
    const endpoints = await Promise.all([newEndpoint(orgId), newEndpoint(orgId), newEndpoint(orgId)]);
    const events = [];
    for (let i = 0; i < 12; i++) events.push(await enqueueWebhookEvent(test.db, { orgId, type: "loan.state_changed", data: { i } }, { now: T0 }));
    receiver.delayMs = 15;
    // A second Prisma client with its own connections, as a second app instance would have.
    const { db: otherInstance } = createDb(test.url);
    try {
      const run = (db: Db) => deliverDueWebhooks(db, options({ now: T0, limit: 100, concurrency: 4 }));
      const results = await Promise.all([run(test.db), run(otherInstance), run(test.db), run(otherInstance)]);
      const attempts = results.flatMap((r) => r.attempts);
      expect(attempts).toHaveLength(36);
      expect(new Set(attempts.map((a) => a.deliveryId)).size).toBe(36);
      expect(results.filter((r) => r.attempts.length > 0).length).toBeGreaterThan(1); // the work really was shared
    } finally {
      await otherInstance.$disconnect();
    }
    for (const { path, endpoint } of endpoints) {
      const ids = receiver.on(path).map((r) => r.headers["blockable-event-id"]);
      expect(ids.sort()).toEqual(events.map((e) => e.eventId).sort());
      const rows = await test.db.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
      expect(rows.every((r) => r.status === "DELIVERED" && r.attempts === 1)).toBe(true);
    }
  });

  it("respects the limit even with many workers", async () => {
    const { orgId } = await newLender();
    const { endpoint } = await newEndpoint(orgId);
    for (let i = 0; i < 7; i++) await enqueueWebhookEvent(test.db, { orgId, type: "alert.resolved", data: { i } }, { now: T0 });
    const { attempts } = await deliverDueWebhooks(test.db, options({ now: T0, limit: 3, concurrency: 8 }));
    expect(attempts).toHaveLength(3);
    expect(await test.db.webhookDelivery.count({ where: { endpointId: endpoint.id, status: "DELIVERED" } })).toBe(3);
    await deliverDueWebhooks(test.db, options({ now: T0, limit: 10 }));
    expect(await test.db.webhookDelivery.count({ where: { endpointId: endpoint.id, status: "DELIVERED" } })).toBe(7);
  });

  // ───────────────────────────── enqueueing ─────────────────────────────

  it("an event goes to every enabled endpoint subscribed to its type, with one event id", async () => {
    const { orgId } = await newLender();
    const all = await newEndpoint(orgId, "*");
    const frozenOnly = await newEndpoint(orgId, ["loan.frozen"]);
    const alertsOnly = await newEndpoint(orgId, ["alert.opened"]);
    const disabled = await newEndpoint(orgId, "*");
    await setEndpointEnabled(test.db, { orgId, endpointId: disabled.endpoint.id, isEnabled: false });

    const event = await enqueueWebhookEvent(test.db, { orgId, type: "loan.frozen", data: { loanId: "L" } }, { now: T0 });
    const rows = await test.db.webhookDelivery.findMany({ where: { eventId: event.eventId } });
    expect(new Set(rows.map((r) => r.endpointId))).toEqual(new Set([all.endpoint.id, frozenOnly.endpoint.id]));
    expect(rows.every((r) => r.payload === event.payload && r.status === "PENDING" && r.eventType === "loan.frozen")).toBe(true);
    expect(await test.db.webhookDelivery.count({ where: { endpointId: { in: [alertsOnly.endpoint.id, disabled.endpoint.id] } } })).toBe(0);
  });

  it("enqueued inside another transaction, the event commits or rolls back with it", async () => {
    const { orgId } = await newLender();
    const { endpoint } = await newEndpoint(orgId);
    await expect(
      test.db.$transaction(async (tx) => {
        await enqueueWebhookEvent(tx, { orgId, type: "loan.frozen", data: {} }, { now: T0 });
        throw new Error("the freeze failed");
      }),
    ).rejects.toThrow("the freeze failed");
    expect(await test.db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);

    const event = await test.db.$transaction((tx) => enqueueWebhookEvent(tx, { orgId, type: "loan.frozen", data: {} }, { now: T0 }));
    expect(await test.db.webhookDelivery.findMany({ where: { endpointId: endpoint.id }, select: { eventId: true } })).toEqual([{ eventId: event.eventId }]);
  });

  it("a disabled endpoint's pending deliveries wait, and go out once it is enabled again", async () => {
    const { orgId } = await newLender();
    const { endpoint, path } = await newEndpoint(orgId);
    await enqueueWebhookEvent(test.db, { orgId, type: "loan.repaid", data: {} }, { now: T0 });
    await setEndpointEnabled(test.db, { orgId, endpointId: endpoint.id, isEnabled: false });
    expect((await deliverDueWebhooks(test.db, options({ now: T0 }))).attempts.filter((a) => a.endpointId === endpoint.id)).toEqual([]);
    await expect(sendTestEvent(test.db, { orgId, endpointId: endpoint.id }, options({ now: T0 }))).rejects.toMatchObject({ status: 409 });
    await setEndpointEnabled(test.db, { orgId, endpointId: endpoint.id, isEnabled: true });
    await deliverDueWebhooks(test.db, options({ now: T0 }));
    expect(receiver.on(path)).toHaveLength(1);
  });

  // ───────────────────────────── test event, log, delete ─────────────────────────────

  it("Send test event delivers a signed webhook.test at once and shows the outcome", async () => {
    const { orgId, userId } = await newLender();
    const { endpoint, secret, path } = await newEndpoint(orgId, ["loan.frozen"]);
    const delivery = await sendTestEvent(test.db, { orgId, endpointId: endpoint.id, actorUserId: userId }, options({ now: T0 }));
    expect(delivery).toMatchObject({ endpointId: endpoint.id, endpointUrl: endpoint.url, eventType: "webhook.test", status: "DELIVERED", attempts: 1, lastStatusCode: 200 });
    const [request] = receiver.on(path);
    expect(request.headers["blockable-event-type"]).toBe("webhook.test");
    expect(referenceVerify(request.headers["blockable-signature"] as string, request.rawBody, secret, seconds(T0))).toBe("ok");
    expect(JSON.parse(request.rawBody.toString("utf8"))).toMatchObject({ id: delivery.eventId, type: "webhook.test" });
    expect(await test.db.auditLog.count({ where: { action: "webhookEndpoint.testSent", targetId: endpoint.id, actorUserId: userId } })).toBe(1);
  });

  it("a test event that fails stays PENDING for the background job's retries", async () => {
    const { orgId } = await newLender();
    const { endpoint, path } = await newEndpoint(orgId);
    receiver.script(path, [500, 200]);
    const delivery = await sendTestEvent(test.db, { orgId, endpointId: endpoint.id }, options({ now: T0 }));
    expect(delivery).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 500 });
    await deliverDueWebhooks(test.db, options({ now: delivery.nextAttemptAt }));
    expect(await deliveryOf(endpoint.id)).toMatchObject({ status: "DELIVERED", attempts: 2 });
  });

  it("the delivery log pages newest first and can be filtered by endpoint and status", async () => {
    const { orgId } = await newLender();
    const a = await newEndpoint(orgId);
    const b = await newEndpoint(orgId);
    receiver.script(b.path, [500]);
    for (let i = 0; i < 3; i++) await enqueueWebhookEvent(test.db, { orgId, type: "alert.opened", data: { i } }, { now: new Date(T0.getTime() + i * 1000) });
    await deliverDueWebhooks(test.db, options({ now: new Date(T0.getTime() + 5000) }));

    const first = await listDeliveries(test.db, { orgId, pageSize: 4 });
    expect(first).toMatchObject({ total: 6, page: 1, pageSize: 4, pageCount: 2 });
    expect(first.items).toHaveLength(4);
    const createdAt = first.items.map((d) => d.createdAt.getTime());
    expect([...createdAt].sort((x, y) => y - x)).toEqual(createdAt);
    expect((await listDeliveries(test.db, { orgId, pageSize: 4, page: 2 })).items).toHaveLength(2);

    const onlyA = await listDeliveries(test.db, { orgId, endpointId: a.endpoint.id });
    expect(onlyA.items.map((d) => [d.endpointId, d.status])).toEqual(Array(3).fill([a.endpoint.id, "DELIVERED"]));
    const failing = await listDeliveries(test.db, { orgId, status: "PENDING" });
    expect(failing.items.every((d) => d.endpointId === b.endpoint.id && d.lastStatusCode === 500)).toBe(true);
    expect(failing.total).toBe(3);
    await expect(listDeliveries(test.db, { orgId, page: 0 })).rejects.toMatchObject({ status: 400 });
    await expect(listDeliveries(test.db, { orgId, pageSize: 101 })).rejects.toMatchObject({ status: 400 });
  });

  it("deleting an endpoint removes it and its log, and audits it", async () => {
    const { orgId, userId } = await newLender();
    const { endpoint } = await newEndpoint(orgId);
    await enqueueWebhookEvent(test.db, { orgId, type: "loan.frozen", data: {} }, { now: T0 });
    await deleteEndpoint(test.db, { orgId, endpointId: endpoint.id, actorUserId: userId });
    expect(await listEndpoints(test.db, orgId)).toEqual([]);
    expect(await test.db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
    expect(await test.db.auditLog.count({ where: { action: "webhookEndpoint.deleted", targetId: endpoint.id } })).toBe(1);
    await expect(deleteEndpoint(test.db, { orgId, endpointId: endpoint.id })).rejects.toMatchObject({ status: 404 });
  });

  // ───────────────────────────── rotate the secret, resend a delivery ─────────────────────────────

  it("rotating the secret: the next delivery verifies with the new secret only; the old one is refused; audited; the new one shown once", async () => {
    const { orgId, userId } = await newLender();
    const { endpoint, secret: oldSecret, path } = await newEndpoint(orgId);
    await sendTestEvent(test.db, { orgId, endpointId: endpoint.id }, options({ now: T0 }));
    const [before] = receiver.on(path);
    expect(referenceVerify(before.headers["blockable-signature"] as string, before.rawBody, oldSecret, seconds(T0))).toBe("ok");

    const rotated = await rotateEndpointSecret(test.db, { orgId, endpointId: endpoint.id, actorUserId: userId }, { encryptionKey });
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(rotated.secret).not.toBe(oldSecret);
    expect(rotated.endpoint).toMatchObject({ id: endpoint.id, url: endpoint.url, isEnabled: true });
    expect(rotated.endpoint).not.toHaveProperty("secretEncrypted");
    expect(openSecret((await test.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).secretEncrypted, encryptionKey)).toBe(rotated.secret);

    const T1 = new Date(T0.getTime() + 60_000);
    const delivery = await sendTestEvent(test.db, { orgId, endpointId: endpoint.id }, options({ now: T1 }));
    expect(delivery).toMatchObject({ status: "DELIVERED", lastStatusCode: 200 });
    const after = receiver.on(path)[1];
    expect(after.headers["blockable-event-id"]).toBe(delivery.eventId);
    expect(referenceVerify(after.headers["blockable-signature"] as string, after.rawBody, rotated.secret, seconds(T1))).toBe("ok");
    expect(referenceVerify(after.headers["blockable-signature"] as string, after.rawBody, oldSecret, seconds(T1))).toBe("bad-signature");

    const audits = await test.db.auditLog.findMany({ where: { action: "webhookEndpoint.secretRotated", targetId: endpoint.id } });
    expect(audits).toMatchObject([{ orgId, actorUserId: userId, actorKind: "user" }]);
    expect(audits[0].detailJson).not.toContain(rotated.secret.slice(6));
    expect(JSON.stringify(await listEndpoints(test.db, orgId))).not.toContain(rotated.secret.slice(6));
  });

  it("a delivery queued before a rotation is signed with the new secret when it is retried", async () => {
    const { orgId } = await newLender();
    const { endpoint, path } = await newEndpoint(orgId);
    receiver.script(path, [500, 200]);
    const event = await enqueueWebhookEvent(test.db, { orgId, type: "loan.frozen", data: { loanId: "l" } }, { now: T0 });
    await deliverDueWebhooks(test.db, options({ now: T0 }));
    const { secret } = await rotateEndpointSecret(test.db, { orgId, endpointId: endpoint.id }, { encryptionKey });
    const retryAt = new Date(T0.getTime() + nextAttemptDelayMs(1));
    await deliverDueWebhooks(test.db, options({ now: retryAt }));
    const [, retried] = receiver.on(path);
    expect(retried.headers["blockable-event-id"]).toBe(event.eventId);
    expect(referenceVerify(retried.headers["blockable-signature"] as string, retried.rawBody, secret, seconds(retryAt))).toBe("ok");
  });

  it("resending a delivered event: a second request with the same event id and body, newly signed; attempts 2; audited", async () => {
    const { orgId, userId } = await newLender();
    const { endpoint, secret, path } = await newEndpoint(orgId);
    const event = await enqueueWebhookEvent(test.db, { orgId, type: "alert.opened", data: { alertId: "a1" } }, { now: T0 });
    await deliverDueWebhooks(test.db, options({ now: T0 }));
    const [deliveryId] = event.deliveryIds;

    const T1 = new Date(T0.getTime() + 3_600_000);
    const resent = await resendDelivery(test.db, { orgId, deliveryId, actorUserId: userId }, options({ now: T1 }));
    expect(resent).toMatchObject({ id: deliveryId, eventId: event.eventId, status: "DELIVERED", attempts: 2, lastStatusCode: 200, lastError: null });
    expect(resent.deliveredAt?.getTime()).toBe(T1.getTime());

    const received = receiver.on(path);
    expect(received).toHaveLength(2);
    expect(received.map((r) => r.headers["blockable-event-id"])).toEqual([event.eventId, event.eventId]);
    expect(received[1].rawBody.equals(received[0].rawBody)).toBe(true);
    expect(received[1].headers["blockable-signature"]).toMatch(new RegExp(`^t=${seconds(T1)},`));
    expect(referenceVerify(received[1].headers["blockable-signature"] as string, received[1].rawBody, secret, seconds(T1))).toBe("ok");
    // Still one delivery row for the event on this endpoint: the log shows one event, attempted twice.
    expect(await test.db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);
    const audits = await test.db.auditLog.findMany({ where: { action: "webhookDelivery.resent", targetId: deliveryId } });
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0].detailJson)).toMatchObject({ eventId: event.eventId, previousStatus: "DELIVERED", attemptsBefore: 1 });
  });

  it("resending a FAILED delivery sends it now; if it fails again it is FAILED again, with the new error", async () => {
    const { orgId } = await newLender();
    const { endpoint, path } = await newEndpoint(orgId);
    receiver.script(path, [503]);
    const event = await enqueueWebhookEvent(test.db, { orgId, type: "loan.frozen", data: {} }, { now: T0 });
    await test.db.webhookDelivery.updateMany({ where: { endpointId: endpoint.id }, data: { status: "FAILED", attempts: MAX_ATTEMPTS, lastStatusCode: 503 } });

    const again = await resendDelivery(test.db, { orgId, deliveryId: event.deliveryIds[0] }, options({ now: T0 }));
    expect(again).toMatchObject({ status: "FAILED", attempts: MAX_ATTEMPTS + 1, lastStatusCode: 503 });
    expect(again.lastError).toContain("HTTP 503");
    receiver.script(path, [200]);
    const delivered = await resendDelivery(test.db, { orgId, deliveryId: event.deliveryIds[0] }, options({ now: new Date(T0.getTime() + 1000) }));
    expect(delivered).toMatchObject({ status: "DELIVERED", attempts: MAX_ATTEMPTS + 2, lastStatusCode: 200, lastError: null });
    expect(receiver.on(path).map((r) => r.headers["blockable-event-id"])).toEqual([event.eventId, event.eventId]);
  });

  it("a disabled endpoint's delivery cannot be resent (409); nothing is sent or changed", async () => {
    const { orgId } = await newLender();
    const { endpoint, path } = await newEndpoint(orgId);
    const event = await enqueueWebhookEvent(test.db, { orgId, type: "loan.frozen", data: {} }, { now: T0 });
    await deliverDueWebhooks(test.db, options({ now: T0 }));
    await setEndpointEnabled(test.db, { orgId, endpointId: endpoint.id, isEnabled: false });
    const before = await deliveryOf(endpoint.id);
    await expect(resendDelivery(test.db, { orgId, deliveryId: event.deliveryIds[0] }, options({ now: T0 }))).rejects.toMatchObject({ status: 409, code: "webhook_endpoint_disabled" });
    expect(await deliveryOf(endpoint.id)).toEqual(before);
    expect(receiver.on(path)).toHaveLength(1);
  });

  it("delivery counts per endpoint: by status, with the latest event's time; another lender's are not counted", async () => {
    const lenderA = await newLender();
    const lenderB = await newLender();
    const a = await newEndpoint(lenderA.orgId);
    const b = await newEndpoint(lenderB.orgId);
    receiver.script(a.path, [200, 500]);
    await enqueueWebhookEvent(test.db, { orgId: lenderA.orgId, type: "loan.frozen", data: {} }, { now: T0 });
    await deliverDueWebhooks(test.db, options({ now: T0 }));
    const T1 = new Date(T0.getTime() + 1000);
    await enqueueWebhookEvent(test.db, { orgId: lenderA.orgId, type: "loan.frozen", data: {} }, { now: T1 });
    await deliverDueWebhooks(test.db, options({ now: T1 }));
    await enqueueWebhookEvent(test.db, { orgId: lenderB.orgId, type: "loan.frozen", data: {} }, { now: T1 });

    const counts = await deliveryCountsByEndpoint(test.db, lenderA.orgId);
    expect([...counts.keys()]).toEqual([a.endpoint.id]);
    expect(counts.get(a.endpoint.id)).toEqual({ PENDING: 1, DELIVERED: 1, FAILED: 0, lastCreatedAt: T1 });
    expect((await deliveryCountsByEndpoint(test.db, lenderB.orgId)).get(b.endpoint.id)).toMatchObject({ PENDING: 1, DELIVERED: 0 });
  });

  // ───────────────────────────── tenant isolation ─────────────────────────────

  it("lender A never receives lender B's events, and cannot see, test, disable, rotate, resend or delete B's endpoint or deliveries", async () => {
    const lenderA = await newLender();
    const lenderB = await newLender();
    const a = await newEndpoint(lenderA.orgId);
    const b = await newEndpoint(lenderB.orgId);

    const event = await enqueueWebhookEvent(test.db, { orgId: lenderB.orgId, type: "loan.frozen", data: { loanId: "B-loan" } }, { now: T0 });
    await deliverDueWebhooks(test.db, options({ now: T0 }));
    expect(receiver.on(a.path)).toEqual([]);
    expect(receiver.on(b.path).map((r) => r.headers["blockable-event-id"])).toEqual([event.eventId]);

    const asA = { orgId: lenderA.orgId, endpointId: b.endpoint.id, actorUserId: lenderA.userId };
    const notFound = { status: 404, code: "webhook_endpoint_not_found" };
    expect((await listEndpoints(test.db, lenderA.orgId)).map((e) => e.id)).toEqual([a.endpoint.id]);
    await expect(deleteEndpoint(test.db, asA)).rejects.toMatchObject(notFound);
    await expect(sendTestEvent(test.db, asA, options({ now: T0 }))).rejects.toMatchObject(notFound);
    await expect(setEndpointEnabled(test.db, { ...asA, isEnabled: false })).rejects.toMatchObject(notFound);
    await expect(rotateEndpointSecret(test.db, asA, { encryptionKey })).rejects.toMatchObject(notFound);
    const [bDelivery] = event.deliveryIds;
    const bDeliveryBefore = await test.db.webhookDelivery.findUniqueOrThrow({ where: { id: bDelivery } });
    await expect(resendDelivery(test.db, { orgId: lenderA.orgId, deliveryId: bDelivery, actorUserId: lenderA.userId }, options({ now: T0 }))).rejects.toMatchObject({ status: 404, code: "webhook_delivery_not_found" });
    expect(await test.db.webhookDelivery.findUniqueOrThrow({ where: { id: bDelivery } })).toEqual(bDeliveryBefore);
    expect(openSecret((await test.db.webhookEndpoint.findUniqueOrThrow({ where: { id: b.endpoint.id } })).secretEncrypted, encryptionKey)).toBe(b.secret);
    await expect(listDeliveries(test.db, { orgId: lenderA.orgId, endpointId: b.endpoint.id })).rejects.toBeInstanceOf(ApiError);
    expect((await listDeliveries(test.db, { orgId: lenderA.orgId })).items).toEqual([]);

    expect(receiver.on(b.path)).toHaveLength(1); // no test event reached B
    expect(await listEndpoints(test.db, lenderB.orgId)).toMatchObject([{ id: b.endpoint.id, isEnabled: true }]);
    expect(await test.db.auditLog.count({ where: { targetId: b.endpoint.id, orgId: lenderA.orgId } })).toBe(0);
  });
});
