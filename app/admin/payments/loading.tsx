import { PaymentsScreenSkeleton } from "@/components/admin/payments/payments-screen";

export default function AdminPaymentsLoading() {
  return <PaymentsScreenSkeleton />;
}
