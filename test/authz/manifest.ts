// Who may call what: every route handler (app/**/route.ts, pages/api/**), every page and layout
// (app/**/page.tsx, app/**/layout.tsx) and every server action (the exports of "use server" files), with the caller it
// admits and, for tenant-scoped ones, the argument that carries another tenant's id.
//
// test/authz/manifest.db.test.ts fails when a file or export on disk is missing here (or named here
// and gone), and when the guard a file's source calls differs from what is written here;
// test/authz/authorisation.db.test.ts calls every entry as every principal and checks that only
// the cells this manifest allows succeed. Adding a route, page or action is adding its line here.
import type { Permission, Role } from "@/lib/domain/auth/permissions";

/**
 * - own-org: the caller's organisation is in every query's `where`; another tenant's id in
 *   `foreignArg` is "not found" (or, `foreignAnswer: "no-op"`, accepted and changes nothing).
 * - own-user: the signed-in user's own sessions and password.
 * - platform: an admin acts across every organisation (no tenant to cross).
 */
export type Scope = "own-org" | "own-user" | "platform";

export type Caller =
  /** Anyone, signed in or not (the sign-in page, next-auth's endpoints, CORS preflights, 404s and 405s). */
  | { kind: "public"; why: string }
  /**
   * A signed-in user (next-auth session cookie, checked against the server-side session row) whose
   * role is in `roles`. `permission` is what the source passes to its guard (requireViewer /
   * defineAction / authed / requirePageViewer); null: the source calls getViewer itself (any
   * signed-in user, a temporary password included).
   */
  | { kind: "session"; permission: Permission | null; roles: readonly Role[]; scope: Scope; foreignArg?: string; foreignAnswer?: "not-found" | "no-op" }
  /** The routing API: `Authorization: Bearer sk-bl-…` of a live key; the key's organisation is the tenant. */
  | { kind: "apiKey"; scope: "own-org" | "platform"; foreignArg?: string }
  /** The lender API: `Authorization: Bearer lk-bl-…` of a live lender token; the token's organisation is the tenant. */
  | { kind: "lenderToken"; scope: "own-org"; foreignArg?: string }
  /** The GPU index feed: `Authorization: Bearer` the index ingest token (BLOCKABLE_INDEX_INGEST_TOKEN). */
  | { kind: "ingestToken" };

export type Entry = {
  caller: Caller;
  /** A call that succeeds writes something (a refused one must write nothing either way). */
  mutates: boolean;
  note?: string;
};

const startup = (permission: Permission, options: { foreignArg?: string; foreignAnswer?: "no-op"; mutates?: boolean; note?: string } = {}): Entry => ({
  caller: { kind: "session", permission, roles: ["startup"], scope: "own-org", ...(options.foreignArg ? { foreignArg: options.foreignArg } : {}), ...(options.foreignAnswer ? { foreignAnswer: options.foreignAnswer } : {}) },
  mutates: options.mutates ?? true,
  ...(options.note ? { note: options.note } : {}),
});
const lender = (permission: Permission, options: { foreignArg?: string; mutates?: boolean; note?: string } = {}): Entry => ({
  caller: { kind: "session", permission, roles: ["lender"], scope: "own-org", ...(options.foreignArg ? { foreignArg: options.foreignArg } : {}) },
  mutates: options.mutates ?? true,
  ...(options.note ? { note: options.note } : {}),
});
const admin = (permission: Permission, options: { mutates?: boolean; note?: string } = {}): Entry => ({
  caller: { kind: "session", permission, roles: ["admin"], scope: "platform" },
  mutates: options.mutates ?? true,
  ...(options.note ? { note: options.note } : {}),
});
const anyRole = (permission: Permission | null, options: { foreignArg?: string; mutates?: boolean; note?: string } = {}): Entry => ({
  caller: { kind: "session", permission, roles: ["startup", "lender", "admin"], scope: "own-user", ...(options.foreignArg ? { foreignArg: options.foreignArg } : {}) },
  mutates: options.mutates ?? true,
  ...(options.note ? { note: options.note } : {}),
});
const publicEntry = (why: string): Entry => ({ caller: { kind: "public", why }, mutates: false });
const apiKey = (options: { scope?: "own-org" | "platform"; foreignArg?: string; mutates?: boolean; note?: string } = {}): Entry => ({
  caller: { kind: "apiKey", scope: options.scope ?? "own-org", ...(options.foreignArg ? { foreignArg: options.foreignArg } : {}) },
  mutates: options.mutates ?? false,
  ...(options.note ? { note: options.note } : {}),
});
const lenderToken = (options: { foreignArg?: string; mutates?: boolean } = {}): Entry => ({
  caller: { kind: "lenderToken", scope: "own-org", ...(options.foreignArg ? { foreignArg: options.foreignArg } : {}) },
  mutates: options.mutates ?? false,
});

