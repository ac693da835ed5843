// How the authorisation matrix calls each manifest entry: the fixture it acts on (owned by startup
// A or lender X, so B and Y hold foreign ids) and the input or request that names it. One target
// per manifest key; authorisation.db.test.ts fails when an entry has none.
import { alertOpenKey } from "@/lib/domain/alerts";
import { openLoanAlert } from "@/lib/server/alerts/rows";
import { freezeLoanCollateral } from "@/lib/server/collateral/freeze";
import type { Db } from "@/lib/server/db/client";
import { enqueueJob } from "@/lib/server/jobs/queue";
import { createLenderApiToken } from "@/lib/server/lender-api/tokens";
import { declarePaymentNotice } from "@/lib/server/payments/notices";
import { requestCreditPurchase } from "@/lib/server/payments/purchases";
import { createApiKey } from "@/lib/server/services/api-keys";
import { sendTestEvent } from "@/lib/server/webhooks/deliver";
import { createEndpoint } from "@/lib/server/webhooks/endpoints";
import type { Provider } from "@/test/databases";
import { createLoan, unique, USD, type Cast } from "./world";

/** The shared state every target builds on (authorisation.db.test.ts creates it once per database). */
export type World = {
  db: Db;
  provider: Provider;
  cast: Cast;
  /** A URL on the test's webhook receiver (127.0.0.1). */
  receiverUrl: (path: string) => string;
  /** The simulator provider, a chat model and an embedding model routed to it. */
  catalog: { providerId: string; chatModel: string; embeddingModel: string; chatModelId: string; routeId: string };
  /** A stored Response of startup A (POST /api/v1/responses with A's key). */
  storedResponseOfA: () => Promise<string>;
};

const today = () => new Date().toISOString().slice(0, 10);
let days = 0;
/** A day in 1990s, one per call: an index fix nobody values a loan against (2020-01-01 is the latest). */
const oldDay = () => new Date(Date.UTC(1995, 0, 1) + ++days * 86_400_000).toISOString().slice(0, 10);

// ───────────────────────────── Fixtures (owned by A or X) ─────────────────────────────

/**
 * A's ACTIVE loan financed by X: $1,000 principal, $1,250 FINANCED, $600 of A's own credits
 * PLEDGED — 157% coverage at the 85% mark, healthy, so a recompute opens no margin call.
 */
export const loanOfA = (w: World, cast = w.cast, state = "ACTIVE") =>
  createLoan(w.db, { startupOrgId: cast.startupA.orgId, lenderOrgId: cast.lenderX.orgId, facilityId: cast.lenderX.facilityId, principalMicros: 1_000n * USD, pledgedMicros: 600n * USD, state });

/** The same loan, its collateral frozen in full by X. */
export async function frozenLoanOfA(w: World, cast = w.cast) {
  const loan = await loanOfA(w, cast);
  await freezeLoanCollateral(w.db, { loanId: loan.id, mode: "FULL", reason: "fixture", actor: { kind: "user", userId: cast.lenderX.userId, orgId: cast.lenderX.orgId }, lenderOrgId: cast.lenderX.orgId, requestedAt: new Date() });
  return loan;
}

/** A's SUBMITTED application: $10,000 at 1.3× with $5,000 pledged (initial coverage 153% at the 85% mark). */
export async function applicationOfA(w: World, cast = w.cast) {
  return w.db.loan.create({
    data: {
      reference: `BL-AZ-${unique()}`,
      startupOrgId: cast.startupA.orgId,
      state: "SUBMITTED",
      principalMicros: 10_000n * USD,
      multiplierBps: 13_000,
      termMonths: 12,
      pledgedMicros: 5_000n * USD,
      purpose: "authorisation suite",
      submittedAt: new Date(),
    },
  });
}

const startupCaller = (cast: Cast) => ({ role: "startup" as const, userId: cast.startupA.userId, orgId: cast.startupA.orgId, kind: "user" as const });

