import { describe, expect, it } from "vitest";
import { GET_ALLOW, otherMethods, POST_ALLOW, withCors } from "./cors";

// The helpers the App Router routes of /api/v1 (models, account/*, index/fixes) export.
describe("CORS and other methods on the routing API's App Router routes", () => {
  it("adds the CORS headers to a route's own reply, keeping its status, headers and body", async () => {
    const response = withCors(Response.json({ object: "list" }, { status: 200, headers: { "x-request-id": "req_1" } }));
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toContain("x-request-id");
    expect(response.headers.get("x-request-id")).toBe("req_1");
    expect(await response.json()).toEqual({ object: "list" });
  });

  it.each([
    ["DELETE", GET_ALLOW, "DELETE is not supported here; send a GET."],
    ["POST", GET_ALLOW, "POST is not supported here; send a GET."],
    ["GET", POST_ALLOW, "GET is not supported here; send a POST."],
  ])("answers %s on a route allowing %s with OpenAI's JSON 405 and Allow", async (method, allow, message) => {
    const response = otherMethods(allow).notAllowed(new Request("http://x/api/v1/models", { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe(allow);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toEqual({ error: { message, type: "invalid_request_error", code: "method_not_allowed", param: null } });
  });

  it("answers a preflight with 204, the route's methods and the requested headers", async () => {
    const request = new Request("http://x/api/v1/models", {
      method: "OPTIONS",
      headers: { origin: "https://example.com", "access-control-request-method": "GET", "access-control-request-headers": "authorization,x-stainless-lang" },
    });
    const response = otherMethods(GET_ALLOW).preflight(request);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toBe(GET_ALLOW);
    expect(response.headers.get("access-control-allow-headers")).toBe("authorization,x-stainless-lang");
    expect(await response.text()).toBe("");
  });
});
