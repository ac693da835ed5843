import { describe, expect, it } from "vitest";
import {
  eventIdFromBytes,
  formatSubscribedEvents,
  isSubscribedTo,
  parseSubscribedEvents,
  serializeWebhookEvent,
  SUBSCRIBABLE_EVENT_TYPES,
  webhookEventSchema,
  WEBHOOK_EVENT_TYPES,
} from "./events";

const id = "evt_" + "0a".repeat(16);

describe("the event envelope", () => {
  it("serialises to {id, type, created (unix seconds), data} with BigInts as strings", () => {
    const raw = serializeWebhookEvent({ id, type: "loan.frozen", createdAt: new Date("2026-01-01T00:00:00.999Z"), data: { loanId: "L1", amountMicros: 12_345_678_901_234_567_890n } });
    expect(raw).toBe(`{"id":"${id}","type":"loan.frozen","created":1767225600,"data":{"loanId":"L1","amountMicros":"12345678901234567890"}}`);
    expect(webhookEventSchema.parse(JSON.parse(raw)).type).toBe("loan.frozen");
  });

  it.each([
    ["an id without evt_", { id: "0a".repeat(16), type: "loan.frozen", created: 1, data: {} }],
    ["an id too short", { id: "evt_abc", type: "loan.frozen", created: 1, data: {} }],
    ["an unknown type", { id, type: "loan.exploded", created: 1, data: {} }],
    ["created in milliseconds with a fraction", { id, type: "loan.frozen", created: 1.5, data: {} }],
    ["a negative created", { id, type: "loan.frozen", created: -1, data: {} }],
    ["data that is an array", { id, type: "loan.frozen", created: 1, data: [] }],
    ["no data", { id, type: "loan.frozen", created: 1 }],
  ])("refuses %s", (_label, value) => {
    expect(webhookEventSchema.safeParse(value).success).toBe(false);
  });

  it("event ids are evt_ + 32 hex digits from 16 bytes", () => {
    expect(eventIdFromBytes(new Uint8Array(16).fill(0xab))).toBe("evt_" + "ab".repeat(16));
    expect(() => eventIdFromBytes(new Uint8Array(8))).toThrow(RangeError);
  });
});

describe("subscriptions", () => {
  it.each([
    ["* gets a loan event", "*", "loan.frozen", true],
    ["* does not get the test event (it is sent to one endpoint on request)", "*", "webhook.test", false],
    ["a listed type", "alert.opened,loan.frozen", "loan.frozen", true],
    ["an unlisted type", "alert.opened,loan.frozen", "loan.unfrozen", false],
    ["a prefix is not a match", "loan.frozen", "loan.unfrozen", false],
    ["spaces in the stored list", " alert.opened , loan.frozen ", "loan.frozen", true],
    ["an empty list gets nothing", "", "loan.frozen", false],
  ] as const)("%s", (_label, stored, type, expected) => {
    expect(isSubscribedTo(stored, type)).toBe(expected);
  });

  it("round-trips a list, sorted and without duplicates; unknown stored names are dropped", () => {
    expect(formatSubscribedEvents(["loan.frozen", "alert.opened", "loan.frozen"])).toBe("alert.opened,loan.frozen");
    expect(parseSubscribedEvents("alert.opened,loan.frozen,old.event")).toEqual(["alert.opened", "loan.frozen"]);
    expect(formatSubscribedEvents("*")).toBe("*");
    expect(parseSubscribedEvents("*")).toBe("*");
  });

  it("every type but the test event can be subscribed to", () => {
    expect(SUBSCRIBABLE_EVENT_TYPES).toEqual(WEBHOOK_EVENT_TYPES.filter((t) => t !== "webhook.test"));
  });
});
