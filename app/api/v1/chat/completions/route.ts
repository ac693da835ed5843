import { db } from "@/lib/server/db/client";
import { handleChatCompletions } from "@/lib/server/routing/gateway";

// API-key authenticated (inside the handler): the routing API's hot path.
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return handleChatCompletions(db, request);
}