async function pendingNoticeOfA(w: World, cast = w.cast) {
  const loan = await loanOfA(w, cast);
  return declarePaymentNotice(w.db, { caller: startupCaller(cast), loanId: loan.id, notice: { amountMicros: 100n * USD, sentOn: today(), reference: `WIRE-${unique()}` } });
}

const pendingPurchaseOfA = (w: World, cast = w.cast) => requestCreditPurchase(w.db, { caller: startupCaller(cast), purchase: { amountMicros: 1_000n * USD, reference: `PO-${unique()}` } });

async function openAlertOfX(w: World, cast = w.cast) {
  const loan = await loanOfA(w, cast);
  const id = await w.db.$transaction((tx) => openLoanAlert(tx, { loan, kind: "EARLY_WARNING_1", message: "Coverage fell below 140%.", coverageBps: 13_900, now: new Date() }));
  return { id, loan, openKey: alertOpenKey(loan.id, "EARLY_WARNING_1") };
}

const endpointOfX = async (w: World, cast = w.cast) =>
  (await createEndpoint(w.db, { orgId: cast.lenderX.orgId, url: w.receiverUrl(`/x/${unique()}`), events: "*", createdById: cast.lenderX.userId })).endpoint;

async function deliveryOfX(w: World, cast = w.cast) {
  const endpoint = await endpointOfX(w, cast);
  return sendTestEvent(w.db, { orgId: cast.lenderX.orgId, endpointId: endpoint.id });
}

const notificationOfA = (w: World, cast = w.cast) =>
  w.db.notification.create({ data: { orgId: cast.startupA.orgId, kind: "PAYMENT_CONFIRMED", severity: "info", title: "Payment confirmed", body: "fixture" } });

/** A user of A's organisation who is nobody's principal (the admin's user-management target). */
const bystanderOfA = async (w: World, cast = w.cast) =>
  w.db.user.create({ data: { orgId: cast.startupA.orgId, email: `bystander-${unique()}@authz.test`, name: "Bystander", passwordHash: "x", role: "startup" } });

// ───────────────────────────── Server actions ─────────────────────────────

export type ActionTarget = {
  /**
   * A fresh cast for this target: its allowed call changes the principal itself (signs it out
   * everywhere, changes its password) or needs a startup with no loan (apply). `password`: every
   * member signs in with this one.
   */
  freshCast?: { password?: string };
  /** The fixture and the action's input naming it; called again for each further allowed principal. */
  prepare: (w: World, cast: Cast) => Promise<unknown>;
};

export const CAST_PASSWORD = "correct horse battery staple 1";

const catalogueSlug = () => `authz-${unique()}`;

