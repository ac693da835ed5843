import { afterEach, describe, expect, it, vi } from "vitest";
import { UpstreamError } from "@/lib/server/providers/types";
import { breakerStates, resetBreakers } from "./breakers";
import { classifyAttemptError, runFailover, type BreakerVerdict, type FailoverRoute } from "./failover";

const connectRefused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) });
const socketClosed = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });

describe("classifyAttemptError: one table for every endpoint", () => {
  it.each<[string, unknown, boolean, BreakerVerdict, "fail_over" | "stop", number | null, string | null]>([
    ["the client went away (whatever the error)", new UpstreamError(502, "x", true, null, "connect_error"), true, "no_verdict", "stop", null, null],
    ["the client went away during an adapter exception", new RangeError("Maximum call stack size exceeded"), true, "no_verdict", "stop", null, null],
    ["a refused connection", new UpstreamError(502, "refused", true, null, "connect_error"), false, "failure", "fail_over", 502, "upstream_unreachable"],
    ["a timeout", new UpstreamError(504, "slow", true, null, "timeout"), false, "failure", "fail_over", 504, "upstream_timeout"],
    ["an upstream 429", new UpstreamError(429, "slow down", true, 2_000, "rate_limited"), false, "failure", "fail_over", 429, "upstream_rate_limited"],
    ["an upstream 5xx", new UpstreamError(503, "down", true, null, "server_error"), false, "failure", "fail_over", 502, "upstream_error"],
    ["an answer that is not JSON", new UpstreamError(502, "html", true, null, "bad_response"), false, "failure", "fail_over", 502, "upstream_error"],
    ["an upstream 401/403: our credentials, not the client's", new UpstreamError(502, "bad key", false, null, "auth_error"), false, "failure", "fail_over", 502, "upstream_auth_failed"],
    ["an upstream 4xx about the request", new UpstreamError(400, "temperature too high", false, null, "bad_request"), false, "success", "stop", 400, "upstream_bad_request"],
    ["a raw network error (code in the cause)", connectRefused, false, "failure", "fail_over", 502, "upstream_unreachable"],
    ["a raw undici socket error", socketClosed, false, "failure", "fail_over", 502, "upstream_unreachable"],
    ["a timeout signal's DOMException", new DOMException("timed out", "TimeoutError"), false, "failure", "fail_over", 504, "upstream_timeout"],
    ["an adapter overflowing its stack on a hostile schema", new RangeError("Maximum call stack size exceeded"), false, "no_verdict", "stop", 400, "invalid_request"],
    ["an adapter's TypeError on an odd content part", new TypeError("Cannot read properties of undefined (reading 'text')"), false, "no_verdict", "stop", 400, "invalid_request"],
    ["a thrown string", "boom", false, "no_verdict", "stop", 400, "invalid_request"],
  ])("%s", (_label, error, isClientGone, breaker, next, status, code) => {
    const verdict = classifyAttemptError(error, { providerSlug: "prov", isClientGone });
    expect({ breaker: verdict.breaker, next: verdict.next, status: verdict.error?.status ?? null, code: verdict.error?.code ?? null }).toEqual({ breaker, next, status, code });
  });

  it("names the parameter an adapter blames, and never echoes a stack", () => {
    const error = Object.assign(new Error("schema nested too deeply"), { param: "response_format.json_schema.schema" });
    const verdict = classifyAttemptError(error, { providerSlug: "sim", isClientGone: false });
    expect(verdict.error).toMatchObject({ status: 400, param: "response_format.json_schema.schema" });
    expect(verdict.error!.message).toContain("schema nested too deeply");
    expect(verdict.error!.message).not.toContain("\n");
  });

  it("passes the upstream's retry-after on with a 429", () => {
    const verdict = classifyAttemptError(new UpstreamError(429, "x", true, 2_500, "rate_limited"), { providerSlug: "p", isClientGone: false });
    expect(verdict.error!.headers).toEqual({ "retry-after": "3" });
  });
});

describe("runFailover", () => {
  afterEach(() => {
    resetBreakers();
    vi.restoreAllMocks();
  });

  const route = (providerId: string, breakerFailures = 2): FailoverRoute => ({ providerId, providerSlug: providerId, breakerFailures, breakerCooldownMs: 60_000 });
  const options = () => ({ signal: new AbortController().signal, requestId: "req_test" });
  const status = (providerId: string) => breakerStates().get(providerId)?.status ?? "closed";

  it("fails over from a provider failure to the next candidate, counting it against the first", async () => {
    const outcome = await runFailover([route("a"), route("b")], async (r) => {
      if (r.providerId === "a") throw new UpstreamError(503, "down", true, null, "server_error");
      return "answer";
    }, options());
    expect(outcome).toMatchObject({ ok: true, value: "answer", route: { providerId: "b" } });
    expect(breakerStates().get("a")?.consecutiveFailures).toBe(1);
  });

  it("upstream auth failure: fails over, and when it was the last word the client sees 502 upstream_auth_failed", async () => {
    const outcome = await runFailover([route("a"), route("b")], async () => {
      throw new UpstreamError(502, "bad key", false, null, "auth_error");
    }, options());
    expect(outcome).toMatchObject({ ok: false, route: { providerId: "b" }, error: { status: 502, code: "upstream_auth_failed" } });
  });

  it("a request the upstream refuses stops at once: no failover, the provider is healthy", async () => {
    const tried: string[] = [];
    const outcome = await runFailover([route("a"), route("b")], async (r) => {
      tried.push(r.providerId);
      throw new UpstreamError(400, "bad temperature", false, null, "bad_request");
    }, options());
    expect(tried).toEqual(["a"]);
    expect(outcome).toMatchObject({ ok: false, error: { status: 400, code: "upstream_bad_request" } });
    expect(status("a")).toBe("closed");
  });

  it("a burst of requests whose content makes the adapter throw leaves the breaker closed", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    for (let i = 0; i < 20; i++) {
      const outcome = await runFailover([route("a", 1)], async () => {
        throw new RangeError("Maximum call stack size exceeded");
      }, options());
      expect(outcome).toMatchObject({ ok: false, error: { status: 400, code: "invalid_request" } });
    }
    expect(breakerStates().get("a")?.consecutiveFailures ?? 0).toBe(0);
    expect(status("a")).toBe("closed");
  });

  it("a client that leaves mid-attempt is nobody's failure, and frees a half-open probe", async () => {
    const abort = new AbortController();
    const flaky = route("a", 1);
    await runFailover([flaky], async () => {
      throw new UpstreamError(502, "x", true, null, "connect_error");
    }, options());
    expect(status("a")).toBe("open");
    // After the cooldown the next request is the probe; its client leaves.
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + 61_000);
    const outcome = await runFailover([flaky], async () => {
      abort.abort();
      throw new DOMException("aborted", "AbortError");
    }, { signal: abort.signal, requestId: "req_gone" });
    expect(outcome).toEqual({ ok: false, route: flaky, error: null });
    expect(breakerStates().get("a")).toMatchObject({ status: "half_open", probeInFlight: false });
  });

  it("with every breaker open nothing is tried: 503 providers_unavailable", async () => {
    await runFailover([route("a", 1)], async () => {
      throw new UpstreamError(502, "x", true, null, "connect_error");
    }, options());
    const attempt = vi.fn(async () => "never");
    const outcome = await runFailover([route("a", 1)], attempt, options());
    expect(attempt).not.toHaveBeenCalled();
    expect(outcome).toMatchObject({ ok: false, route: null, error: { status: 503, code: "providers_unavailable" } });
  });
});
