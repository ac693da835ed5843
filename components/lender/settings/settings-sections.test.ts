// The Settings sections rendered to HTML (no browser): the headings, the exact button names the
// browser tests and screen readers rely on, an InfoTip on every figure, the empty states, and the
// words a test event's outcome is reported in.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test, vi } from "vitest";
import type { FacilityDto, LenderApiTokenDto, WebhookEndpointDto } from "@/lib/server/queries/lender-settings";
import { ApiTokensSection } from "./api-tokens-section";
import { DeliveryLog } from "./delivery-log";
import { describeTestOutcome } from "./endpoint-card";
import { FacilitiesSection } from "./facilities-section";
import { WebhooksSection } from "./webhooks-section";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => undefined }) }));

const never = (async () => {
  throw new Error("not called while rendering");
}) as never;
const actions = { addEndpoint: never, deleteEndpoint: never, setEndpointEnabled: never, rotateSecret: never, sendTestEvent: never };

/** Visible text of each <button> and <a>, icons and tags stripped. */
function controlNames(html: string): string[] {
  return [...html.matchAll(/<(button|a)\b[^>]*>(.*?)<\/\1>/g)].map((match) => match[2].replace(/<[^>]+>/g, "").trim()).filter(Boolean);
}
const headings = (html: string, level: number) => [...html.matchAll(new RegExp(`<h${level}\\b[^>]*>(.*?)</h${level}>`, "g"))].map((match) => match[1].replace(/<[^>]+>/g, ""));
const infoTips = (html: string) => [...html.matchAll(/aria-label="How ([^"]+) is computed"/g)].map((match) => match[1]);

const token: LenderApiTokenDto = { id: "tok_1", name: "Risk feed", prefix: "lk-bl-Ab3xQ9", createdAt: "2026-03-01T12:00:00.000Z", createdBy: { name: "Ana", email: "ana@example.test" }, lastUsedAt: null, revokedAt: null };
const endpoint: WebhookEndpointDto = { id: "we_1", url: "https://risk.example.test/hooks", events: ["loan.frozen"], isEnabled: true, createdAt: "2026-03-01T12:00:00.000Z", deliveries: { pending: 1, delivered: 2, failed: 0, lastCreatedAt: null } };
const facility: FacilityDto = { id: "f1", name: "Fund I", limitMicros: "1000000000", deployedMicros: "390000000", availableMicros: "610000000", openLoanCount: 3, defaultAprBps: 1_450 };

describe("API tokens", () => {
  test("heading, Create token, and per active token a Revoke described by the token's name; none for a revoked one", () => {
    const html = renderToStaticMarkup(createElement(ApiTokensSection, { tokens: [token, { ...token, id: "tok_2", name: "Old", revokedAt: "2026-03-02T00:00:00.000Z" }], createToken: never, revokeToken: never }));
    expect(headings(html, 2)).toEqual(["API tokens"]);
    expect(controlNames(html)).toEqual(["Create token", "Revoke"]);
    expect(html).toContain('aria-describedby="token-tok_1-name"');
    expect(html).toContain("lk-bl-Ab3xQ9…");
    expect(html).toContain("Revoked 2026-03-02 00:00 UTC");
    expect(infoTips(html)).toEqual(["last used"]);
  });

  test("no tokens: an empty state and still Create token", () => {
    const html = renderToStaticMarkup(createElement(ApiTokensSection, { tokens: [], createToken: never, revokeToken: never }));
    expect(html).toContain("No API tokens yet");
    expect(controlNames(html)).toEqual(["Create token"]);
  });
});

