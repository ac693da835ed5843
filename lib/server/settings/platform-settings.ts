import "@/lib/server/server-only";
import { z } from "zod";
import { DEFAULT_FOUR_EYES_THRESHOLD_MICROS, MAX_FOUR_EYES_THRESHOLD_MICROS } from "@/lib/domain/loans/approval-terms";
import { formatMicros } from "@/lib/domain/money";
import type { Db, DbTx } from "@/lib/server/db/client";
import { ApiError, zodIssueMessage } from "@/lib/server/http/errors";
import { recordAudit } from "@/lib/server/services/audit";

// Platform-wide settings an admin changes at run time (PlatformSetting rows): read where they
// decide something, written with an audit row holding before and after. A missing row is the
// setting's default.

export const FOUR_EYES_THRESHOLD_KEY = "fourEyesThresholdMicros";

/** The four-eyes threshold as an admin sets it: whole µUSD, $0 to $100,000,000. */
export const fourEyesThresholdSchema = z
  .union([z.string(), z.bigint()], { error: "give the threshold in whole micro-dollars." })
  .transform((value, ctx) => {
    const text = typeof value === "bigint" ? value.toString() : value.trim();
    if (!/^\d{1,19}$/.test(text)) {
      ctx.addIssue({ code: "custom", message: "give the threshold as a whole, non-negative amount of micro-dollars." });
      return z.NEVER;
    }
    const micros = BigInt(text);
    if (micros > MAX_FOUR_EYES_THRESHOLD_MICROS) {
      ctx.addIssue({ code: "custom", message: `must be at most ${formatMicros(MAX_FOUR_EYES_THRESHOLD_MICROS, { decimals: 0 })}, the largest principal an application may ask for.` });
      return z.NEVER;
    }
    return micros;
  });

function parseStoredMicros(value: string | undefined | null, fallback: bigint): bigint {
  return value !== undefined && value !== null && /^\d{1,19}$/.test(value) ? BigInt(value) : fallback;
}

export type FourEyesSetting = { thresholdMicros: bigint; isDefault: boolean; updatedById: string | null; updatedAt: Date | null };

/** The principal above which an approval needs a second, different admin (the default when never set). */
export async function getFourEyesSetting(db: Db | DbTx): Promise<FourEyesSetting> {
  const row = await db.platformSetting.findUnique({ where: { key: FOUR_EYES_THRESHOLD_KEY } });
  if (!row) return { thresholdMicros: DEFAULT_FOUR_EYES_THRESHOLD_MICROS, isDefault: true, updatedById: null, updatedAt: null };
  return { thresholdMicros: parseStoredMicros(row.value, DEFAULT_FOUR_EYES_THRESHOLD_MICROS), isDefault: false, updatedById: row.updatedById, updatedAt: row.updatedAt };
}

export async function getFourEyesThresholdMicros(db: Db | DbTx): Promise<bigint> {
  return (await getFourEyesSetting(db)).thresholdMicros;
}

/**
 * An admin sets the four-eyes threshold: validated, written, and audited ("setting.update", with
 * before and after) in one transaction. Setting the value it already has writes nothing.
 */
export async function setFourEyesThreshold(db: Db, input: { actor: { userId: string; orgId: string; role: string }; thresholdMicros: string | bigint }): Promise<FourEyesSetting & { changed: boolean }> {
  if (input.actor.role !== "admin") throw new ApiError(403, "forbidden", "Only a platform admin changes platform settings.");
  const parsed = fourEyesThresholdSchema.safeParse(input.thresholdMicros);
  if (!parsed.success) {
    const { message } = zodIssueMessage(parsed.error);
    throw new ApiError(400, "invalid_request", `thresholdMicros: ${message}`, "thresholdMicros");
  }
  const after = parsed.data;
  return db.$transaction(async (tx) => {
    const current = await getFourEyesSetting(tx);
    if (!current.isDefault && current.thresholdMicros === after) return { ...current, changed: false };
    const row = await tx.platformSetting.upsert({
      where: { key: FOUR_EYES_THRESHOLD_KEY },
      create: { key: FOUR_EYES_THRESHOLD_KEY, value: after.toString(), updatedById: input.actor.userId },
      update: { value: after.toString(), updatedById: input.actor.userId },
    });
    await recordAudit(tx, {
      orgId: input.actor.orgId,
      actorUserId: input.actor.userId,
      actorKind: "user",
      action: "setting.update",
      targetType: "PlatformSetting",
      targetId: FOUR_EYES_THRESHOLD_KEY,
      detail: { key: FOUR_EYES_THRESHOLD_KEY, before: { thresholdMicros: current.thresholdMicros, isDefault: current.isDefault }, after: { thresholdMicros: after } },
    });
    return { thresholdMicros: after, isDefault: false, updatedById: row.updatedById, updatedAt: row.updatedAt, changed: true };
  });
}
