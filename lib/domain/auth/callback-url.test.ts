import { describe, expect, it } from "vitest";
import { MAX_CALLBACK_URL_LENGTH, resolveCallbackPath } from "./callback-url";

const SITE = "http://127.0.0.1:3000";

describe("resolveCallbackPath keeps paths on this site", () => {
  it.each([
    ["a page", "/startup/financing", "/startup/financing"],
    ["its query and fragment", "/startup/usage?from=2026-01-01&to=2026-01-31#models", "/startup/usage?from=2026-01-01&to=2026-01-31#models"],
    ["the root", "/", "/"],
    ["an absolute URL on this very origin, as its path", "http://127.0.0.1:3000/x?y=1", "/x?y=1"],
    ["this origin in another case", "HTTP://127.0.0.1:3000/admin", "/admin"],
    ["a percent-encoded character that stays a path", "/startup/keys/%20key", "/startup/keys/%20key"],
    ["dot segments that stay on this site", "/startup/../lender", "/lender"],
    ["spaces around it, which browsers trim", "  /admin  ", "/admin"],
    ["a scheme-relative-looking path one level down", "/startup//financing", "/startup//financing"],
  ])("%s: %j → %j", (_label, raw, expected) => {
    expect(resolveCallbackPath(raw, SITE)).toBe(expected);
  });
});

describe("resolveCallbackPath refuses anything that can leave the site", () => {
  it.each([
    ["a protocol-relative URL", "//evil.example/phish"],
    ["three slashes", "///evil.example"],
    ["a backslash after the slash (browsers read it as a slash)", "/\\evil.example/phish"],
    ["a backslash first", "\\\\evil.example"],
    ["an encoded backslash (the issue's link, once decoded by the query string)", "/%5Cevil.example/phish"],
    ["an encoded backslash in lower case", "/%5cevil.example"],
    ["encoded slashes", "/%2F%2Fevil.example"],
    ["one encoded slash after the slash", "/%2Fevil.example"],
    ["double-encoded slashes", "/%252F%252Fevil.example"],
    ["dot segments that climb to a second slash", "/..//evil.example"],
    ["encoded dot segments that climb to a second slash", "/%2e%2e//evil.example"],
    ["another origin", "https://evil.example/phish"],
    ["this host on another port", "http://127.0.0.1:4000/x"],
    ["this host and port over another scheme", "https://127.0.0.1:3000/x"],
    ["a scheme-only URL to another host", "https:evil.example"],
    ["backslashes after the scheme", "http:\\\\evil.example"],
    ["javascript:", "javascript:alert(document.cookie)"],
    ["javascript: in mixed case with spaces", " JaVaScRiPt:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["a tab inside the slashes", "/\t/evil.example"],
    ["a newline inside the slashes", "/\n/evil.example"],
    ["a carriage return inside", "/startup\r\nSet-Cookie: x=1"],
    ["a leading tab before two slashes", "\t//evil.example"],
    ["an encoded tab inside the slashes", "/%09/evil.example"],
    ["an encoded newline", "/startup%0d%0aLocation:%20https://evil.example"],
    ["a NUL", "/startup\u0000"],
    ["a relative path without its slash", "evil.example/phish"],
    ["a dot-relative path", "./startup"],
    ["a query only", "?next=//evil.example"],
    ["a malformed escape", "/startup/%E0%A4%A"],
    ["the empty string", ""],
    ["nothing", undefined],
    ["an array (a repeated query parameter)", ["/startup", "//evil.example"]],
    ["a number", 42],
    ["an overlong value", `/${"a".repeat(MAX_CALLBACK_URL_LENGTH)}`],
  ])("%s: %j", (_label, raw) => {
    expect(resolveCallbackPath(raw, SITE)).toBeNull();
  });

});

describe("resolveCallbackPath and the site's own origin", () => {
  it("refuses everything when the site's own origin is not an http(s) URL", () => {
    expect(resolveCallbackPath("/startup", "not a url")).toBeNull();
    expect(resolveCallbackPath("/startup", "file:///srv")).toBeNull();
  });

  it("keeps this origin with its default port spelled out", () => {
    expect(resolveCallbackPath("https://blockable.example.com:443/lender", "https://blockable.example.com")).toBe("/lender");
  });

  it("takes the origin from a site URL that has a path", () => {
    expect(resolveCallbackPath("https://blockable.example.com/lender", "https://blockable.example.com/some/base")).toBe("/lender");
  });
});
