// What next-auth's log calls become. A request with a garbage, expired or foreign session cookie is
// something any anonymous visitor can send as often as they like: it is refused and logged as one
// warning line (code, jose's error code — class names do not survive the build — and message), never as a stack trace. Everything else next-auth
// reports is a fault of ours and keeps its stack.

/** next-auth codes raised while reading a session cookie (JWT strategy) or signing out with one. */
const COOKIE_CODES = new Set(["JWT_SESSION_ERROR", "SIGNOUT_ERROR"]);

/** jose's error codes for a token that does not decrypt, parse or validate (ERR_JWE_INVALID, ERR_JWT_EXPIRED…). */
const TOKEN_ERROR_CODE = /^ERR_(JWE|JWS|JWT|JOSE)_/;

const MAX_MESSAGE_LENGTH = 200;

export type AuthLogEntry = { level: "warn"; line: string } | { level: "error" };

/** How to log next-auth's `logger.error(code, metadata)`: one warning line, or as an error with its stack. */
export function classifyAuthError(code: string, metadata: unknown): AuthLogEntry {
  if (!COOKIE_CODES.has(code) || !isTokenError(metadata)) return { level: "error" };
  return { level: "warn", line: `[next-auth] ${code}: session cookie refused (${oneLine(metadata.code)}: ${oneLine(metadata.message)})` };
}

/** next-auth's configuration warnings (NEXTAUTH_URL, NO_SECRET…) as one line with where to read more. */
export function authWarningLine(code: string): string {
  return `[next-auth] warning ${oneLine(code)}: https://next-auth.js.org/warnings#${oneLine(code).toLowerCase()}`;
}

function isTokenError(value: unknown): value is Error & { code: string } {
  if (!(value instanceof Error)) return false;
  const code = (value as { code?: unknown }).code;
  return typeof code === "string" && TOKEN_ERROR_CODE.test(code);
}

/** No newlines (one log line each), no control characters, bounded. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point
  const flat = text.replace(/[\u0000-\u001F\u007F]+/g, " ").trim();
  return flat.length > MAX_MESSAGE_LENGTH ? `${flat.slice(0, MAX_MESSAGE_LENGTH)}…` : flat;
}
