import { PageHeaderSkeleton, PageSkeleton, SectionSkeleton } from "@/components/ui/route-states";

export default function LenderSettingsLoading() {
  return (
    <PageSkeleton label="Loading settings…">
      <PageHeaderSkeleton titleClassName="w-40" />
      {[0, 1, 2].map((section) => (
        <SectionSkeleton key={section} action bodyClassName="h-24" />
      ))}
    </PageSkeleton>
  );
}