export const ACTION_TARGETS: Record<string, ActionTarget> = {
  "app/account/password/change-password-action.ts#changePasswordAction": {
    freshCast: { password: CAST_PASSWORD },
    prepare: async () => {
      const newPassword = `a brand new passphrase ${unique()}`;
      return { currentPassword: CAST_PASSWORD, newPassword, confirmPassword: newPassword };
    },
  },
  "app/account/revoke-session-action.ts#revokeSessionAction": {
    prepare: async (w, cast) => {
      const session = await w.db.userSession.create({ data: { userId: cast.startupA.userId, expiresAt: new Date(Date.now() + 3_600_000), userAgent: "another browser" } });
      return { sessionId: session.id };
    },
  },
  "app/account/sign-out-everywhere-action.ts#signOutEverywhereAction": { freshCast: {}, prepare: async () => ({}) },

  "app/admin/applications/[loanId]/approve-action.ts#approveApplicationAction": {
    prepare: async (w, cast) => ({ loanId: (await applicationOfA(w, cast)).id, terms: { facilityId: cast.lenderX.facilityId, aprBps: 1_200, multiplierBps: 13_000 }, requestKey: `approve-${unique()}` }),
  },
  "app/admin/applications/[loanId]/reject-action.ts#rejectApplicationAction": {
    prepare: async (w, cast) => ({ loanId: (await applicationOfA(w, cast)).id, reason: "Not this quarter." }),
  },
  "app/admin/applications/set-threshold-action.ts#setFourEyesThresholdAction": {
    prepare: async () => ({ thresholdUsd: `${(Math.floor(Math.random() * 1_000_000) + 1_000_000).toLocaleString("en-US")}` }),
  },
  "app/admin/gpu-index/import-action.ts#importGpuIndexCsvAction": {
    prepare: async () => ({ csv: `day,price_usd_per_gpu_hour\n${oldDay()},2.10\n${oldDay()},2.20\n` }),
  },
  "app/admin/gpu-index/preview-import-action.ts#previewGpuIndexCsvAction": {
    prepare: async () => ({ csv: `day,price_usd_per_gpu_hour\n${oldDay()},2.10\n` }),
  },
  "app/admin/gpu-index/save-fix-action.ts#saveGpuIndexFixAction": { prepare: async () => ({ day: oldDay(), priceUsd: "2.15" }) },
  "app/admin/ledger-health/run-checks-action.ts#runLedgerChecksAction": { prepare: async () => ({}) },
  "app/admin/loans/[loanId]/liquidate-action.ts#adminLiquidateLoanAction": {
    prepare: async (w, cast) => ({ loanId: (await frozenLoanOfA(w, cast)).id, scope: "FULL", reason: "Default: the platform liquidates." }),
  },

  "app/admin/models/add-route-action.ts#addRouteAction": {
    prepare: async (w) => {
      const model = await w.db.model.create({ data: { slug: catalogueSlug(), displayName: "Fixture model", kind: "chat", routingPolicy: "PRIORITY", contextWindow: 8_000 } });
      return { modelId: model.id, providerId: w.catalog.providerId, upstreamModel: "sim-upstream", priority: 0, isEnabled: true, inputPriceUsdPerM: "0.15", outputPriceUsdPerM: "0.60" };
    },
  },
  "app/admin/models/change-price-action.ts#changeRoutePriceAction": {
    prepare: async (w) => ({ routeId: (await routeOfCatalogue(w)).id, inputPriceUsdPerM: `0.${Math.floor(Math.random() * 89) + 10}`, outputPriceUsdPerM: "0.70" }),
  },
  "app/admin/models/create-model-action.ts#createModelAction": {
    prepare: async () => ({ slug: catalogueSlug(), displayName: "Created model", kind: "chat", ownedBy: "authz", contextWindow: 8_000, routingPolicy: "PRIORITY", isEnabled: true }),
  },
  "app/admin/models/remove-route-action.ts#removeRouteAction": { prepare: async (w) => ({ routeId: (await routeOfCatalogue(w)).id }) },
  "app/admin/models/update-model-action.ts#updateModelAction": {
    prepare: async (w) => {
      const model = await w.db.model.create({ data: { slug: catalogueSlug(), displayName: "Fixture model", kind: "chat", routingPolicy: "PRIORITY", contextWindow: 8_000 } });
      return { modelId: model.id, displayName: `Renamed ${unique()}`, kind: "chat", ownedBy: "authz", contextWindow: 16_000, routingPolicy: "CHEAPEST", isEnabled: true };
    },
  },
  "app/admin/models/update-route-action.ts#updateRouteAction": {
    prepare: async (w) => ({ routeId: (await routeOfCatalogue(w)).id, upstreamModel: `renamed-${unique()}`, priority: 3, isEnabled: true }),
  },
  "app/admin/organizations/create-facility-action.ts#createFacilityAction": {
    prepare: async (w, cast) => ({ orgId: cast.lenderX.orgId, name: `Fund ${unique()}`, limitUsd: "5,000,000", defaultAprPercent: "11.5" }),
  },
  "app/admin/organizations/create-organization-action.ts#createOrganizationAction": { prepare: async () => ({ name: `Org ${unique()}`, kind: "STARTUP" }) },
  "app/admin/organizations/create-user-action.ts#createUserAction": {
    prepare: async (w, cast) => ({ orgId: cast.startupA.orgId, name: "New Person", email: `new-${unique()}@authz.test` }),
  },
  "app/admin/organizations/reset-password-action.ts#resetUserPasswordAction": { prepare: async (w, cast) => ({ userId: (await bystanderOfA(w, cast)).id }) },
  "app/admin/organizations/set-concurrency-limit-action.ts#setConcurrencyLimitAction": {
    prepare: async (w, cast) => ({ orgId: cast.startupB.orgId, maxConcurrentRequests: String(Math.floor(Math.random() * 500) + 2) }),
  },
  "app/admin/organizations/set-user-disabled-action.ts#setUserDisabledAction": { prepare: async (w, cast) => ({ userId: (await bystanderOfA(w, cast)).id, isDisabled: true }) },

  "app/admin/payments/confirm-notice-action.ts#confirmNoticeAction": { prepare: async (w, cast) => ({ noticeId: (await pendingNoticeOfA(w, cast)).id }) },
  "app/admin/payments/confirm-purchase-action.ts#confirmPurchaseAction": { prepare: async (w, cast) => ({ purchaseId: (await pendingPurchaseOfA(w, cast)).id }) },
  "app/admin/payments/record-payment-action.ts#recordPaymentAction": {
    prepare: async (w, cast) => ({ loanId: (await loanOfA(w, cast)).id, amountUsd: "250", reference: "WIRE-AUTHZ", idempotencyKey: `record-${unique()}` }),
  },
  "app/admin/payments/refuse-notice-action.ts#refuseNoticeAction": { prepare: async (w, cast) => ({ noticeId: (await pendingNoticeOfA(w, cast)).id, reason: "No such wire arrived." }) },
  "app/admin/payments/refuse-purchase-action.ts#refusePurchaseAction": { prepare: async (w, cast) => ({ purchaseId: (await pendingPurchaseOfA(w, cast)).id, reason: "No such wire arrived." }) },

  "app/admin/providers/create-provider-action.ts#createProviderAction": {
    prepare: async () => ({ slug: catalogueSlug(), name: "Created provider", kind: "simulator", baseUrl: "", timeoutMs: 5_000, breakerFailures: 3, breakerCooldownMs: 60_000, isEnabled: true, apiKey: "" }),
  },
  "app/admin/providers/set-provider-enabled-action.ts#setProviderEnabledAction": { prepare: async (w) => ({ providerId: (await providerOfCatalogue(w)).id, isEnabled: false }) },
  "app/admin/providers/test-connection-action.ts#testConnectionAction": { prepare: async (w) => ({ providerId: w.catalog.providerId }) },
  "app/admin/providers/update-provider-action.ts#updateProviderAction": {
    prepare: async (w) => ({
      providerId: (await providerOfCatalogue(w)).id,
      name: `Renamed ${unique()}`,
      kind: "simulator",
      baseUrl: "",
      timeoutMs: 6_000,
      breakerFailures: 4,
      breakerCooldownMs: 61_000,
      isEnabled: true,
      apiKeyChange: "keep",
      apiKey: "",
    }),
  },

  "app/lender/alerts/acknowledge-action.ts#acknowledgeAlertsAction": { prepare: async (w, cast) => ({ alertIds: [(await openAlertOfX(w, cast)).id] }) },
  "app/lender/loans/[loanId]/check-enforcement-action.ts#checkEnforcementAction": { prepare: async (w, cast) => ({ loanId: (await loanOfA(w, cast)).id }) },
  "app/lender/loans/[loanId]/freeze-action.ts#freezeLoanAction": { prepare: async (w, cast) => ({ loanId: (await loanOfA(w, cast)).id, mode: "FULL", reason: "Margin call unanswered." }) },
  "app/lender/loans/[loanId]/liquidate-action.ts#liquidateLoanAction": {
    prepare: async (w, cast) => ({ loanId: (await frozenLoanOfA(w, cast)).id, scope: "FULL", reason: "Default: the lender liquidates." }),
  },
  "app/lender/loans/[loanId]/unfreeze-action.ts#unfreezeLoanAction": { prepare: async (w, cast) => ({ loanId: (await frozenLoanOfA(w, cast)).id, mode: "FULL", reason: "Cured." }) },
  // A fresh cast: the allowed calls add endpoints, and an organisation may have 16 (the other webhook targets add theirs to X).
  "app/lender/settings/add-endpoint-action.ts#createWebhookEndpointAction": { freshCast: {}, prepare: async (w) => ({ url: w.receiverUrl(`/new/${unique()}`), events: "*" }) },
  "app/lender/settings/create-token-action.ts#createLenderApiTokenAction": { prepare: async () => ({ name: `desk ${unique()}` }) },
  "app/lender/settings/delete-endpoint-action.ts#deleteWebhookEndpointAction": { prepare: async (w, cast) => ({ endpointId: (await endpointOfX(w, cast)).id }) },
  "app/lender/settings/revoke-token-action.ts#revokeLenderApiTokenAction": {
    prepare: async (w, cast) => ({ tokenId: (await createLenderApiToken(w.db, { orgId: cast.lenderX.orgId, name: `t ${unique()}`, createdById: cast.lenderX.userId })).token.id }),
  },
  "app/lender/settings/rotate-secret-action.ts#rotateWebhookSecretAction": { prepare: async (w, cast) => ({ endpointId: (await endpointOfX(w, cast)).id }) },
  "app/lender/settings/send-test-event-action.ts#sendTestWebhookAction": { prepare: async (w, cast) => ({ endpointId: (await endpointOfX(w, cast)).id }) },
  "app/lender/settings/set-endpoint-enabled-action.ts#setWebhookEndpointEnabledAction": { prepare: async (w, cast) => ({ endpointId: (await endpointOfX(w, cast)).id, isEnabled: false }) },
  "app/lender/settings/set-payment-instructions-action.ts#setPaymentInstructionsAction": { prepare: async () => ({ instructions: `Wire to IBAN GB00 AUTHZ ${unique()}` }) },
  "app/lender/settings/webhooks/[endpointId]/resend-delivery-action.ts#resendWebhookDeliveryAction": { prepare: async (w, cast) => ({ deliveryId: (await deliveryOfX(w, cast)).id }) },

  "app/startup/financing/[loanId]/declare-payment-action.ts#declarePaymentAction": {
    prepare: async (w, cast) => ({ loanId: (await loanOfA(w, cast)).id, amountUsd: "100", sentOn: today(), reference: `WIRE-${unique()}` }),
  },
  "app/startup/financing/[loanId]/pledge-action.ts#pledgeAction": { prepare: async (w, cast) => ({ loanId: (await loanOfA(w, cast)).id, amountUsd: "1" }) },
  "app/startup/financing/[loanId]/request-purchase-action.ts#requestPurchaseAction": { prepare: async () => ({ amountUsd: "1,000", reference: `PO-${unique()}` }) },
  "app/startup/financing/[loanId]/withdraw-notice-action.ts#withdrawNoticeAction": { prepare: async (w, cast) => ({ noticeId: (await pendingNoticeOfA(w, cast)).id }) },
  "app/startup/financing/[loanId]/withdraw-purchase-action.ts#withdrawPurchaseAction": { prepare: async (w, cast) => ({ purchaseId: (await pendingPurchaseOfA(w, cast)).id }) },
  "app/startup/financing/apply-action.ts#applyAction": {
    freshCast: {},
    prepare: async () => ({ principalMicros: "10000000000", multiplierBps: 13_000, termMonths: 12, pledgedMicros: "5000000000", purpose: "GPU inference for the launch." }),
  },
  "app/startup/financing/withdraw-action.ts#withdrawApplicationAction": { prepare: async (w, cast) => ({ loanId: (await applicationOfA(w, cast)).id }) },
  "app/startup/keys/create-key-action.ts#createKeyAction": { prepare: async () => ({ name: `key ${unique()}`, spendCapUsd: "100", rpmLimit: "60" }) },
  "app/startup/keys/revoke-key-action.ts#revokeKeyAction": {
    prepare: async (w, cast) => ({ apiKeyId: (await createApiKey(w.db, { orgId: cast.startupA.orgId, createdById: cast.startupA.userId, name: `k ${unique()}` })).apiKey.id }),
  },
  "app/startup/mark-notifications-read-action.ts#markNotificationsReadAction": { prepare: async (w, cast) => ({ ids: [(await notificationOfA(w, cast)).id] }) },
};

