import type { ReactNode } from "react";
import { InfoTip } from "@/components/ui/info-tip";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** One headline figure: its label, its value with unit, an optional hint and how it is computed. */
export function StatCard({ label, value, hint, howComputed, testId }: { label: string; value: ReactNode; hint?: ReactNode; howComputed?: ReactNode; testId?: string }) {
  return (
    <Card data-testid={testId}>
      <CardHeader className="pb-2">
        <CardDescription className="flex items-center gap-1">
          {label}
          {howComputed ? <InfoTip label={label}>{howComputed}</InfoTip> : null}
        </CardDescription>
        <CardTitle className="num text-2xl">{value}</CardTitle>
      </CardHeader>
      {hint ? <CardContent className="pt-0 text-xs text-muted-foreground">{hint}</CardContent> : null}
    </Card>
  );
}
