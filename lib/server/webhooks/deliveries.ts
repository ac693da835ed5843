import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { endpointNotFound } from "./endpoints";

// The delivery log of a lender's endpoints, newest first, scoped by organisation through the
// endpoint (a delivery has no orgId of its own).

export const DELIVERY_STATUSES = ["PENDING", "DELIVERED", "FAILED"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DEFAULT_DELIVERY_PAGE_SIZE = 25;
export const MAX_DELIVERY_PAGE_SIZE = 100;

export const DELIVERY_VIEW_SELECT = {
  id: true,
  endpointId: true,
  eventId: true,
  eventType: true,
  payload: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastStatusCode: true,
  lastError: true,
  deliveredAt: true,
  createdAt: true,
  endpoint: { select: { url: true } },
} as const;

export type WebhookDeliveryView = {
  id: string;
  endpointId: string;
  endpointUrl: string;
  eventId: string;
  eventType: string;
  /** The exact JSON body that was (or will be) signed and sent. */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  /** When a PENDING delivery is tried next; meaningless once DELIVERED or FAILED. */
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
};

type DeliveryRow = Omit<WebhookDeliveryView, "endpointUrl" | "status"> & { status: string; endpoint: { url: string } };

export function toDeliveryView({ endpoint, ...row }: DeliveryRow): WebhookDeliveryView {
  return { ...row, status: row.status as DeliveryStatus, endpointUrl: endpoint.url };
}

export type DeliveryPage = { items: WebhookDeliveryView[]; total: number; page: number; pageSize: number; pageCount: number };

/** `page` is 1-based. With an endpointId of another organisation (or none at all): 404. */
export async function listDeliveries(
  db: Db,
  input: { orgId: string; endpointId?: string | null; status?: DeliveryStatus | null; page?: number; pageSize?: number },
): Promise<DeliveryPage> {
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? DEFAULT_DELIVERY_PAGE_SIZE;
  if (!Number.isSafeInteger(page) || page < 1) throw new ApiError(400, "invalid_request", "page: must be a whole number from 1.", "page");
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_DELIVERY_PAGE_SIZE) {
    throw new ApiError(400, "invalid_request", `pageSize: must be a whole number from 1 to ${MAX_DELIVERY_PAGE_SIZE}.`, "pageSize");
  }
  if (input.endpointId) {
    const endpoint = await db.webhookEndpoint.findFirst({ where: { id: input.endpointId, orgId: input.orgId }, select: { id: true } });
    if (!endpoint) throw endpointNotFound();
  }
  const where = {
    endpoint: { orgId: input.orgId },
    ...(input.endpointId ? { endpointId: input.endpointId } : {}),
    ...(input.status ? { status: input.status } : {}),
  };
  const [total, rows] = await Promise.all([
    db.webhookDelivery.count({ where }),
    db.webhookDelivery.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize, select: DELIVERY_VIEW_SELECT }),
  ]);
  return { items: rows.map(toDeliveryView), total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

export type DeliveryCounts = Record<DeliveryStatus, number> & { lastCreatedAt: Date | null };

/** Per endpoint of `orgId`: how many deliveries are in each status, and when the latest was queued. */
export async function deliveryCountsByEndpoint(db: Db, orgId: string): Promise<Map<string, DeliveryCounts>> {
  const groups = await db.webhookDelivery.groupBy({
    by: ["endpointId", "status"],
    where: { endpoint: { orgId } },
    _count: { _all: true },
    _max: { createdAt: true },
  });
  const counts = new Map<string, DeliveryCounts>();
  for (const group of groups) {
    const entry = counts.get(group.endpointId) ?? { PENDING: 0, DELIVERED: 0, FAILED: 0, lastCreatedAt: null };
    if ((DELIVERY_STATUSES as readonly string[]).includes(group.status)) entry[group.status as DeliveryStatus] += group._count._all;
    const latest = group._max.createdAt;
    if (latest && (!entry.lastCreatedAt || latest > entry.lastCreatedAt)) entry.lastCreatedAt = latest;
    counts.set(group.endpointId, entry);
  }
  return counts;
}
