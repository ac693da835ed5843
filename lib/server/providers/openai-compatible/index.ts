import "@/lib/server/server-only";
import type { ChatCompletion, ChatCompletionChunk, EmbeddingsResult, ProviderAdapter, ProviderRuntime, Usage } from "../types";
import { UpstreamError } from "../types";
import { configuredHeaders, postEventStream, postJson, trimTrailingSlash, type EventDecoder } from "../upstream-http";

/**
 * Any upstream that speaks OpenAI's chat completions dialect (OpenAI, Together, Groq, vLLM,
 * Ollama…). Requests pass through untouched apart from the model name, so fields we do not know
 * (logit_bias, parallel_tool_calls, a vendor's extensions) still reach the upstream.
 */

const DEFAULT_BASE_URL = "https://api.openai.com/v1";

function requestHeaders(provider: ProviderRuntime, accept: string): Record<string, string> {
  const headers: Record<string, string> = { ...configuredHeaders(provider), "content-type": "application/json", accept };
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`;
  return headers;
}

function endpoint(provider: ProviderRuntime, path: string): string {
  return `${trimTrailingSlash(provider.baseUrl ?? DEFAULT_BASE_URL)}${path}`;
}

export function usageFromOpenAi(usage: unknown): Usage | null {
  if (!usage || typeof usage !== "object") return null;
  const { prompt_tokens: inputTokens, completion_tokens: outputTokens } = usage as { prompt_tokens?: unknown; completion_tokens?: unknown };
  if (typeof inputTokens !== "number") return null;
  return { inputTokens, outputTokens: typeof outputTokens === "number" ? outputTokens : 0 };
}

function upstreamErrorMessage(value: { error?: unknown }): string {
  const error = value.error;
  if (typeof error === "string") return error;
  if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") return (error as { message: string }).message;
  return "unknown error";
}

/** Parses one event; null for the closing `[DONE]`. */
function parseOpenAiEvent(data: string, slug: string): (ChatCompletionChunk & { error?: unknown }) | null {
  if (data === "[DONE]") return null;
  let chunk: ChatCompletionChunk & { error?: unknown };
  try {
    chunk = JSON.parse(data);
  } catch {
    throw new Error(`Upstream "${slug}" sent a stream event that is not JSON`);
  }
  // OpenAI reports failures after the 200 as an `error` object in the stream.
  if (chunk.error !== undefined && !Array.isArray(chunk.choices)) throw new Error(`Upstream "${slug}" failed mid-stream: ${upstreamErrorMessage(chunk)}`);
  return chunk;
}

/** Reads OpenAI's stream: its chunks, until `[DONE]`; the usage chunk's figures go to `onUsage`. */
function openAiEventDecoder(slug: string, onUsage: (usage: Usage) => void): EventDecoder<ChatCompletionChunk> {
  let hasFinished = false;
  return {
    decode(events, complete) {
      const chunks: ChatCompletionChunk[] = [];
      for (const event of events) {
        const chunk = parseOpenAiEvent(event.data, slug);
        if (chunk === null) {
          complete();
          break;
        }
        const usage = usageFromOpenAi(chunk.usage);
        if (usage) onUsage(usage);
        if (chunk.choices?.some((choice) => choice.finish_reason)) hasFinished = true;
        chunks.push(chunk);
      }
      return chunks;
    },
    end() {
      // Some servers omit [DONE]; a finish_reason is proof enough that the answer is whole.
      if (!hasFinished) throw new Error(`Upstream "${slug}" ended the stream before the answer was complete`);
    },
  };
}

export const openAiCompatibleAdapter: ProviderAdapter = {
  kind: "openai_compatible",

  async chat(request, { provider, upstreamModel, signal }) {
    const body: Record<string, unknown> = { ...request, model: upstreamModel };
    if (!request.stream) {
      const completion = (await postJson({ provider, url: endpoint(provider, "/chat/completions"), headers: requestHeaders(provider, "application/json"), body, signal })) as ChatCompletion;
      if (!completion || typeof completion !== "object" || !Array.isArray(completion.choices)) {
        throw new UpstreamError(502, `Upstream "${provider.slug}" answered without choices`, true, null, "bad_response");
      }
      return { kind: "json", completion, usage: usageFromOpenAi(completion.usage) };
    }

    // Settlement needs the upstream's own count, so usage is requested whatever the client asked.
    body.stream_options = { ...(request.stream_options ?? {}), include_usage: true };
    let usage: Usage | null = null;
    const decoder = openAiEventDecoder(provider.slug, (reported) => {
      usage = reported;
    });
    const batches = await postEventStream({ provider, url: endpoint(provider, "/chat/completions"), headers: requestHeaders(provider, "text/event-stream"), body, signal }, decoder);
    return { kind: "stream", batches, usage: () => usage };
  },

  async embeddings(request, { provider, upstreamModel, signal }) {
    const body = (await postJson({
      provider,
      url: endpoint(provider, "/embeddings"),
      headers: requestHeaders(provider, "application/json"),
      body: { ...request, model: upstreamModel },
      signal,
    })) as EmbeddingsResult["body"];
    if (!body || typeof body !== "object" || !Array.isArray(body.data)) {
      throw new UpstreamError(502, `Upstream "${provider.slug}" answered without embeddings`, true, null, "bad_response");
    }
    const usage = usageFromOpenAi(body.usage);
    return { body, usage: usage && { inputTokens: usage.inputTokens, outputTokens: 0 } };
  },
};
