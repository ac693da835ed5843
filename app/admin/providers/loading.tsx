import { ListPageSkeleton } from "@/components/ui/route-states";

export default function AdminProvidersLoading() {
  return <ListPageSkeleton label="Loading providers…" />;
}
