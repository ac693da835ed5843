import { RouteNotFound } from "@/components/ui/route-states";

/** No application with this id. */
export default function ApplicationNotFound() {
  return <RouteNotFound title="Application not found" message="There is no such application." href="/admin/applications" linkLabel="Back to applications" />;
}
