import { db } from "@/lib/server/db/client";
import { handleCredits } from "@/lib/server/routing/account";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleCredits(db, request);
}
