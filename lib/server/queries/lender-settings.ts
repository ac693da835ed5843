import "@/lib/server/server-only";
import { OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import type { Db } from "@/lib/server/db/client";
import { listLenderApiTokens } from "@/lib/server/lender-api/tokens";
import { DEFAULT_DELIVERY_PAGE_SIZE, deliveryCountsByEndpoint, listDeliveries, type DeliveryStatus, type WebhookDeliveryView } from "@/lib/server/webhooks/deliveries";
import { listEndpoints, type WebhookEndpointView } from "@/lib/server/webhooks/endpoints";

// What the lender's Settings screens read: API tokens, webhook endpoints with their delivery
// counts, facilities with what is deployed on them, and one endpoint's delivery log. Every read
// takes the lender's organisation and puts it in the `where`, so another lender's endpoint reads as
// not found. Money leaves as strings of µUSD, times as ISO strings; no secret or token hash ever
// leaves (the services never read them back).

export type LenderApiTokenDto = {
  id: string;
  name: string;
  /** The first characters of the token, e.g. `lk-bl-Ab3xQ9`: enough to recognise it, never to use it. */
  prefix: string;
  createdAt: string;
  createdBy: { name: string; email: string } | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export type WebhookEndpointDto = {
  id: string;
  url: string;
  /** "*" = every event, including types added later. */
  events: string[] | "*";
  isEnabled: boolean;
  createdAt: string;
  deliveries: { pending: number; delivered: number; failed: number; lastCreatedAt: string | null };
};

export type FacilityDto = {
  id: string;
  name: string;
  limitMicros: string;
  /** Principal outstanding on the facility's open loans (ACTIVE, MARGIN_CALL, DELINQUENT, FROZEN). */
  deployedMicros: string;
  /** limit − deployed; negative when the limit was lowered below what is already lent. */
  availableMicros: string;
  openLoanCount: number;
  defaultAprBps: number;
};

export type LenderSettingsDto = { tokens: LenderApiTokenDto[]; endpoints: WebhookEndpointDto[]; facilities: FacilityDto[] };

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export async function listLenderApiTokenRows(db: Db, orgId: string): Promise<LenderApiTokenDto[]> {
  const tokens = await listLenderApiTokens(db, orgId);
  const creatorIds = [...new Set(tokens.map((token) => token.createdById).filter((id): id is string => id !== null))];
  const creators = creatorIds.length ? await db.user.findMany({ where: { id: { in: creatorIds }, orgId }, select: { id: true, name: true, email: true } }) : [];
  const byId = new Map(creators.map((user) => [user.id, { name: user.name, email: user.email }]));
  return tokens.map((token) => ({
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    createdAt: token.createdAt.toISOString(),
    createdBy: token.createdById ? (byId.get(token.createdById) ?? null) : null,
    lastUsedAt: iso(token.lastUsedAt),
    revokedAt: iso(token.revokedAt),
  }));
}

function toEndpointDto(endpoint: WebhookEndpointView, counts: { PENDING: number; DELIVERED: number; FAILED: number; lastCreatedAt: Date | null } | undefined): WebhookEndpointDto {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events === "*" ? "*" : [...endpoint.events],
    isEnabled: endpoint.isEnabled,
    createdAt: endpoint.createdAt.toISOString(),
    deliveries: { pending: counts?.PENDING ?? 0, delivered: counts?.DELIVERED ?? 0, failed: counts?.FAILED ?? 0, lastCreatedAt: iso(counts?.lastCreatedAt ?? null) },
  };
}

export async function listWebhookEndpointRows(db: Db, orgId: string): Promise<WebhookEndpointDto[]> {
  const [endpoints, counts] = await Promise.all([listEndpoints(db, orgId), deliveryCountsByEndpoint(db, orgId)]);
  return endpoints.map((endpoint) => toEndpointDto(endpoint, counts.get(endpoint.id)));
}

/** The lender's facilities, oldest first, with deployed = Σ principal outstanding of their open loans. */
export async function listFacilityRows(db: Db, orgId: string): Promise<FacilityDto[]> {
  const facilities = await db.lenderFacility.findMany({ where: { lenderOrgId: orgId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  if (facilities.length === 0) return [];
  const sums = await db.loan.groupBy({
    by: ["facilityId"],
    where: { lenderOrgId: orgId, facilityId: { in: facilities.map((facility) => facility.id) }, state: { in: [...OPEN_LOAN_STATES] } },
    _sum: { principalOutstandingMicros: true },
    _count: { _all: true },
  });
  const byFacility = new Map(sums.map((row) => [row.facilityId, row]));
  return facilities.map((facility) => {
    const row = byFacility.get(facility.id);
    const deployedMicros = row?._sum.principalOutstandingMicros ?? 0n;
    return {
      id: facility.id,
      name: facility.name,
      limitMicros: facility.limitMicros.toString(),
      deployedMicros: deployedMicros.toString(),
      availableMicros: (facility.limitMicros - deployedMicros).toString(),
      openLoanCount: row?._count._all ?? 0,
      defaultAprBps: facility.defaultAprBps,
    };
  });
}

export async function getLenderSettings(db: Db, orgId: string): Promise<LenderSettingsDto> {
  const [tokens, endpoints, facilities] = await Promise.all([listLenderApiTokenRows(db, orgId), listWebhookEndpointRows(db, orgId), listFacilityRows(db, orgId)]);
  return { tokens, endpoints, facilities };
}

// ───────────────────────────── one endpoint's delivery log ─────────────────────────────

export type WebhookDeliveryDto = {
  id: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** When a PENDING delivery is tried next; null once DELIVERED or FAILED. */
  nextAttemptAt: string | null;
};

export type DeliveryLogDto = {
  endpoint: WebhookEndpointDto;
  deliveries: WebhookDeliveryDto[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
};

export function toDeliveryDto(delivery: WebhookDeliveryView): WebhookDeliveryDto {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: iso(delivery.deliveredAt),
    nextAttemptAt: delivery.status === "PENDING" ? delivery.nextAttemptAt.toISOString() : null,
  };
}

/**
 * One page (1-based, newest first) of an endpoint's deliveries; a page past the end shows the last
 * one. Another organisation's endpoint (or none) is null: the page answers 404.
 */
export async function findEndpointDeliveryLog(db: Db, input: { orgId: string; endpointId: string; page: number; pageSize?: number }): Promise<DeliveryLogDto | null> {
  const endpoints = await listEndpoints(db, input.orgId);
  const endpoint = endpoints.find((candidate) => candidate.id === input.endpointId);
  if (!endpoint) return null;
  const pageSize = input.pageSize ?? DEFAULT_DELIVERY_PAGE_SIZE;
  const requested = Number.isSafeInteger(input.page) && input.page >= 1 ? input.page : 1;
  const [counts, first] = await Promise.all([
    deliveryCountsByEndpoint(db, input.orgId),
    listDeliveries(db, { orgId: input.orgId, endpointId: endpoint.id, page: requested, pageSize }),
  ]);
  const log = requested > first.pageCount ? await listDeliveries(db, { orgId: input.orgId, endpointId: endpoint.id, page: first.pageCount, pageSize }) : first;
  return {
    endpoint: toEndpointDto(endpoint, counts.get(endpoint.id)),
    deliveries: log.items.map(toDeliveryDto),
    total: log.total,
    page: log.page,
    pageSize: log.pageSize,
    pageCount: log.pageCount,
  };
}
