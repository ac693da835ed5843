import Link from "next/link";
import { EmptyState } from "@/components/ui/states";

export default function OrganizationNotFound() {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Organisation not found</h1>
      <EmptyState title="No organisation has this address">
        <Link href="/admin/organizations" className="text-primary underline underline-offset-4">
          Back to all organisations
        </Link>
      </EmptyState>
    </div>
  );
}
