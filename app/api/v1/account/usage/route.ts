import { db } from "@/lib/server/db/client";
import { handleUsage } from "@/lib/server/routing/account";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleUsage(db, request);
}