describe("Webhooks", () => {
  test("heading, Add endpoint, and per endpoint its actions with exact names", () => {
    const html = renderToStaticMarkup(createElement(WebhooksSection, { endpoints: [endpoint], maxEndpoints: 16, actions }));
    expect(headings(html, 2)).toEqual(["Webhooks"]);
    expect(headings(html, 3)).toEqual(["https://risk.example.test/hooks"]);
    expect(controlNames(html)).toEqual(["Add endpoint", "Send test event", "Disable", "Rotate secret", "Delivery log", "Delete"]);
    expect(html).toContain('href="/lender/settings/webhooks/we_1"');
    expect(infoTips(html)).toEqual(["delivered", "pending", "failed"]);
  });

  test("a disabled endpoint offers Enable and cannot send a test event; at the limit Add endpoint is disabled", () => {
    const html = renderToStaticMarkup(createElement(WebhooksSection, { endpoints: [{ ...endpoint, isEnabled: false }], maxEndpoints: 1, actions }));
    expect(controlNames(html)).toContain("Enable");
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>(?:(?!<\/button>).)*Send test event<\/button>/);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>(?:(?!<\/button>).)*Add endpoint<\/button>/);
    expect(html).toContain("delete one to add another");
  });

  test("no endpoints: an empty state", () => {
    expect(renderToStaticMarkup(createElement(WebhooksSection, { endpoints: [], maxEndpoints: 16, actions }))).toContain("No webhook endpoints yet");
  });

  test.each([
    ["delivered", { status: "DELIVERED", statusCode: 200, error: null, nextAttemptAt: null }, true, "Delivered: your endpoint answered HTTP 200 (event evt_1)."],
    ["refused with a retry", { status: "PENDING", statusCode: 500, error: "HTTP 500: nope", nextAttemptAt: "2026-03-01T12:00:30.000Z" }, false, "Not delivered: HTTP 500: nope Retried automatically from 2026-03-01 12:00 UTC."],
    ["unreachable, given up", { status: "FAILED", statusCode: null, error: "Could not connect: ECONNREFUSED.", nextAttemptAt: null }, false, "Not delivered: Could not connect: ECONNREFUSED."],
  ] as const)("a test event %s is reported as such", (_label, outcome, isDelivered, text) => {
    expect(describeTestOutcome({ deliveryId: "d", eventId: "evt_1", ...outcome })).toEqual({ text, isDelivered });
  });
});

test("Facilities: heading, units in every figure's header, an InfoTip on each, money formatted", () => {
  const html = renderToStaticMarkup(createElement(FacilitiesSection, { facilities: [facility] }));
  expect(headings(html, 2)).toEqual(["Facilities"]);
  for (const header of ["Limit (USD)", "Deployed (USD)", "Available (USD)", "Open loans (count)", "Default APR (% a year)"]) expect(html).toContain(header);
  expect(infoTips(html)).toEqual(["limit", "deployed", "available", "open loans", "default APR"]);
  expect(html).toContain("$1,000.00");
  expect(html).toContain("$390.00");
  expect(html).toContain("$610.00");
  expect(html).toContain("14.50%");
  expect(renderToStaticMarkup(createElement(FacilitiesSection, { facilities: [] }))).toContain("No facilities yet");
});

test("Delivery log: the columns, a Resend per delivery described by its event id, paging", () => {
  const delivery = { id: "d1", eventId: "evt_1", eventType: "loan.frozen", status: "FAILED" as const, attempts: 10, lastStatusCode: 500, lastError: "HTTP 500", createdAt: "2026-03-01T12:00:00.000Z", deliveredAt: null, nextAttemptAt: null };
  const log = { endpoint, deliveries: [delivery], total: 26, page: 2, pageSize: 25, pageCount: 2 };
  const html = renderToStaticMarkup(createElement(DeliveryLog, { log, resendDelivery: never }));
  for (const column of ["Time (UTC)", "Event type", "Event ID", "Status", "Attempts (count)", "Last response (HTTP)", "Last error"]) expect(html).toContain(column);
  expect(controlNames(html)).toEqual(["Resend", "Previous", "Next"]);
  expect(html).toContain('aria-describedby="delivery-d1-event"');
  expect(html).toContain('href="/lender/settings/webhooks/we_1?page=1"');
  expect(html).toContain("26–26 of 26 deliveries · page 2 of 2");
  expect(renderToStaticMarkup(createElement(DeliveryLog, { log: { ...log, deliveries: [], total: 0, page: 1, pageCount: 1 }, resendDelivery: never }))).toContain("No deliveries yet");
});
