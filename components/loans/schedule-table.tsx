import { Money } from "@/components/money";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { PlannedInstallment } from "@/lib/domain/loans/schedule";

/**
 * A planned installment schedule (a preview, before the loan exists): one row a month with its
 * due day, amount, interest and principal parts, and the balance left after it.
 * `scrollLabel` makes the table a named, keyboard-scrollable region (see components/ui/table).
 */
export function ScheduleTable({ schedule, amountHeader = "Amount", scrollLabel }: { schedule: readonly PlannedInstallment[]; amountHeader?: string; scrollLabel?: string }) {
  return (
    <Table scrollLabel={scrollLabel}>
      <TableHeader>
        <TableRow>
          <TableHead className="text-right">#</TableHead>
          <TableHead>Due</TableHead>
          <TableHead className="text-right">{amountHeader}</TableHead>
          <TableHead className="text-right">Interest</TableHead>
          <TableHead className="text-right">Principal</TableHead>
          <TableHead className="text-right">Balance after</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {schedule.map((row) => (
          <TableRow key={row.seq}>
            <TableCell className="num text-right">{row.seq}</TableCell>
            <TableCell className="num">{row.dueDate.toISOString().slice(0, 10)}</TableCell>
            <TableCell className="text-right">
              <Money micros={row.amountMicros} />
            </TableCell>
            <TableCell className="text-right">
              <Money micros={row.interestMicros} />
            </TableCell>
            <TableCell className="text-right">
              <Money micros={row.principalMicros} />
            </TableCell>
            <TableCell className="text-right">
              <Money micros={row.balanceAfterMicros} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
