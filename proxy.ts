import { NextResponse, type NextRequest } from "next/server";

// Only a convenience for anonymous visitors: every page, action and route handler checks the
// session, the role and the organisation itself.
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

export function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = { matcher: ["/startup/:path*", "/lender/:path*", "/admin/:path*"] };
