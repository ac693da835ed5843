import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ overrideConfigFile: "eslint.config.mjs" });

async function restrictedImportMessages(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((message) => message.ruleId === "no-restricted-imports");
}

describe("the domain layer stays pure (lint rule)", () => {
  it.each([
    ['import { NextResponse } from "next/server";', "next/server"],
    ['import { useState } from "react";', "react"],
    ['import { PrismaClient } from "@prisma/client";', "@prisma/client"],
    ['import { db } from "@/lib/server/db/client";', "lib/server"],
    ['import "server-only";', "server-only"],
  ])("refuses %s in lib/domain", async (code) => {
    const messages = await restrictedImportMessages(`${code}\nexport const x = 1;\n`, "lib/domain/money/example.ts");
    expect(messages).toHaveLength(1);
    expect(messages[0].message).toContain("pure rule layer");
  });

  it("allows the same imports outside lib/domain", async () => {
    expect(await restrictedImportMessages('import { NextResponse } from "next/server";\nexport const x = NextResponse;\n', "lib/server/example.ts")).toEqual([]);
  });

  it("allows domain modules to import each other", async () => {
    expect(await restrictedImportMessages('import { ceilDiv } from "../money";\nexport const x = ceilDiv;\n', "lib/domain/ledger/example.ts")).toEqual([]);
  });
});