const PREFLIGHT = publicEntry("CORS preflight: headers only, no data");
const NOT_ALLOWED = publicEntry("OpenAI's JSON 405 for a method the endpoint does not have");

// ───────────────────────────── Server actions ("file#export") ─────────────────────────────

export const SERVER_ACTIONS: Record<string, Entry> = {
  // The signed-in user's own account (any role).
  "app/account/password/change-password-action.ts#changePasswordAction": anyRole(null, { note: "getViewer, not defineAction: the one action a user with a temporary password may call; needs the current password" }),
  "app/account/revoke-session-action.ts#revokeSessionAction": anyRole("session.manage", { foreignArg: "sessionId" }),
  "app/account/sign-out-everywhere-action.ts#signOutEverywhereAction": anyRole("session.manage"),

  // Admin: applications, payments, organisations and users, catalogue, GPU index, ledger health.
  "app/admin/applications/[loanId]/approve-action.ts#approveApplicationAction": admin("application.decide"),
  "app/admin/applications/[loanId]/reject-action.ts#rejectApplicationAction": admin("application.decide"),
  "app/admin/applications/set-threshold-action.ts#setFourEyesThresholdAction": admin("application.decide"),
  "app/admin/gpu-index/import-action.ts#importGpuIndexCsvAction": admin("gpuIndex.manage"),
  "app/admin/gpu-index/preview-import-action.ts#previewGpuIndexCsvAction": admin("gpuIndex.manage", { mutates: false }),
  "app/admin/gpu-index/save-fix-action.ts#saveGpuIndexFixAction": admin("gpuIndex.manage"),
  "app/admin/ledger-health/run-checks-action.ts#runLedgerChecksAction": admin("ledger.health", { mutates: false }),
  "app/admin/loans/[loanId]/liquidate-action.ts#adminLiquidateLoanAction": admin("loan.liquidate", { note: "loan.liquidate admits lenders too; the action refuses them (their desk is app/lender/loans/[loanId])" }),
  "app/admin/models/add-route-action.ts#addRouteAction": admin("provider.manage"),
  "app/admin/models/change-price-action.ts#changeRoutePriceAction": admin("provider.manage"),
  "app/admin/models/create-model-action.ts#createModelAction": admin("provider.manage"),
  "app/admin/models/remove-route-action.ts#removeRouteAction": admin("provider.manage"),
  "app/admin/models/update-model-action.ts#updateModelAction": admin("provider.manage"),
  "app/admin/models/update-route-action.ts#updateRouteAction": admin("provider.manage"),
  "app/admin/organizations/create-facility-action.ts#createFacilityAction": admin("org.manage"),
  "app/admin/organizations/create-organization-action.ts#createOrganizationAction": admin("org.manage"),
  "app/admin/organizations/create-user-action.ts#createUserAction": admin("user.manage"),
  "app/admin/organizations/reset-password-action.ts#resetUserPasswordAction": admin("user.manage"),
  "app/admin/organizations/set-concurrency-limit-action.ts#setConcurrencyLimitAction": admin("org.manage"),
  "app/admin/organizations/set-user-disabled-action.ts#setUserDisabledAction": admin("user.manage"),
  "app/admin/payments/confirm-notice-action.ts#confirmNoticeAction": admin("payment.record"),
  "app/admin/payments/confirm-purchase-action.ts#confirmPurchaseAction": admin("payment.record"),
  "app/admin/payments/record-payment-action.ts#recordPaymentAction": admin("payment.record"),
  "app/admin/payments/refuse-notice-action.ts#refuseNoticeAction": admin("payment.record"),
  "app/admin/payments/refuse-purchase-action.ts#refusePurchaseAction": admin("payment.record"),
  "app/admin/providers/create-provider-action.ts#createProviderAction": admin("provider.manage"),
  "app/admin/providers/set-provider-enabled-action.ts#setProviderEnabledAction": admin("provider.manage"),
  "app/admin/providers/test-connection-action.ts#testConnectionAction": admin("provider.manage", { mutates: false, note: "a 1-token request upstream; nobody is charged" }),
  "app/admin/providers/update-provider-action.ts#updateProviderAction": admin("provider.manage"),

  // Lender: its own loans, alerts, tokens, webhooks and settings.
  "app/lender/alerts/acknowledge-action.ts#acknowledgeAlertsAction": lender("alert.acknowledge", { foreignArg: "alertIds" }),
  "app/lender/loans/[loanId]/check-enforcement-action.ts#checkEnforcementAction": lender("portfolio.read", { foreignArg: "loanId", mutates: false }),
  "app/lender/loans/[loanId]/freeze-action.ts#freezeLoanAction": lender("loan.freeze", { foreignArg: "loanId" }),
  "app/lender/loans/[loanId]/liquidate-action.ts#liquidateLoanAction": lender("loan.liquidate", { foreignArg: "loanId", note: "loan.liquidate admits admins too; the action refuses them (their desk is app/admin/loans/[loanId])" }),
  "app/lender/loans/[loanId]/unfreeze-action.ts#unfreezeLoanAction": lender("loan.unfreeze", { foreignArg: "loanId" }),
  "app/lender/settings/add-endpoint-action.ts#createWebhookEndpointAction": lender("webhook.manage"),
  "app/lender/settings/create-token-action.ts#createLenderApiTokenAction": lender("lenderToken.manage"),
  "app/lender/settings/delete-endpoint-action.ts#deleteWebhookEndpointAction": lender("webhook.manage", { foreignArg: "endpointId" }),
  "app/lender/settings/revoke-token-action.ts#revokeLenderApiTokenAction": lender("lenderToken.manage", { foreignArg: "tokenId" }),
  "app/lender/settings/rotate-secret-action.ts#rotateWebhookSecretAction": lender("webhook.manage", { foreignArg: "endpointId" }),
  "app/lender/settings/send-test-event-action.ts#sendTestWebhookAction": lender("webhook.manage", { foreignArg: "endpointId" }),
  "app/lender/settings/set-endpoint-enabled-action.ts#setWebhookEndpointEnabledAction": lender("webhook.manage", { foreignArg: "endpointId" }),
  "app/lender/settings/set-payment-instructions-action.ts#setPaymentInstructionsAction": lender("lender.settings"),
  "app/lender/settings/webhooks/[endpointId]/resend-delivery-action.ts#resendWebhookDeliveryAction": lender("webhook.manage", { foreignArg: "deliveryId" }),

  // Startup: its own loans, payments, purchases, keys and notifications.
  "app/startup/financing/[loanId]/declare-payment-action.ts#declarePaymentAction": startup("loan.pay", { foreignArg: "loanId" }),
  "app/startup/financing/[loanId]/pledge-action.ts#pledgeAction": startup("loan.pledge", { foreignArg: "loanId" }),
  "app/startup/financing/[loanId]/request-purchase-action.ts#requestPurchaseAction": startup("credits.purchase"),
  "app/startup/financing/[loanId]/withdraw-notice-action.ts#withdrawNoticeAction": startup("loan.pay", { foreignArg: "noticeId" }),
  "app/startup/financing/[loanId]/withdraw-purchase-action.ts#withdrawPurchaseAction": startup("credits.purchase", { foreignArg: "purchaseId" }),
  "app/startup/financing/apply-action.ts#applyAction": startup("loan.apply"),
  "app/startup/financing/withdraw-action.ts#withdrawApplicationAction": startup("loan.apply", { foreignArg: "loanId" }),
  "app/startup/keys/create-key-action.ts#createKeyAction": startup("apiKey.manage"),
  "app/startup/keys/revoke-key-action.ts#revokeKeyAction": startup("apiKey.manage", { foreignArg: "apiKeyId" }),
  "app/startup/mark-notifications-read-action.ts#markNotificationsReadAction": startup("credits.read", { foreignArg: "ids", foreignAnswer: "no-op", note: "another organisation's ids are accepted and change nothing" }),
};

