import { describe, expect, it } from "vitest";
import { findUnsupportedChatParam } from "./unsupported-params";

const base = { model: "m", messages: [{ role: "user", content: "hi" }] };

describe("findUnsupportedChatParam", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["logprobs: true changes the answer (log-probabilities expected)", { logprobs: true }, "logprobs"],
    ["top_logprobs asks for alternatives per token", { top_logprobs: 3 }, "top_logprobs"],
    ["top_logprobs with logprobs: false is still refused by name", { logprobs: false, top_logprobs: 5 }, "top_logprobs"],
    ["n = 2 asks for a second choice", { n: 2 }, "n"],
    ["n = 0 is not one choice", { n: 0 }, "n"],
    ["a non-numeric n is not one choice", { n: "1" }, "n"],
    ["a non-empty logit_bias", { logit_bias: { "50256": -100 } }, "logit_bias"],
    ["logit_bias that is not an object", { logit_bias: [1] }, "logit_bias"],
    ["predicted outputs", { prediction: { type: "content", content: "x" } }, "prediction"],
    ["audio output", { audio: { voice: "alloy", format: "wav" } }, "audio"],
    ["audio among the modalities", { modalities: ["text", "audio"] }, "modalities"],
    ["web search", { web_search_options: {} }, "web_search_options"],
    ["the legacy functions parameter", { functions: [{ name: "f" }] }, "functions"],
    ["the legacy function_call parameter", { function_call: "auto" }, "function_call"],
  ])("refuses %s, naming %s", (_label, extra, param) => {
    const found = findUnsupportedChatParam({ ...base, ...extra });
    expect(found?.param).toBe(param);
    expect(found?.message).toContain(param === "modalities" ? "modalities" : param);
  });

  it.each<[string, Record<string, unknown>]>([
    ["a plain request", {}],
    ["logprobs: false", { logprobs: false }],
    ["logprobs: null and top_logprobs: null", { logprobs: null, top_logprobs: null }],
    ["top_logprobs: 0", { top_logprobs: 0 }],
    ["n = 1", { n: 1 }],
    ["n: null", { n: null }],
    ["an empty logit_bias", { logit_bias: {} }],
    ["text-only modalities", { modalities: ["text"] }],
    ["audio: null", { audio: null }],
    [
      "parameters that only tune or label the request",
      { user: "u-1", metadata: { team: "a" }, store: false, parallel_tool_calls: true, service_tier: "auto", reasoning_effort: "low", frequency_penalty: 0.5, presence_penalty: -0.5 },
    ],
  ])("lets %s through", (_label, extra) => {
    expect(findUnsupportedChatParam({ ...base, ...extra })).toBeNull();
  });

  it.each([["null", null], ["an array", []], ["a string", "x"], ["a number", 1]])("leaves a body that is %s to the schema", (_label, body) => {
    expect(findUnsupportedChatParam(body)).toBeNull();
  });
});
