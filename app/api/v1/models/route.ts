import { db } from "@/lib/server/db/client";
import { handleListModels } from "@/lib/server/routing/account";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleListModels(db, request);
}
