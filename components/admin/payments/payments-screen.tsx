"use client";

import { StatCard } from "@/components/dashboard/stat-card";
import { Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { AdminPaymentsScreen } from "./format";
import { NoticesSection } from "./notices-section";
import { PurchasesSection } from "./purchases-section";
import { RecordPaymentDialog } from "./record-payment-dialog";

/**
 * The admin's payments desk: what startups declared (repayments sent, credits they want to buy),
 * each confirmed once the money is in — or refused with a reason — and payments received without
 * a notice recorded directly. Nothing moves money or credits until an admin confirms.
 */
export function PaymentsScreen({ data }: { data: AdminPaymentsScreen }) {
  const { summary } = data;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">Payments</h1>
          <p className="max-w-2xl text-sm text-muted-foreground">
            Repayments startups say they have sent and credits they ask to buy. There is no bank integration: nothing lowers a debt or adds credits until you confirm the money arrived.
          </p>
        </div>
        <RecordPaymentDialog loans={data.loans} />
      </div>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard
          label="Repayment notices waiting"
          value={summary.pendingNotices}
          hint={
            <>
              <Money micros={summary.pendingNoticesMicros} /> declared
            </>
          }
          howComputed="Notices startups declared that no admin has confirmed or refused yet; the amount is their sum in USD."
          testId="pending-notices"
        />
        <StatCard
          label="Credit purchases waiting"
          value={summary.pendingPurchases}
          hint={
            <>
              <Money micros={summary.pendingPurchasesMicros} /> of credits
            </>
          }
          howComputed="Purchase requests waiting for an admin; the amount is the credits they would issue, in USD."
          testId="pending-purchases"
        />
        <StatCard
          label="Repayments recorded, 30 days"
          value={<Money micros={summary.confirmedRepaymentsMicros30d} />}
          howComputed="Sum, in USD, of the notices confirmed and the payments recorded directly in the last 30 days (interest and principal together)."
        />
        <StatCard
          label="Credits sold, 30 days"
          value={<Money micros={summary.confirmedPurchasesMicros30d} />}
          howComputed="Sum, in USD, of the credit purchases confirmed in the last 30 days (issued as purchased lots)."
        />
      </div>

      <Tabs defaultValue="notices">
        <TabsList className="h-auto max-w-full flex-wrap">
          <TabsTrigger value="notices">
            Repayment notices
            {summary.pendingNotices > 0 ? <Badge variant="info">{summary.pendingNotices} waiting</Badge> : null}
          </TabsTrigger>
          <TabsTrigger value="purchases">
            Credit purchases
            {summary.pendingPurchases > 0 ? <Badge variant="info">{summary.pendingPurchases} waiting</Badge> : null}
          </TabsTrigger>
        </TabsList>
        <TabsContent value="notices">
          <NoticesSection notices={data.notices} />
        </TabsContent>
        <TabsContent value="purchases">
          <PurchasesSection purchases={data.purchases} />
        </TabsContent>
      </Tabs>
    </div>
  );
}

/** The screen's shape while it loads: header, four figures, the tabs and a table. */
export function PaymentsScreenSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading payments">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-2">
          <Skeleton className="h-8 w-40" />
          <Skeleton className="h-4 w-[28rem] max-w-full" />
        </div>
        <Skeleton className="h-9 w-40" />
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {Array.from({ length: 4 }, (_, index) => (
          <Skeleton key={index} className="h-24" />
        ))}
      </div>
      <Skeleton className="h-9 w-80 max-w-full" />
      <Skeleton className="h-64" />
    </div>
  );
}
