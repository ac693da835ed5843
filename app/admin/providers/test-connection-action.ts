"use server";
import "@/lib/server/server-only";
import { testConnectionSchema } from "@/lib/domain/routing/catalog-inputs";
import { testProviderConnection } from "@/lib/server/catalog-admin/test-connection";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";

/** "Test connection": a 1-token request through the provider's adapter; nobody is charged, the breaker is not told. */
export const testConnectionAction = defineAction({ permission: "provider.manage", input: testConnectionSchema }, (input) => testProviderConnection(db, input));
