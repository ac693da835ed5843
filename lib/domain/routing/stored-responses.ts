// How stored Responses are kept and listed: retention, the size cap, and the pages of
// GET /api/v1/responses/{id}/input_items. Pure: the environment and items come in as arguments.
import type { ConversationItem } from "./responses-api";

/** OpenAI keeps stored responses 30 days; so does Blockable unless BLOCKABLE_RESPONSE_RETENTION_DAYS says otherwise. */
export const DEFAULT_RESPONSE_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60_000;

/**
 * A conversation larger than this is not stored (the reply still goes out). A chain of
 * previous_response_id turns grows without the request body's 2 MiB cap, and every continuation
 * reads and parses the whole conversation again.
 */
export const STORED_CONVERSATION_MAX_BYTES = 16 * 1024 * 1024;

/** BLOCKABLE_RESPONSE_RETENTION_DAYS (30) in ms; a malformed value is an error naming it. */
export function responseRetentionMsFromEnv(env: Record<string, string | undefined>): number {
  const text = env.BLOCKABLE_RESPONSE_RETENTION_DAYS?.trim();
  if (!text) return DEFAULT_RESPONSE_RETENTION_DAYS * DAY_MS;
  const days = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(days) || days < 1 || days > 3650) {
    throw new Error(`BLOCKABLE_RESPONSE_RETENTION_DAYS must be a whole number of days from 1 to 3650, not "${env.BLOCKABLE_RESPONSE_RETENTION_DAYS}"`);
  }
  return days * DAY_MS;
}

/** A stored conversation's input side: everything before the response's own output (earlier turns included, as at OpenAI). */
export function inputItemsOf(conversation: readonly ConversationItem[], outputCount: number): ConversationItem[] {
  return conversation.slice(0, Math.max(0, conversation.length - outputCount));
}

export type ItemsPageQuery = { after: string | null; limit: number; order: "asc" | "desc" };

export type ItemsPage = { object: "list"; data: ConversationItem[]; first_id: string | null; last_id: string | null; has_more: boolean };

/**
 * One page of items in OpenAI's list shape. `order` "desc" (OpenAI's default) starts with the
 * newest item; `after` is the id of the last item of the previous page. Null when `after` names no
 * item of the list.
 */
export function pageOfItems(items: readonly ConversationItem[], query: ItemsPageQuery): ItemsPage | null {
  const ordered = query.order === "asc" ? items : [...items].reverse();
  let start = 0;
  if (query.after !== null) {
    const index = ordered.findIndex((item) => item.id === query.after);
    if (index === -1) return null;
    start = index + 1;
  }
  const data = ordered.slice(start, start + query.limit);
  return { object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + data.length < ordered.length };
}
