import { PageHeaderSkeleton, PageSkeleton, SectionSkeleton } from "@/components/ui/route-states";

export default function StartupKeysLoading() {
  return (
    <PageSkeleton label="Loading API keys…">
      <PageHeaderSkeleton title="API keys" action="w-32" />
      <SectionSkeleton bodyClassName="h-48" />
      <SectionSkeleton bodyClassName="h-56" />
    </PageSkeleton>
  );
}
