import "@/lib/server/server-only";
import { limitDefaultsFromEnv, type LimitDefaults } from "@/lib/domain/limits/config";
import { processWide } from "@/lib/server/process-wide";

const defaults = processWide("limitDefaults", () => ({ value: null as LimitDefaults | null }));

/** The platform's default limits (BLOCKABLE_DEFAULT_KEY_RPM, BLOCKABLE_DEFAULT_ORG_CONCURRENCY), read once per process. */
export function platformLimitDefaults(): LimitDefaults {
  defaults.value ??= limitDefaultsFromEnv(process.env);
  return defaults.value;
}
