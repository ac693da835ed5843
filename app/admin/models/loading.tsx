import { ListPageSkeleton } from "@/components/ui/route-states";

export default function AdminModelsLoading() {
  return <ListPageSkeleton label="Loading models and prices…" />;
}
