import { NextResponse, type NextRequest } from "next/server";
import { refuseBadActionRequest } from "@/lib/server/http/action-guard";
import { API_SECURITY_HEADERS, AUTH_API_SECURITY_HEADERS, newCspNonce, pageSecurityHeadersFor } from "@/lib/server/http/security-headers";

// Two jobs. Security headers on every page and API reply (the routing API under /api/v1 adds its
// own, precomputed, and never comes here: it is the hot path). And a convenience for anonymous
// visitors of the signed-in areas, sent to the login page: every page, action and route handler
// checks the session, the role and the organisation itself.
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const SIGNED_IN_AREAS = /^\/(?:startup|lender|admin)(?:\/|$)/;

export async function proxy(request: NextRequest) {
  // A malformed, oversized or cross-origin server-action call is refused here with a 4xx: past
  // this point Next answers every such failure with a 500.
  const refused = await refuseBadActionRequest(request);
  if (refused) return refused;
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/api/")) {
    return withHeaders(NextResponse.next(), pathname.startsWith("/api/auth/") ? AUTH_API_SECURITY_HEADERS : API_SECURITY_HEADERS);
  }

  // A page: Next reads the nonce from the request's copy of the policy and puts it on its scripts.
  const nonce = newCspNonce();
  const headers = pageSecurityHeadersFor(nonce);
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!hasSession && SIGNED_IN_AREAS.test(pathname)) {
    const login = new URL("/login", request.url);
    login.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
    return withHeaders(NextResponse.redirect(login), headers);
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", headers["content-security-policy"]);
  requestHeaders.set("x-nonce", nonce);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
}

function withHeaders(response: NextResponse, headers: Readonly<Record<string, string>>): NextResponse {
  for (const name in headers) response.headers.set(name, headers[name]);
  return response;
}

// Everything but the routing API (its own headers, see above), the lender API (it sets the same API
// headers itself, and a proxied request's whole body is read before its handler can refuse an
// oversized one with 413) and the build's static files, which Next serves with a year's immutable
// caching and which no policy applies to.
export const config = { matcher: ["/((?!api/v1(?:/|$)|api/lender/v1(?:/|$)|_next/static/|_next/image).*)"] };
