import NextAuth from "next-auth";
import { authOptions } from "@/lib/server/auth/options";

const handler = NextAuth(authOptions);

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// next-auth's `_log` endpoint writes whatever a browser posts into the server's log through our
// logger: anybody could fill the log with lines that look like ours. Browsers' auth errors stay
// in their own console.
async function post(request: Request, context: RouteContext) {
  const { nextauth } = await context.params;
  if (nextauth?.[0] === "_log") return new Response(null, { status: 204 });
  return handler(request, context);
}

export { handler as GET, post as POST };
