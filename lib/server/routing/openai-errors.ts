import "@/lib/server/server-only";

/** Errors of the routing API, in OpenAI's shape so every OpenAI client understands them. */
export class OpenAiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly type: string = status === 401 ? "authentication_error" : status === 429 ? "rate_limit_error" : status >= 500 ? "api_error" : status === 402 ? "insufficient_quota" : "invalid_request_error",
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "OpenAiError";
  }
}

export function openAiErrorBody(error: OpenAiError) {
  return { error: { message: error.message, type: error.type, code: error.code, param: error.param } };
}
