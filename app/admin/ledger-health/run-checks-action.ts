"use server";
import "@/lib/server/server-only";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { checkLedgerHealth, summarizeLedgerHealth } from "@/lib/server/ledger/health";

/** "Run checks": the ledger's invariants over one snapshot, now; reads only. */
export const runLedgerChecksAction = defineAction({ permission: "ledger.health", input: z.object({}) }, async () => summarizeLedgerHealth(await checkLedgerHealth(db)));
