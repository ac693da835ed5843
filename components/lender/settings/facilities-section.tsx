import { Bps, Money } from "@/components/money";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { InfoTip } from "@/components/ui/info-tip";
import { EmptyState } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { FacilityDto } from "@/lib/server/queries/lender-settings";

function HeadWithTip({ label, unit, how, align = "right" }: { label: string; unit: string; how: string; align?: "left" | "right" }) {
  return (
    <TableHead className={align === "right" ? "text-right" : undefined}>
      <span className="inline-flex items-center gap-1">
        {label} ({unit})
        <InfoTip label={label.charAt(0).toLowerCase() + label.slice(1)}>{how}</InfoTip>
      </span>
    </TableHead>
  );
}

/** Each facility's limit, what is deployed on it, what is left, its open loans and default APR. */
export function FacilitiesSection({ facilities }: { facilities: FacilityDto[] }) {
  const sum = (pick: (facility: FacilityDto) => string) => facilities.reduce((total, facility) => total + BigInt(pick(facility)), 0n);
  const openLoans = facilities.reduce((total, facility) => total + facility.openLoanCount, 0);
  return (
    <section aria-labelledby="facilities-heading">
      <Card>
        <CardHeader>
          <h2 id="facilities-heading" className="text-lg leading-none font-semibold tracking-tight">
            Facilities
          </h2>
          <CardDescription>The credit lines an admin approves loans against. Limits and APRs are set by Blockable&apos;s operators; ask them to change one.</CardDescription>
        </CardHeader>
        <CardContent>
          {facilities.length === 0 ? (
            <EmptyState title="No facilities yet">An admin opens a facility for your fund before any loan can be approved against it.</EmptyState>
          ) : (
            <div className="rounded-lg border">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Facility</TableHead>
                    <HeadWithTip label="Limit" unit="USD" how="The most this facility may have lent at once: principal outstanding on its open loans never exceeds it when a loan is approved." />
                    <HeadWithTip label="Deployed" unit="USD" how="Principal outstanding of the facility's open loans (active, margin call, delinquent, frozen); interest not included." />
                    <HeadWithTip label="Available" unit="USD" how="Limit − deployed: the largest principal a new loan on this facility can have. Negative if the limit was lowered below what is lent." />
                    <HeadWithTip label="Open loans" unit="count" how="Loans on this facility that are active, in margin call, delinquent or frozen." />
                    <HeadWithTip label="Default APR" unit="% a year" how="The APR proposed for new loans on this facility, simple interest accrued daily at APR ÷ 365 on principal outstanding; each loan keeps the APR it was approved with." />
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {facilities.map((facility) => (
                    <TableRow key={facility.id}>
                      <TableCell className="font-medium">{facility.name}</TableCell>
                      <TableCell className="text-right">
                        <Money micros={facility.limitMicros} />
                      </TableCell>
                      <TableCell className="text-right">
                        <Money micros={facility.deployedMicros} />
                      </TableCell>
                      <TableCell className="text-right">
                        <Money micros={facility.availableMicros} className={BigInt(facility.availableMicros) < 0n ? "text-destructive" : undefined} />
                      </TableCell>
                      <TableCell className="num text-right">{facility.openLoanCount.toLocaleString("en-US")}</TableCell>
                      <TableCell className="text-right">
                        <Bps bps={facility.defaultAprBps} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
                {facilities.length > 1 ? (
                  <TableFooter>
                    <TableRow>
                      <TableCell>All facilities</TableCell>
                      <TableCell className="text-right">
                        <Money micros={sum((facility) => facility.limitMicros)} />
                      </TableCell>
                      <TableCell className="text-right">
                        <Money micros={sum((facility) => facility.deployedMicros)} />
                      </TableCell>
                      <TableCell className="text-right">
                        <Money micros={sum((facility) => facility.availableMicros)} />
                      </TableCell>
                      <TableCell className="num text-right">{openLoans.toLocaleString("en-US")}</TableCell>
                      <TableCell />
                    </TableRow>
                  </TableFooter>
                ) : null}
              </Table>
            </div>
          )}
        </CardContent>
      </Card>
    </section>
  );
}
