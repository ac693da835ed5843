import type { ComponentProps } from "react";
import { formatBps, formatMicros } from "@/lib/domain/money";
import { cn } from "@/lib/utils";

type MoneyProps = Omit<ComponentProps<"span">, "children"> & { micros: string | bigint; decimals?: number };

/** A USD amount held in µUSD, formatted only here at display. */
export function Money({ micros, decimals, className, ...props }: MoneyProps) {
  const value = typeof micros === "bigint" ? micros : BigInt(micros);
  return (
    <span className={cn("num", className)} {...props}>
      {formatMicros(value, decimals === undefined ? undefined : { decimals })}
    </span>
  );
}

type BpsProps = Omit<ComponentProps<"span">, "children"> & { bps: number | null };

/** A ratio in basis points, shown as a percentage; null (no debt) reads as infinite. */
export function Bps({ bps, className, ...props }: BpsProps) {
  return (
    <span className={cn("num", className)} {...props}>
      {bps === null ? "∞" : formatBps(bps)}
    </span>
  );
}
