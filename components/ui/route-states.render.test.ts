// A route's error, loading and not-found states as the server renders them: the page keeps its
// heading, the failure shows the server's reference but never the error's own message, Retry is
// there by that name, and a skeleton gives one status line (and a real h1 when it has one).
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, test, vi } from "vitest";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: vi.fn() }) }));
vi.mock("next/link", () => ({ default: ({ href, children, ...props }: { href: string; children?: ReactNode }) => createElement("a", { href, ...props }, children) }));

const { RouteError } = await import("./route-error");
const { PageSkeleton, PageHeaderSkeleton, RouteNotFound, StatCardsSkeleton, TableSkeleton } = await import("./route-states");

const text = (html: string) => html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
const failure = Object.assign(new Error("connect ECONNREFUSED 10.0.0.7:5432 password=hunter2"), { digest: "4021337" });

describe("RouteError", () => {
  test.each([
    ["a page that only reads", "nothing-changed" as const, failure, "Nothing was changed. Reference: 4021337"],
    ["a page that only reads, no digest", "nothing-changed" as const, new Error("boom"), "Nothing was changed."],
    ["a detail page", "try-again" as const, failure, "Try again in a moment. (Reference 4021337)"],
    ["a detail page, a thrown string", "try-again" as const, "boom", "Try again in a moment."],
  ])("%s: heading, title, reassurance, Retry", (_label, hint, error, message) => {
    const html = renderToString(createElement(RouteError, { error, reset: vi.fn(), heading: "Audit log", title: "The audit log could not be loaded", hint }));
    expect(html).toMatch(/<h1[^>]*>Audit log<\/h1>/);
    expect(html).toContain('role="alert"');
    expect(text(html)).toContain(`The audit log could not be loaded ${message} Retry`);
    expect(html).not.toContain("ECONNREFUSED");
    expect(html).not.toContain("hunter2");
  });

  test("a back link when the page has one", () => {
    const html = renderToString(createElement(RouteError, { error: failure, reset: vi.fn(), heading: "This loan could not be loaded", title: "Something went wrong while loading the loan", back: { href: "/lender", label: "Back to portfolio" } }));
    expect(html).toMatch(/<a href="\/lender"[^>]*>Back to portfolio<\/a>/);
  });
});

describe("loading and not-found pieces", () => {
  test("PageSkeleton: busy, one status line, a hidden heading when given", () => {
    const html = renderToString(createElement(PageSkeleton, { label: "Loading the loan…", heading: "Loan" }, createElement(StatCardsSkeleton, { count: 3 }), createElement(TableSkeleton, { rows: 2, toolbar: "w-96" })));
    expect(html).toContain('aria-busy="true"');
    expect(html).toMatch(/<h1 class="sr-only">Loan<\/h1>/);
    expect(html.match(/role="status"/g)).toHaveLength(1);
    expect(text(html)).toBe("Loan Loading the loan…");
    expect(html.match(/data-slot="skeleton"/g)).toHaveLength(3 + 1 + 2);
  });

  test("PageHeaderSkeleton with a title renders the real heading", () => {
    const html = renderToString(createElement(PageHeaderSkeleton, { title: "Loans" }));
    expect(html).toMatch(/<h1[^>]*>Loans<\/h1>/);
  });

  test("RouteNotFound: 404, what is missing, the way back", () => {
    const html = renderToString(createElement(RouteNotFound, { title: "Loan not found", message: "There is no loan with this id on the platform.", href: "/admin/loans", linkLabel: "Back to loans" }));
    expect(text(html)).toBe("404 Loan not found There is no loan with this id on the platform. Back to loans");
    expect(html).toMatch(/<h1[^>]*>Loan not found<\/h1>/);
    expect(html).toContain('href="/admin/loans"');
  });
});