async function providerOfCatalogue(w: World) {
  return w.db.provider.create({ data: { slug: catalogueSlug(), name: "Fixture provider", kind: "simulator", configJson: "{}" } });
}

async function routeOfCatalogue(w: World) {
  const model = await w.db.model.create({ data: { slug: catalogueSlug(), displayName: "Fixture model", kind: "chat", routingPolicy: "PRIORITY", contextWindow: 8_000 } });
  return w.db.modelRoute.create({ data: { modelId: model.id, providerId: w.catalog.providerId, upstreamModel: "sim-upstream", priority: 0, inputPriceMicrosPerMTokens: 150_000n, outputPriceMicrosPerMTokens: 600_000n } });
}

// ───────────────────────────── Route handlers ─────────────────────────────

export type RouteRequest = {
  /** Dynamic segments of the file's path ([loanId], [...id]). */
  params?: Record<string, string | string[]>;
  /** The path for a Pages API catch-all ("/api/v1/…"); otherwise derived from the file. */
  path?: string;
  query?: string;
  body?: unknown;
  /** The method of a Pages API route ("ANY" in the manifest). */
  method?: string;
};

export type RouteTarget = { prepare: (w: World, cast: Cast) => Promise<RouteRequest> };

const get = (request: RouteRequest = {}): RouteTarget => ({ prepare: async () => request });

