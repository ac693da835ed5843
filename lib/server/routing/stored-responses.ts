import "@/lib/server/server-only";
import { z } from "zod";
import {
  storedConversation,
  storedResponseOfItemId,
  type ConversationItem,
  type InputItemDraft,
  type ResponseObject,
  type StoredContext,
} from "@/lib/domain/routing/responses-api";
import { inputItemsOf, pageOfItems, responseRetentionMsFromEnv, STORED_CONVERSATION_MAX_BYTES } from "@/lib/domain/routing/stored-responses";
import type { Db } from "@/lib/server/db/client";
import { providerOfDb, queryPgStatement, run, runProgram } from "@/lib/server/db/sql-program";
import { processWide } from "@/lib/server/process-wide";
import { authenticateRequest, errorToResponse, parseWith } from "./edge";
import { OpenAiError } from "./openai-errors";
import { newRequestId } from "./reply";

/**
 * Stored Responses (the StoredResponse table), as OpenAI keeps them with `store` on (its default):
 * saved after the reply is out, read back for `previous_response_id` and `item_reference`, served
 * by GET/DELETE /api/v1/responses/{id} and …/input_items, purged when they expire. Every read
 * carries the caller's organisation in its `where`: another organisation's id is "not found".
 */

const retention = processWide("responseRetention", () => ({ ms: null as number | null }));

/** BLOCKABLE_RESPONSE_RETENTION_DAYS (30 days), read once per process. */
export function responseRetentionMs(): number {
  retention.ms ??= responseRetentionMsFromEnv(process.env);
  return retention.ms;
}

// ───────────────────────────── Saving ─────────────────────────────

/**
 * Saves not yet committed, by response id. A client continues a conversation as soon as it has
 * the reply (the AI SDK's next step, a chat's next turn), which can be before the save that runs
 * after the reply has committed: a continuation naming one waits for it (same instance; bounded).
 */
const pendingSaves = processWide("pendingResponseSaves", () => new Map<string, Promise<void>>());
const PENDING_SAVE_WAIT_MS = 5_000;

export type ResponseToStore = { requestId: string; response: ResponseObject; conversationInput: readonly InputItemDraft[] };

// One statement, its organisation and key read from the request's hold: the hold is the
// request's record of who pays, written before the upstream call, so the hot path needs no extra
// read and the dialect, which never sees the caller, needs none either. On SQLite it joins the
// settlements' group commit; on PostgreSQL it is one prepared round trip.
const INSERT_FROM_HOLD_SQL = `INSERT INTO "StoredResponse" ("id", "orgId", "apiKeyId", "conversationJson", "responseJson", "createdAt", "expiresAt")
  SELECT ?, h."orgId", h."apiKeyId", ?, ?, ?, ? FROM "Hold" h WHERE h."requestId" = ? AND h."apiKeyId" IS NOT NULL`;
const PG_INSERT_FROM_HOLD = {
  name: "blockable_stored_response_insert_v1",
  sql: `INSERT INTO "StoredResponse" ("id", "orgId", "apiKeyId", "conversationJson", "responseJson", "createdAt", "expiresAt")
  SELECT $1::text, h."orgId", h."apiKeyId", $2::text, $3::text, $4::timestamp(3), $5::timestamp(3) FROM "Hold" h WHERE h."requestId" = $6::text AND h."apiKeyId" IS NOT NULL
  RETURNING "id"`,
};

/** Saves a finished response and its conversation; false when it was not stored (too large, or no hold names its payer). */
export async function storeResponse(db: Db, toStore: ResponseToStore, now: Date): Promise<boolean> {
  const { requestId, response } = toStore;
  const conversationJson = JSON.stringify(storedConversation(toStore.conversationInput, requestId, response.output));
  if (conversationJson.length > STORED_CONVERSATION_MAX_BYTES || Buffer.byteLength(conversationJson) > STORED_CONVERSATION_MAX_BYTES) {
    console.warn(`[${requestId}] response ${response.id} not stored: its conversation is over ${STORED_CONVERSATION_MAX_BYTES / 1024 / 1024} MiB`);
    return false;
  }
  const params = [response.id, conversationJson, JSON.stringify(response), now, new Date(now.getTime() + responseRetentionMs()), requestId];
  const stored = providerOfDb(db) === "postgresql" ? (await queryPgStatement(db, PG_INSERT_FROM_HOLD, params))!.length : await runProgram(db, run(INSERT_FROM_HOLD_SQL, params));
  if (stored === 0) console.error(`[${requestId}] response ${response.id} not stored: the request has no hold with an API key`);
  return stored > 0;
}