// ───────────────────────────── Route handlers ("METHOD file") ─────────────────────────────
// pages/api/** routes answer every method; "ANY" stands for them.

export const ROUTE_HANDLERS: Record<string, Entry> = {
  "GET app/admin/loans/export/route.ts": admin("platform.loans.read", { mutates: false }),
  "GET app/api/admin/audit/export/route.ts": admin("audit.read", { mutates: false }),
  "GET app/api/admin/jobs/[jobId]/route.ts": admin("org.manage", { mutates: false, note: "each job kind may need its own permission too (index.recompute: gpuIndex.manage)" }),
  "GET app/api/admin/queue/route.ts": admin("application.decide", { mutates: false }),

  "GET app/api/auth/[...nextauth]/route.ts": publicEntry("next-auth: providers, csrf, session (nothing for a signed-out, revoked or disabled user), sign-in and sign-out pages"),
  "POST app/api/auth/[...nextauth]/route.ts": publicEntry("next-auth: credentials sign-in (throttled), sign-out; _log is dropped"),

  "GET app/api/lender/alerts/route.ts": lender("portfolio.read", { mutates: false }),
  "GET app/api/lender/alerts/summary/route.ts": lender("portfolio.read", { mutates: false }),
  "GET app/api/lender/portfolio/export/route.ts": lender("portfolio.read", { mutates: false }),

  "GET app/api/lender/v1/alerts/route.ts": lenderToken(),
  "GET app/api/lender/v1/loans/route.ts": lenderToken(),
  "GET app/api/lender/v1/loans/[loanId]/route.ts": lenderToken({ foreignArg: "loanId" }),
  "POST app/api/lender/v1/loans/[loanId]/freeze/route.ts": lenderToken({ foreignArg: "loanId", mutates: true }),
  "POST app/api/lender/v1/loans/[loanId]/unfreeze/route.ts": lenderToken({ foreignArg: "loanId", mutates: true }),
  "POST app/api/lender/v1/loans/[loanId]/liquidate/route.ts": lenderToken({ foreignArg: "loanId", mutates: true }),

  "GET app/api/startup/credits/route.ts": startup("credits.read", { mutates: false }),
  "GET app/api/startup/live/route.ts": startup("credits.read", { mutates: false }),
  "GET app/api/startup/notifications/route.ts": startup("credits.read", { mutates: false }),
  "GET app/api/startup/usage/export/route.ts": startup("usage.read", { mutates: false }),

  "GET app/api/v1/account/credits/route.ts": apiKey(),
  "OPTIONS app/api/v1/account/credits/route.ts": PREFLIGHT,
  "POST app/api/v1/account/credits/route.ts": NOT_ALLOWED,
  "PUT app/api/v1/account/credits/route.ts": NOT_ALLOWED,
  "PATCH app/api/v1/account/credits/route.ts": NOT_ALLOWED,
  "DELETE app/api/v1/account/credits/route.ts": NOT_ALLOWED,

  "GET app/api/v1/account/usage/route.ts": apiKey(),
  "OPTIONS app/api/v1/account/usage/route.ts": PREFLIGHT,
  "POST app/api/v1/account/usage/route.ts": NOT_ALLOWED,
  "PUT app/api/v1/account/usage/route.ts": NOT_ALLOWED,
  "PATCH app/api/v1/account/usage/route.ts": NOT_ALLOWED,
  "DELETE app/api/v1/account/usage/route.ts": NOT_ALLOWED,

  "POST app/api/v1/index/fixes/route.ts": { caller: { kind: "ingestToken" }, mutates: true },
  "OPTIONS app/api/v1/index/fixes/route.ts": PREFLIGHT,
  "GET app/api/v1/index/fixes/route.ts": NOT_ALLOWED,
  "HEAD app/api/v1/index/fixes/route.ts": NOT_ALLOWED,
  "PUT app/api/v1/index/fixes/route.ts": NOT_ALLOWED,
  "PATCH app/api/v1/index/fixes/route.ts": NOT_ALLOWED,
  "DELETE app/api/v1/index/fixes/route.ts": NOT_ALLOWED,

  "GET app/api/v1/models/route.ts": apiKey({ scope: "platform", note: "the catalogue is the same for every key" }),
  "OPTIONS app/api/v1/models/route.ts": PREFLIGHT,
  "POST app/api/v1/models/route.ts": NOT_ALLOWED,
  "PUT app/api/v1/models/route.ts": NOT_ALLOWED,
  "PATCH app/api/v1/models/route.ts": NOT_ALLOWED,
  "DELETE app/api/v1/models/route.ts": NOT_ALLOWED,

  "GET app/api/v1/models/[...id]/route.ts": apiKey({ scope: "platform" }),
  "OPTIONS app/api/v1/models/[...id]/route.ts": PREFLIGHT,
  "POST app/api/v1/models/[...id]/route.ts": NOT_ALLOWED,
  "PUT app/api/v1/models/[...id]/route.ts": NOT_ALLOWED,
  "PATCH app/api/v1/models/[...id]/route.ts": NOT_ALLOWED,
  "DELETE app/api/v1/models/[...id]/route.ts": NOT_ALLOWED,

  "GET app/api/v1/responses/[id]/route.ts": apiKey({ foreignArg: "id" }),
  "DELETE app/api/v1/responses/[id]/route.ts": apiKey({ foreignArg: "id", mutates: true }),
  "OPTIONS app/api/v1/responses/[id]/route.ts": PREFLIGHT,
  "POST app/api/v1/responses/[id]/route.ts": NOT_ALLOWED,
  "PUT app/api/v1/responses/[id]/route.ts": NOT_ALLOWED,
  "PATCH app/api/v1/responses/[id]/route.ts": NOT_ALLOWED,

  "GET app/api/v1/responses/[id]/input_items/route.ts": apiKey({ foreignArg: "id" }),
  "OPTIONS app/api/v1/responses/[id]/input_items/route.ts": PREFLIGHT,
  "POST app/api/v1/responses/[id]/input_items/route.ts": NOT_ALLOWED,
  "PUT app/api/v1/responses/[id]/input_items/route.ts": NOT_ALLOWED,
  "PATCH app/api/v1/responses/[id]/input_items/route.ts": NOT_ALLOWED,
  "DELETE app/api/v1/responses/[id]/input_items/route.ts": NOT_ALLOWED,

  "ANY pages/api/v1/[[...path]].ts": publicEntry("OpenAI's JSON 404 for any other path under /api/v1"),
  "ANY pages/api/v1/chat/completions.ts": apiKey({ mutates: true, note: "metered: holds, usage, ledger; previous replies are not addressable" }),
  "ANY pages/api/v1/embeddings.ts": apiKey({ mutates: true }),
  "ANY pages/api/v1/responses.ts": apiKey({ mutates: true, foreignArg: "previous_response_id", note: "another organisation's previous_response_id is not found" }),
};

