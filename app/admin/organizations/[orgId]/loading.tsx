import { PageHeaderSkeleton, PageSkeleton, SectionSkeleton, StatCardsSkeleton } from "@/components/ui/route-states";

export default function OrganizationLoading() {
  return (
    <PageSkeleton label="Loading the organisation…">
      <PageHeaderSkeleton back titleClassName="w-64" />
      <StatCardsSkeleton />
      <SectionSkeleton description={false} />
    </PageSkeleton>
  );
}
