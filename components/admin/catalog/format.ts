// Display helpers for the catalogue screens (pure, so they are table-tested). Prices are µUSD per
// million tokens and are shown exactly, never rounded: $0.000001/M must not read as $0.00.
import { priceInputText } from "@/lib/domain/routing/catalog-inputs";

/** 150000n → "$0.15", 3000000n → "$3.00", 1n → "$0.000001", 1200000000n → "$1,200.00". */
export function formatPricePerM(micros: bigint): string {
  const [whole, fraction = ""] = priceInputText(micros).split(".");
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction.padEnd(2, "0")}`;
}

export const PROVIDER_KIND_LABELS = { openai_compatible: "OpenAI-compatible", anthropic: "Anthropic", simulator: "Simulator" } as const;
export const POLICY_LABELS = { PRIORITY: "Priority order", CHEAPEST: "Cheapest first" } as const;

/** 30000 → "30 s", 1500 → "1.5 s", 250 → "250 ms", 600000 → "10 min". */
export function formatDurationMs(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${(ms / 1_000).toLocaleString("en-US", { maximumFractionDigits: 1 })} s`;
  return `${(ms / 60_000).toLocaleString("en-US")} min`;
}

/** "2026-03-01 12:00:05 UTC" (seconds matter for a circuit reopening). */
export function formatUtcSeconds(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
