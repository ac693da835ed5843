import { describe, expect, it } from "vitest";
import type { ConversationItem } from "./responses-api";
import { inputItemsOf, pageOfItems, responseRetentionMsFromEnv, type ItemsPage, type ItemsPageQuery } from "./stored-responses";

const DAY_MS = 86_400_000;

describe("responseRetentionMsFromEnv: how long stored responses are kept", () => {
  it.each<[string, string | undefined, number]>([
    ["30 days when unset, as at OpenAI", undefined, 30 * DAY_MS],
    ["30 days when blank", "  ", 30 * DAY_MS],
    ["the days it is set to", "7", 7 * DAY_MS],
    ["one day at least", "1", DAY_MS],
  ])("%s", (_label, value, expectedMs) => {
    expect(responseRetentionMsFromEnv({ BLOCKABLE_RESPONSE_RETENTION_DAYS: value })).toBe(expectedMs);
  });

  it.each(["0", "-3", "1.5", "thirty", "99999"])("refuses %j, naming the variable", (value) => {
    expect(() => responseRetentionMsFromEnv({ BLOCKABLE_RESPONSE_RETENTION_DAYS: value })).toThrow(/BLOCKABLE_RESPONSE_RETENTION_DAYS/);
  });
});

const item = (id: string): ConversationItem => ({ id, type: "message", role: "user", content: [{ type: "input_text", text: id }], status: "completed" });
const ITEMS = ["a", "b", "c", "d", "e"].map(item);
const ids = (page: ReturnType<typeof pageOfItems>) => page?.data.map((entry) => entry.id);

describe("pageOfItems: GET …/input_items in OpenAI's list shape", () => {
  it.each<[string, ItemsPageQuery, string[] | undefined, Partial<NonNullable<ReturnType<typeof pageOfItems>>> | null]>([
    ["newest first by default (desc)", { after: null, limit: 20, order: "desc" }, ["e", "d", "c", "b", "a"], { first_id: "e", last_id: "a", has_more: false }],
    ["oldest first with asc", { after: null, limit: 20, order: "asc" }, ["a", "b", "c", "d", "e"], { first_id: "a", last_id: "e", has_more: false }],
    ["a first page of 2 has more", { after: null, limit: 2, order: "desc" }, ["e", "d"], { has_more: true }],
    ["after the last id of a page, the next page", { after: "d", limit: 2, order: "desc" }, ["c", "b"], { has_more: true }],
    ["the last page has no more", { after: "b", limit: 2, order: "desc" }, ["a"], { has_more: false }],
    ["after the last item, an empty page", { after: "e", limit: 2, order: "asc" }, [], { first_id: null, last_id: null, has_more: false }],
    ["after an id not in the list: null (a 400 naming after)", { after: "zz", limit: 2, order: "desc" }, undefined, null],
  ])("%s", (_label, query, expectedIds, expectedPage) => {
    const page = pageOfItems(ITEMS, query);
    expect(ids(page)).toEqual(expectedIds);
    if (expectedPage === null) expect(page).toBeNull();
    else expect(page).toMatchObject({ object: "list", ...expectedPage });
  });

  it("walking every page with after visits each item once", () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ItemsPage = pageOfItems(ITEMS, { after, limit: 2, order: "desc" })!;
      seen.push(...page.data.map((entry) => entry.id));
      if (!page.has_more) break;
      after = page.last_id;
    }
    expect(seen).toEqual(["e", "d", "c", "b", "a"]);
  });

  it("input items are the conversation without the response's own output", () => {
    expect(inputItemsOf(ITEMS, 2).map((entry) => entry.id)).toEqual(["a", "b", "c"]);
    expect(inputItemsOf(ITEMS, 0)).toHaveLength(5);
  });
});