const lenderLoan = (suffix: "" | "freeze" | "unfreeze" | "liquidate", body?: unknown): RouteTarget => ({
  prepare: async (w, cast) => {
    const loan = suffix === "unfreeze" || suffix === "liquidate" ? await frozenLoanOfA(w, cast) : await loanOfA(w, cast);
    return { params: { loanId: loan.id }, ...(body ? { body } : {}) };
  },
});

const storedResponse: RouteTarget = { prepare: async (w) => ({ params: { id: await w.storedResponseOfA() } }) };

/** The public entries (preflights, 405s) answer the same whoever asks; a stored response's id fills [id]. */
export function routeTarget(key: string): RouteTarget | undefined {
  if (ROUTE_TARGETS[key]) return ROUTE_TARGETS[key];
  const [method, file] = [key.slice(0, key.indexOf(" ")), key.slice(key.indexOf(" ") + 1)];
  if (!/^(OPTIONS|POST|PUT|PATCH|DELETE|GET|HEAD)$/.test(method) || !file.startsWith("app/api/v1/")) return undefined;
  if (file.includes("[id]")) return storedResponse;
  if (file.includes("[...id]")) return get({ params: { id: ["authz", "chat"] } });
  return get();
}

export const ROUTE_TARGETS: Record<string, RouteTarget> = {
  "GET app/admin/loans/export/route.ts": get(),
  "GET app/api/admin/audit/export/route.ts": get(),
  "GET app/api/admin/jobs/[jobId]/route.ts": {
    prepare: async (w, cast) => ({ params: { jobId: (await enqueueJob(w.db, { kind: "ledger.health", input: {}, requestedById: cast.admin.userId } as Parameters<typeof enqueueJob>[1])).id } }),
  },
  "GET app/api/admin/queue/route.ts": get(),
  "GET app/api/lender/alerts/route.ts": get({ query: "view=all" }),
  "GET app/api/lender/alerts/summary/route.ts": get(),
  "GET app/api/lender/portfolio/export/route.ts": get(),
  "GET app/api/lender/v1/alerts/route.ts": get(),
  "GET app/api/lender/v1/loans/route.ts": get(),
  "GET app/api/lender/v1/loans/[loanId]/route.ts": lenderLoan(""),
  "POST app/api/lender/v1/loans/[loanId]/freeze/route.ts": lenderLoan("freeze", { mode: "FULL", reason: "Margin call unanswered." }),
  "POST app/api/lender/v1/loans/[loanId]/unfreeze/route.ts": lenderLoan("unfreeze", { mode: "FULL", reason: "Cured." }),
  "POST app/api/lender/v1/loans/[loanId]/liquidate/route.ts": lenderLoan("liquidate", { scope: "FULL", reason: "Default." }),
  "GET app/api/startup/credits/route.ts": get(),
  "GET app/api/startup/live/route.ts": get(),
  "GET app/api/startup/notifications/route.ts": get(),
  "GET app/api/startup/usage/export/route.ts": get(),
  "GET app/api/v1/account/credits/route.ts": get(),
  "GET app/api/v1/account/usage/route.ts": get(),
  "POST app/api/v1/index/fixes/route.ts": { prepare: async () => ({ body: { fixes: [{ day: oldDay(), priceMicrosPerGpuHour: "2100000" }] } }) },
  "GET app/api/v1/models/route.ts": get(),
  "GET app/api/v1/models/[...id]/route.ts": { prepare: async (w) => ({ params: { id: w.catalog.chatModel.split("/") } }) },
  "GET app/api/v1/responses/[id]/route.ts": storedResponse,
  "DELETE app/api/v1/responses/[id]/route.ts": storedResponse,
  "GET app/api/v1/responses/[id]/input_items/route.ts": storedResponse,
  "ANY pages/api/v1/[[...path]].ts": get({ path: "/api/v1/no-such-endpoint", method: "POST", body: { model: "x" } }),
  "ANY pages/api/v1/chat/completions.ts": {
    prepare: async (w) => ({ method: "POST", body: { model: w.catalog.chatModel, messages: [{ role: "user", content: "Say hi." }], max_tokens: 8 } }),
  },
  "ANY pages/api/v1/embeddings.ts": { prepare: async (w) => ({ method: "POST", body: { model: w.catalog.embeddingModel, input: "hello" } }) },
  "ANY pages/api/v1/responses.ts": {
    prepare: async (w) => ({ method: "POST", body: { model: w.catalog.chatModel, input: "And then?", previous_response_id: await w.storedResponseOfA(), max_output_tokens: 16 } }),
  },
};

