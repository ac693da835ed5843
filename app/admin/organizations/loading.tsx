import { PageHeaderSkeleton, PageSkeleton, SectionSkeleton, StatCardsSkeleton } from "@/components/ui/route-states";

export default function OrganizationsLoading() {
  return (
    <PageSkeleton label="Loading organisations…">
      <PageHeaderSkeleton titleClassName="w-64" action="w-64" />
      <StatCardsSkeleton />
      <SectionSkeleton bodyClassName="h-64" />
      <SectionSkeleton bodyClassName="h-64" />
    </PageSkeleton>
  );
}
