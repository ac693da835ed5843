import "@/lib/server/server-only";
import { z } from "zod";
import { IllegalTransitionError } from "@/lib/domain/loans/lifecycle";
import { LoanRuleError } from "@/lib/domain/loans/schedule";
import { AuthError } from "@/lib/server/auth/errors";
import { LedgerError } from "@/lib/server/ledger/errors";

/** The one error type entry points map to HTTP; its message is safe to show to the caller. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly type = status >= 500 ? "server_error" : status === 401 ? "authentication_error" : status === 403 ? "permission_error" : "invalid_request_error",
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const LEDGER_STATUS: Record<string, number> = {
  INSUFFICIENT_CREDITS: 402,
  CREDITS_FROZEN: 402,
  SPEND_CAP_EXCEEDED: 402,
  IDEMPOTENCY_CONFLICT: 422,
  HOLD_NOT_FOUND: 404,
};

export function zodIssueMessage(error: z.ZodError): { message: string; param: string | null } {
  const issue = error.issues[0];
  const param = issue?.path.length ? issue.path.join(".") : null;
  return { message: param ? `${param}: ${issue.message}` : (issue?.message ?? "Invalid input."), param };
}

/** Every thrown thing becomes an ApiError; unknown errors are logged and hidden behind a 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof AuthError) return new ApiError(error.status, error.status === 401 ? "unauthenticated" : "forbidden", error.message);
  if (error instanceof z.ZodError) {
    const { message, param } = zodIssueMessage(error);
    return new ApiError(400, "invalid_request", message, param);
  }
  if (error instanceof LedgerError) return new ApiError(LEDGER_STATUS[error.code] ?? 409, error.code.toLowerCase(), error.message);
  // A loan rule refused the change (wrong state, wrong role, an overpayment): nothing was written.
  if (error instanceof IllegalTransitionError) return new ApiError(error.code === "ROLE_NOT_ALLOWED" ? 403 : 409, error.code.toLowerCase(), error.message);
  if (error instanceof LoanRuleError) return new ApiError(422, error.code.toLowerCase(), error.message);
  console.error("Unhandled error", error);
  return new ApiError(500, "internal_error", "Something went wrong on our side. Nothing was changed; try again.");
}

export function errorResponse(error: unknown, headers?: HeadersInit): Response {
  const apiError = toApiError(error);
  return Response.json(
    { error: { message: apiError.message, type: apiError.type, code: apiError.code, param: apiError.param } },
    { status: apiError.status, headers },
  );
}