// ───────────────────────────── Pages (file) ─────────────────────────────

export type PageEntry = { caller: Caller; note?: string };

const page = (permission: Permission, roles: readonly Role[], scope: Scope, foreignArg?: string): PageEntry => ({
  caller: { kind: "session", permission, roles, scope, ...(foreignArg ? { foreignArg } : {}) },
});

export const PAGES: Record<string, PageEntry> = {
  "app/page.tsx": { caller: { kind: "public", why: "sends the visitor to the sign-in page or the role's home" } },
  "app/login/page.tsx": { caller: { kind: "public", why: "the sign-in form (a signed-in visitor is sent home)" } },
  "app/account/page.tsx": page("session.manage", ["startup", "lender", "admin"], "own-user"),
  "app/account/password/page.tsx": { caller: { kind: "session", permission: null, roles: ["startup", "lender", "admin"], scope: "own-user" }, note: "getViewer: a temporary password is allowed here, and only here" },

  "app/admin/page.tsx": page("org.manage", ["admin"], "platform"),
  "app/admin/applications/page.tsx": page("application.decide", ["admin"], "platform"),
  "app/admin/applications/[loanId]/page.tsx": page("application.decide", ["admin"], "platform"),
  "app/admin/audit/page.tsx": page("audit.read", ["admin"], "platform"),
  "app/admin/gpu-index/page.tsx": page("gpuIndex.manage", ["admin"], "platform"),
  "app/admin/ledger-health/page.tsx": page("ledger.health", ["admin"], "platform"),
  "app/admin/loans/(list)/page.tsx": page("platform.loans.read", ["admin"], "platform"),
  "app/admin/loans/[loanId]/page.tsx": page("platform.loans.read", ["admin"], "platform"),
  "app/admin/models/page.tsx": page("provider.manage", ["admin"], "platform"),
  "app/admin/organizations/page.tsx": page("user.manage", ["admin"], "platform"),
  "app/admin/organizations/[orgId]/page.tsx": page("user.manage", ["admin"], "platform"),
  "app/admin/payments/page.tsx": page("payment.record", ["admin"], "platform"),
  "app/admin/providers/page.tsx": page("provider.manage", ["admin"], "platform"),

  "app/lender/(portfolio)/page.tsx": page("portfolio.read", ["lender"], "own-org"),
  "app/lender/alerts/page.tsx": page("portfolio.read", ["lender"], "own-org"),
  "app/lender/loans/[loanId]/page.tsx": page("portfolio.read", ["lender"], "own-org", "loanId"),
  "app/lender/settings/page.tsx": page("lenderToken.manage", ["lender"], "own-org"),
  "app/lender/settings/webhooks/[endpointId]/page.tsx": page("webhook.manage", ["lender"], "own-org", "endpointId"),

  "app/startup/(overview)/page.tsx": page("credits.read", ["startup"], "own-org"),
  "app/startup/financing/(list)/page.tsx": page("credits.read", ["startup"], "own-org"),
  "app/startup/financing/[loanId]/page.tsx": page("credits.read", ["startup"], "own-org", "loanId"),
  "app/startup/keys/page.tsx": page("apiKey.manage", ["startup"], "own-org"),
  "app/startup/usage/page.tsx": page("usage.read", ["startup"], "own-org"),
};

// ───────────────────────────── Layouts (file) ─────────────────────────────
// A layout runs its own guard (and, under [param], its own query and generateMetadata: a title is
// a place a foreign loan's reference could show), so each is listed like a page.

export const LAYOUTS: Record<string, PageEntry> = {
  "app/layout.tsx": { caller: { kind: "public", why: "the HTML shell: reads the request's CSP nonce, no data" } },
  "app/admin/layout.tsx": page("org.manage", ["admin"], "platform"),
  "app/admin/applications/[loanId]/layout.tsx": page("application.decide", ["admin"], "platform"),
  "app/admin/loans/[loanId]/layout.tsx": page("platform.loans.read", ["admin"], "platform"),
  "app/lender/layout.tsx": page("portfolio.read", ["lender"], "own-org"),
  "app/lender/loans/[loanId]/layout.tsx": page("portfolio.read", ["lender"], "own-org", "loanId"),
  "app/startup/layout.tsx": page("credits.read", ["startup"], "own-org"),
  "app/startup/financing/[loanId]/layout.tsx": page("credits.read", ["startup"], "own-org", "loanId"),
};
