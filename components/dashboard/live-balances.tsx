"use client";

import { useQuery } from "@tanstack/react-query";
import { Money } from "@/components/money";
import { StatCard } from "@/components/dashboard/stat-card";
import { creditsQuery, type CreditBalancesDto } from "@/lib/client/query-keys";

export function LiveBalances({ initial }: { initial: CreditBalancesDto }) {
  const { data = initial } = useQuery({ ...creditsQuery(), initialData: initial });
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <StatCard testId="balance-spendable" label="Spendable" value={<Money micros={data.spendableMicros} />} hint="What the routing API can spend now" />
      <StatCard testId="balance-held" label="Held" value={<Money micros={data.heldMicros} />} hint="Reserved by requests in flight" />
      <StatCard testId="balance-frozen" label="Frozen" value={<Money micros={data.frozenMicros} />} hint="Blocked by your lender" />
      <StatCard testId="balance-collateral" label="Collateral" value={<Money micros={(BigInt(data.financedMicros) + BigInt(data.pledgedMicros)).toString()} />} hint="Financed and pledged credits left" />
    </div>
  );
}