/**
 * Stores a response once its reply is out, never failing the request: `defer` (the route's
 * after-response hook, which shutdown waits for) runs the save after the response is sent; without
 * it the save starts on the next turn of the event loop.
 */
export function storeAfterReply(db: Db, toStore: ResponseToStore, defer?: (task: () => Promise<unknown>) => void): void {
  const id = toStore.response.id;
  let finish!: () => void;
  pendingSaves.set(id, new Promise<void>((resolve) => (finish = resolve)));
  const task = () =>
    storeResponse(db, toStore, new Date())
      .catch((error: unknown) => void console.error(`[${toStore.requestId}] storing response ${id} failed`, error))
      .finally(() => {
        pendingSaves.delete(id);
        finish();
      });
  if (defer) defer(task);
  else setImmediate(() => void task());
}

async function waitForPendingSaves(responseIds: Iterable<string>): Promise<void> {
  const waits = [...responseIds].flatMap((id) => pendingSaves.get(id) ?? []);
  if (waits.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(waits), new Promise((resolve) => (timer = setTimeout(resolve, PENDING_SAVE_WAIT_MS)))]);
  clearTimeout(timer);
}

// ───────────────────────────── Reading ─────────────────────────────

/** Ids per query: far below SQLite's and PostgreSQL's bound-parameter limits. */
const IDS_PER_QUERY = 500;

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += IDS_PER_QUERY) out.push(values.slice(i, i + IDS_PER_QUERY));
  return out;
}

const liveOf = (orgId: string, now: Date) => ({ orgId, expiresAt: { gt: now } });

/**
 * What a request refers to, of `orgId`'s unexpired stored responses: the conversation of
 * `previousResponseId` and the items `itemIds` name. An item id is found by its response's primary
 * key (item ids name their response); output items are read from the (small) Response, input items
 * from the conversation. Whatever is not found is left out: parsing the request answers 404.
 */
export async function loadStoredContext(db: Db, orgId: string, refs: { previousResponseId: string | null; itemIds: readonly string[] }, now: Date): Promise<StoredContext> {
  const byOutput = new Set<string>();
  const byConversation = new Set<string>();
  if (refs.previousResponseId !== null) byConversation.add(refs.previousResponseId);
  for (const itemId of refs.itemIds) {
    const owner = storedResponseOfItemId(itemId);
    if (owner) (owner.isOutput ? byOutput : byConversation).add(owner.responseId);
  }
  await waitForPendingSaves([...byOutput, ...byConversation]);

  const conversations = new Map<string, ConversationItem[]>();
  const outputs = new Map<string, ConversationItem[]>();
  for (const ids of chunks([...byConversation])) {
    const rows = await db.storedResponse.findMany({ where: { id: { in: ids }, ...liveOf(orgId, now) }, select: { id: true, conversationJson: true } });
    for (const row of rows) conversations.set(row.id, JSON.parse(row.conversationJson) as ConversationItem[]);
  }
  for (const ids of chunks([...byOutput])) {
    const rows = await db.storedResponse.findMany({ where: { id: { in: ids }, ...liveOf(orgId, now) }, select: { id: true, responseJson: true } });
    for (const row of rows) outputs.set(row.id, (JSON.parse(row.responseJson) as { output: ConversationItem[] }).output);
  }

  const items = new Map<string, ConversationItem>();
  for (const itemId of refs.itemIds) {
    const owner = storedResponseOfItemId(itemId);
    const found = owner && (owner.isOutput ? outputs : conversations).get(owner.responseId)?.find((item) => item.id === itemId);
    if (found) items.set(itemId, found);
  }
  return { previousConversation: refs.previousResponseId === null ? null : (conversations.get(refs.previousResponseId) ?? null), items };
}

