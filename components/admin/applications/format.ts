import { formatBps, formatMicros } from "@/lib/domain/money";

// Display helpers for the approval queue (display only: money stays µUSD until shown).

export const usd = (micros: string | bigint) => formatMicros(typeof micros === "bigint" ? micros : BigInt(micros));
export const usd0 = (micros: string | bigint) => formatMicros(typeof micros === "bigint" ? micros : BigInt(micros), { decimals: 0 });
export const multiplierText = (bps: number) => `${(bps / 10_000).toFixed(bps % 100 === 0 ? 2 : 4).replace(/0{1,2}$/, "")}×`;
export const pct = (bps: number | null) => formatBps(bps);
export const dayText = (iso: string) => iso.slice(0, 10);
export const dateTimeText = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
