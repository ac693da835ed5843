import type { WebhookEventType } from "@/lib/domain/webhooks/events";
import type { ActionResult } from "@/lib/server/http/action";

// The server actions the Settings screens call, as the page hands them down (components never
// import lib/server or app/ code, only these shapes).

export type CreateTokenAction = (input: { name: string }) => Promise<ActionResult<{ id: string; name: string; prefix: string; plaintext: string }>>;
export type RevokeTokenAction = (input: { tokenId: string }) => Promise<ActionResult<{ id: string; name: string; revokedAt: string | null }>>;

/** Every event but the test event, which only "Send test event" sends. */
export type SubscribableEventType = Exclude<WebhookEventType, "webhook.test">;

export type AddEndpointAction = (input: { url: string; events: SubscribableEventType[] | "*" }) => Promise<ActionResult<{ id: string; url: string; events: WebhookEventType[] | "*"; secret: string }>>;
export type DeleteEndpointAction = (input: { endpointId: string }) => Promise<ActionResult<{ id: string }>>;
export type SetEndpointEnabledAction = (input: { endpointId: string; isEnabled: boolean }) => Promise<ActionResult<{ id: string; isEnabled: boolean }>>;
export type RotateSecretAction = (input: { endpointId: string }) => Promise<ActionResult<{ id: string; url: string; secret: string }>>;
export type SendTestEventAction = (
  input: { endpointId: string },
) => Promise<ActionResult<{ deliveryId: string; eventId: string; status: "PENDING" | "DELIVERED" | "FAILED"; statusCode: number | null; error: string | null; nextAttemptAt: string | null }>>;

export type WebhookActions = {
  addEndpoint: AddEndpointAction;
  deleteEndpoint: DeleteEndpointAction;
  setEndpointEnabled: SetEndpointEnabledAction;
  rotateSecret: RotateSecretAction;
  sendTestEvent: SendTestEventAction;
};
