import type { WebhookEventType } from "@/lib/domain/webhooks/events";

/** What each webhook event announces, for the event checkboxes and the delivery log. */
export const EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  "alert.opened": "An alert opened on a loan: early warning, margin call, liquidation zone, payment overdue, burn above plan.",
  "alert.resolved": "An alert's condition cleared.",
  "alert.acknowledged": "Someone at your fund acknowledged an alert.",
  "loan.state_changed": "A loan moved between states (active, margin call, delinquent, frozen…).",
  "loan.frozen": "Collateral was frozen: by you, by your API token, or by auto-freeze.",
  "loan.unfrozen": "Frozen collateral was released.",
  "loan.liquidated": "Collateral was sold, with the waterfall of what it paid.",
  "loan.repaid": "A loan was repaid in full and closed.",
  "payment.received": "A payment on a loan was recorded.",
  "webhook.test": "A test event sent with “Send test event”.",
};