/** Route entries the matrix does not call here, and where they are tested instead. */
export const ROUTES_TESTED_ELSEWHERE: Record<string, string> = {
  "GET app/api/auth/[...nextauth]/route.ts": "next-auth's own handler (this file stubs next-auth): e2e/auth-sessions.spec.ts and lib/server/auth/sessions.db.test.ts",
  "POST app/api/auth/[...nextauth]/route.ts": "next-auth's own handler (this file stubs next-auth): e2e/auth-sessions.spec.ts and lib/server/auth/sign-in-throttle.db.test.ts",
};

// ───────────────────────────── Pages ─────────────────────────────

export type PageTarget = { prepare: (w: World, cast: Cast) => Promise<{ params?: Record<string, string>; searchParams?: Record<string, string> }> };

export const PAGE_TARGETS: Record<string, PageTarget> = {
  "app/admin/applications/[loanId]/page.tsx": { prepare: async (w, cast) => ({ params: { loanId: (await applicationOfA(w, cast)).id } }) },
  "app/admin/loans/[loanId]/page.tsx": { prepare: async (w, cast) => ({ params: { loanId: (await loanOfA(w, cast)).id } }) },
  "app/admin/organizations/[orgId]/page.tsx": { prepare: async (w, cast) => ({ params: { orgId: cast.startupA.orgId } }) },
  "app/lender/loans/[loanId]/page.tsx": { prepare: async (w, cast) => ({ params: { loanId: (await loanOfA(w, cast)).id } }) },
  "app/lender/settings/webhooks/[endpointId]/page.tsx": { prepare: async (w, cast) => ({ params: { endpointId: (await endpointOfX(w, cast)).id } }) },
  "app/startup/financing/[loanId]/page.tsx": { prepare: async (w, cast) => ({ params: { loanId: (await loanOfA(w, cast)).id } }) },
};

export { openAlertOfX, endpointOfX, notificationOfA, pendingNoticeOfA, pendingPurchaseOfA, deliveryOfX };
