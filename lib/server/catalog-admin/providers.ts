import "@/lib/server/server-only";
import type { CreateProviderInput, UpdateProviderInput } from "@/lib/domain/routing/catalog-inputs";
import { sealSecret } from "@/lib/server/crypto/secret-box";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { changedFields, isUniqueViolation, providerNotFound, recordCatalogChange, type CatalogActor } from "./common";

// Providers of the routing catalogue. The upstream API key is write-only: it arrives in a create or
// an edit, is sealed (AES-256-GCM, secret-box.ts) before it is stored, and nothing here ever reads
// it back; audits say only whether a key is set, replaced or cleared.

/** The columns an audit compares: everything an admin edits, with the key as a yes/no. */
type ProviderAuditFields = {
  name: string;
  kind: string;
  baseUrl: string | null;
  timeoutMs: number;
  breakerFailures: number;
  breakerCooldownMs: number;
  isEnabled: boolean;
  hasApiKey: boolean;
};

type ProviderRow = Omit<ProviderAuditFields, "hasApiKey"> & { id: string; slug: string; apiKeyEncrypted: string | null };

function auditFields(row: ProviderRow): ProviderAuditFields {
  return {
    name: row.name,
    kind: row.kind,
    baseUrl: row.baseUrl,
    timeoutMs: row.timeoutMs,
    breakerFailures: row.breakerFailures,
    breakerCooldownMs: row.breakerCooldownMs,
    isEnabled: row.isEnabled,
    hasApiKey: row.apiKeyEncrypted !== null,
  };
}

export type ProviderSummary = { id: string; slug: string; name: string; isEnabled: boolean; hasApiKey: boolean };

const summary = (row: ProviderRow): ProviderSummary => ({ id: row.id, slug: row.slug, name: row.name, isEnabled: row.isEnabled, hasApiKey: row.apiKeyEncrypted !== null });

const slugTaken = (slug: string) => new ApiError(409, "provider_slug_taken", `slug: A provider with the slug "${slug}" already exists.`, "slug");

export async function createProvider(db: Db, input: CreateProviderInput, actor: CatalogActor, options: { encryptionKey?: string } = {}): Promise<ProviderSummary> {
  try {
    return await db.$transaction(async (tx) => {
      if (await tx.provider.findUnique({ where: { slug: input.slug }, select: { id: true } })) throw slugTaken(input.slug);
      const row = await tx.provider.create({
        data: {
          slug: input.slug,
          name: input.name,
          kind: input.kind,
          baseUrl: input.baseUrl || null,
          apiKeyEncrypted: input.apiKey ? sealSecret(input.apiKey, options.encryptionKey) : null,
          timeoutMs: input.timeoutMs,
          breakerFailures: input.breakerFailures,
          breakerCooldownMs: input.breakerCooldownMs,
          isEnabled: input.isEnabled,
        },
      });
      await recordCatalogChange(tx, actor, { action: "provider.created", targetType: "Provider", targetId: row.id, detail: { slug: row.slug, before: null, after: auditFields(row) } });
      return summary(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(input.slug);
    throw error;
  }
}

/** Edits everything but the slug (usage rows and the x-blockable-provider header name it). */
export async function updateProvider(db: Db, input: UpdateProviderInput, actor: CatalogActor, options: { encryptionKey?: string } = {}): Promise<ProviderSummary> {
  return db.$transaction(async (tx) => {
    const before = await tx.provider.findUnique({ where: { id: input.providerId } });
    if (!before) throw providerNotFound();
    const apiKeyEncrypted = input.apiKeyChange === "replace" ? sealSecret(input.apiKey.trim(), options.encryptionKey) : input.apiKeyChange === "clear" ? null : before.apiKeyEncrypted;
    const after = await tx.provider.update({
      where: { id: before.id },
      data: {
        name: input.name,
        kind: input.kind,
        baseUrl: input.baseUrl || null,
        apiKeyEncrypted,
        timeoutMs: input.timeoutMs,
        breakerFailures: input.breakerFailures,
        breakerCooldownMs: input.breakerCooldownMs,
        isEnabled: input.isEnabled,
      },
    });
    const changes = changedFields(auditFields(before), auditFields(after));
    // A replaced key is a change even when a key was set before; its value never reaches the audit.
    if (changes || input.apiKeyChange === "replace") {
      await recordCatalogChange(tx, actor, {
        action: "provider.updated",
        targetType: "Provider",
        targetId: before.id,
        detail: { slug: before.slug, apiKey: input.apiKeyChange === "keep" ? "kept" : input.apiKeyChange === "replace" ? "replaced" : "cleared", before: changes?.before ?? {}, after: changes?.after ?? {} },
      });
    }
    return summary(after);
  });
}

/** Disabling takes the provider out of every route plan from the next request; enabling puts it back. */
export async function setProviderEnabled(db: Db, input: { providerId: string; isEnabled: boolean }, actor: CatalogActor): Promise<ProviderSummary> {
  return db.$transaction(async (tx) => {
    const before = await tx.provider.findUnique({ where: { id: input.providerId } });
    if (!before) throw providerNotFound();
    if (before.isEnabled === input.isEnabled) return summary(before);
    const after = await tx.provider.update({ where: { id: before.id }, data: { isEnabled: input.isEnabled } });
    await recordCatalogChange(tx, actor, {
      action: input.isEnabled ? "provider.enabled" : "provider.disabled",
      targetType: "Provider",
      targetId: before.id,
      detail: { slug: before.slug, before: { isEnabled: before.isEnabled }, after: { isEnabled: after.isEnabled } },
    });
    return summary(after);
  });
}
