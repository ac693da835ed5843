import { redirect } from "next/navigation";
import { homePathForRole } from "@/lib/domain/auth/permissions";
import { getViewer } from "@/lib/server/auth/guard";

export default async function Home() {
  const viewer = await getViewer();
  redirect(viewer ? homePathForRole(viewer.role) : "/login");
}