/** Removes expired stored responses (the background sweeper); returns how many. */
export async function deleteExpiredStoredResponses(db: Db, now: Date): Promise<number> {
  const { count } = await db.storedResponse.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}

// ───────────────────────────── GET, DELETE, input_items ─────────────────────────────

const responseNotFound = (responseId: string) => new OpenAiError(404, "not_found", `Response with id '${responseId}' not found.`, "response_id");

const jsonHeaders = (requestId: string) => ({ "content-type": "application/json", "x-request-id": requestId, "cache-control": "no-store" });

/** GET /api/v1/responses/{id}: the Response object as it was returned. */
export async function handleGetResponse(db: Db, request: Request, responseId: string): Promise<Response> {
  const requestId = newRequestId();
  try {
    const now = new Date();
    const caller = await authenticateRequest(db, request, now);
    if (new URL(request.url).searchParams.get("stream") === "true") {
      throw new OpenAiError(400, "unsupported_parameter", "stream: a stored response cannot be replayed as events; GET it without stream.", "stream");
    }
    const row = await db.storedResponse.findFirst({ where: { id: responseId, ...liveOf(caller.orgId, now) }, select: { responseJson: true } });
    if (!row) throw responseNotFound(responseId);
    // Sent as stored: the exact JSON the client got, without a parse and a re-serialisation.
    return new Response(row.responseJson, { headers: jsonHeaders(requestId) });
  } catch (error) {
    return errorToResponse(error, requestId);
  }
}

/** DELETE /api/v1/responses/{id}: gone for GET, previous_response_id and item_reference alike. */
export async function handleDeleteResponse(db: Db, request: Request, responseId: string): Promise<Response> {
  const requestId = newRequestId();
  try {
    const now = new Date();
    const caller = await authenticateRequest(db, request, now);
    const { count } = await db.storedResponse.deleteMany({ where: { id: responseId, ...liveOf(caller.orgId, now) } });
    if (count === 0) throw responseNotFound(responseId);
    return Response.json({ id: responseId, object: "response.deleted", deleted: true }, { headers: jsonHeaders(requestId) });
  } catch (error) {
    return errorToResponse(error, requestId);
  }
}

const inputItemsQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d+$/, "limit must be a whole number from 1 to 100")
    .transform(Number)
    .pipe(z.number().int().min(1, "limit must be a whole number from 1 to 100").max(100, "limit must be a whole number from 1 to 100"))
    .default(20),
  order: z.enum(["asc", "desc"], "order must be asc or desc").default("desc"),
  after: z.string().min(1).nullable().default(null),
});

/**
 * GET /api/v1/responses/{id}/input_items: every item that led to the response (earlier turns of a
 * previous_response_id chain included, as at OpenAI), newest first unless `order=asc`, paged by
 * `after` and `limit`. `include` is accepted: stored items already hold all they have.
 */
export async function handleListInputItems(db: Db, request: Request, responseId: string): Promise<Response> {
  const requestId = newRequestId();
  try {
    const now = new Date();
    const caller = await authenticateRequest(db, request, now);
    const params = new URL(request.url).searchParams;
    const query = parseWith(inputItemsQuerySchema, { limit: params.get("limit") ?? undefined, order: params.get("order") ?? undefined, after: params.get("after") ?? undefined });
    const row = await db.storedResponse.findFirst({ where: { id: responseId, ...liveOf(caller.orgId, now) }, select: { conversationJson: true, responseJson: true } });
    if (!row) throw responseNotFound(responseId);
    const outputCount = (JSON.parse(row.responseJson) as { output: unknown[] }).output.length;
    const page = pageOfItems(inputItemsOf(JSON.parse(row.conversationJson) as ConversationItem[], outputCount), query);
    if (!page) throw new OpenAiError(400, "invalid_request", `after: no input item of this response has the id '${query.after}'.`, "after");
    return Response.json(page, { headers: jsonHeaders(requestId) });
  } catch (error) {
    return errorToResponse(error, requestId);
  }
}
