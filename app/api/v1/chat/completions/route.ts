import { after } from "next/server";
import { db } from "@/lib/server/db/client";
import { handleChatCompletions } from "@/lib/server/routing/gateway";

// API-key authenticated (inside the handler): the routing API's hot path.
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  // A JSON reply does not wait for its settlement's commit: it runs once the response is sent.
  return handleChatCompletions(db, request, { settleAfterResponse: (task) => after(task) });
}
