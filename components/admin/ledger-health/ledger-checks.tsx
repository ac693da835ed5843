"use client";

import { Badge } from "@/components/ui/badge";
import { InfoTip } from "@/components/ui/info-tip";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { LedgerHealthSummary } from "@/lib/server/ledger/health";

const count = (value: number) => value.toLocaleString("en-US");

/** Each check of a run: pass or fail, what it looked at, and, when it failed, what it found. */
export function LedgerChecks({ summary, caption }: { summary: LedgerHealthSummary; caption: string }) {
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Check</TableHead>
          <TableHead scope="col">Result</TableHead>
          <TableHead scope="col" className="text-right">
            Checked
          </TableHead>
          <TableHead scope="col" className="text-right">
            Violations
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {summary.checks.map((check) => (
          <TableRow key={check.code} data-testid={`ledger-check-${check.code}`}>
            <TableCell className="align-top whitespace-normal">
              <span className="flex items-center gap-1 font-medium">
                {check.title}
                <InfoTip label={`the check “${check.title}”`}>{check.rule}</InfoTip>
              </span>
              {check.violations.length > 0 ? (
                <ul className="mt-2 max-w-2xl list-disc space-y-1 pl-5 text-xs text-muted-foreground">
                  {check.violations.map((violation, index) => (
                    <li key={`${violation.subjectId}-${index}`} className="break-words">
                      {violation.message}
                    </li>
                  ))}
                  {check.violationCount > check.violations.length ? <li>and {count(check.violationCount - check.violations.length)} more</li> : null}
                </ul>
              ) : null}
            </TableCell>
            <TableCell className="align-top">{check.isPassing ? <Badge variant="success">Pass</Badge> : <Badge variant="destructive">Fail</Badge>}</TableCell>
            <TableCell className="num text-right align-top">
              {count(check.checkedCount)} {check.checkedUnit}
            </TableCell>
            <TableCell className="num text-right align-top">{count(check.violationCount)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** "All 6 checks passed" / "2 of 6 checks failed". */
export function outcomeText(summary: LedgerHealthSummary): string {
  const failed = summary.checks.filter((check) => !check.isPassing).length;
  return failed === 0 ? `All ${summary.checks.length} checks passed` : `${failed} of ${summary.checks.length} checks failed`;
}

export function OutcomeBadge({ summary, testId }: { summary: LedgerHealthSummary; testId?: string }) {
  return (
    <Badge variant={summary.isHealthy ? "success" : "destructive"} data-testid={testId}>
      {outcomeText(summary)}
    </Badge>
  );
}
