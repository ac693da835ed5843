import { ListPageSkeleton } from "@/components/ui/route-states";

export default function StartupFinancingLoading() {
  return <ListPageSkeleton label="Loading your financing…" rows={4} />;
}
