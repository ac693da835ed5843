import { describe, expect, it } from "vitest";
import { DEFAULT_PLATFORM_LOANS_VIEW, parsePlatformLoansView, platformLoansViewQuery, type PlatformLoansView } from "./loans-view";

describe("the admin loans view in the URL", () => {
  it.each([
    ["no query", {}, DEFAULT_PLATFORM_LOANS_VIEW],
    ["submitted applications of one lender", { state: "SUBMITTED", lender: "org_1" }, { ...DEFAULT_PLATFORM_LOANS_VIEW, state: "SUBMITTED", lender: "org_1" }],
    ["by lender, Z to A, page 3 of 50", { sort: "lender", dir: "desc", page: "3", size: "50" }, { ...DEFAULT_PLATFORM_LOANS_VIEW, sort: "lender", dir: "desc", page: 3, size: 50 }],
    ["an unknown state, sort and size", { state: "LOST", sort: "mood", size: "7", page: "-1" }, DEFAULT_PLATFORM_LOANS_VIEW],
    ["a lender id too long to be one", { lender: "x".repeat(65) }, DEFAULT_PLATFORM_LOANS_VIEW],
    ["a search with spaces around it", { q: "  kestrel " }, { ...DEFAULT_PLATFORM_LOANS_VIEW, q: "kestrel" }],
  ])("%s", (_label, params, expected) => {
    expect(parsePlatformLoansView(params)).toEqual(expected);
  });

  it("writes only what differs from the default, and reads back the same view", () => {
    expect(platformLoansViewQuery(DEFAULT_PLATFORM_LOANS_VIEW)).toBe("");
    const view: PlatformLoansView = { state: "REPAID", lender: "org_2", q: "acme", sort: "debt", dir: "desc", page: 2, size: 10 };
    const query = platformLoansViewQuery(view);
    expect(parsePlatformLoansView(Object.fromEntries(new URLSearchParams(query)))).toEqual(view);
    expect(platformLoansViewQuery(view, ["state", "lender", "q", "sort", "dir"])).toBe("state=REPAID&lender=org_2&q=acme&sort=debt&dir=desc");
  });
});
