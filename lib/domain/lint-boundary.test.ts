import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ overrideConfigFile: "eslint.config.mjs" });

async function restrictedImportMessages(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((message) => message.ruleId === "no-restricted-imports");
}

const snippet = (importLine: string) => `${importLine}\nexport const x = 1;\n`;

describe("the domain layer stays pure (no-restricted-imports in eslint.config.mjs)", () => {
  it.each([
    ["next/server", 'import { NextResponse } from "next/server";'],
    ["next itself", 'import type { NextConfig } from "next";'],
    ["react", 'import { useState } from "react";'],
    ["react/jsx-runtime", 'import { jsx } from "react/jsx-runtime";'],
    ["react-dom", 'import { createPortal } from "react-dom";'],
    ["@prisma/client", 'import { PrismaClient } from "@prisma/client";'],
    ["a Prisma adapter", 'import { PrismaPg } from "@prisma/adapter-pg";'],
    ["lib/server by alias", 'import { db } from "@/lib/server/db/client";'],
    ["lib/server by a relative path", 'import { db } from "../../server/db/client";'],
    ["lib/server by a deep relative path", 'import { db } from "../../../lib/server/db/client";'],
    ["server-only", 'import "server-only";'],
    ["a type-only import of next", 'import type { NextRequest } from "next/server";'],
  ])("refuses %s in lib/domain", async (_label, importLine) => {
    const messages = await restrictedImportMessages(snippet(importLine), "lib/domain/money/x.ts");
    expect(messages).toHaveLength(1);
    expect(messages[0].severity).toBe(2);
    expect(messages[0].message).toContain("pure rule layer");
  });

  it.each([
    ["lib/server", "lib/server/x.ts"],
    ["app", "app/api/v1/models/route.ts"],
    ["components", "components/x.tsx"],
  ])("allows the same next/server import in %s", async (_label, filePath) => {
    expect(await restrictedImportMessages(snippet('import { NextResponse } from "next/server";'), filePath)).toEqual([]);
  });

  it.each([
    ["a sibling domain module", 'import { ceilDiv } from "../money";'],
    ["a domain module by alias", 'import { ceilDiv } from "@/lib/domain/money";'],
    ["a pure library", 'import { z } from "zod";'],
    ["date-fns", 'import { addDays } from "date-fns";'],
  ])("allows %s inside lib/domain", async (_label, importLine) => {
    expect(await restrictedImportMessages(snippet(importLine), "lib/domain/ledger/x.ts")).toEqual([]);
  });
});

describe("components stay free of server code (no-restricted-imports in eslint.config.mjs)", () => {
  it.each([
    ["the database client", 'import { db } from "@/lib/server/db/client";'],
    ["a service", 'import { createApiKey } from "@/lib/server/services/api-keys";'],
    ["lib/server by a relative path", 'import { db } from "../../lib/server/db/client";'],
  ])("refuses %s in components", async (_label, importLine) => {
    const messages = await restrictedImportMessages(snippet(importLine), "components/admin/x.tsx");
    expect(messages).toHaveLength(1);
    expect(messages[0].message).toContain("components only render");
  });

  it("allows a type-only import from lib/server in components", async () => {
    expect(await restrictedImportMessages(snippet('import type { ActionResult } from "@/lib/server/http/action";'), "components/admin/x.tsx")).toEqual([]);
  });
});
