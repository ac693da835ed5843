-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AuditLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orgId" TEXT,
    "actorUserId" TEXT,
    "actorKind" TEXT NOT NULL,
    "actorTokenId" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "detailJson" TEXT NOT NULL DEFAULT '{}',
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditLog_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "AuditLog_actorTokenId_fkey" FOREIGN KEY ("actorTokenId") REFERENCES "LenderApiToken" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_AuditLog" ("action", "actorKind", "actorUserId", "at", "detailJson", "id", "orgId", "targetId", "targetType") SELECT "action", "actorKind", "actorUserId", "at", "detailJson", "id", "orgId", "targetId", "targetType" FROM "AuditLog";
DROP TABLE "AuditLog";
ALTER TABLE "new_AuditLog" RENAME TO "AuditLog";
CREATE INDEX "AuditLog_orgId_at_idx" ON "AuditLog"("orgId", "at");
CREATE INDEX "AuditLog_targetType_targetId_idx" ON "AuditLog"("targetType", "targetId");
CREATE TABLE "new_FreezeEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "loanId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "requestedMicros" BIGINT,
    "amountMicros" BIGINT NOT NULL,
    "actorUserId" TEXT,
    "actorKind" TEXT NOT NULL,
    "actorTokenId" TEXT,
    "reason" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "committedAt" DATETIME NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    CONSTRAINT "FreezeEvent_loanId_fkey" FOREIGN KEY ("loanId") REFERENCES "Loan" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "FreezeEvent_actorTokenId_fkey" FOREIGN KEY ("actorTokenId") REFERENCES "LenderApiToken" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_FreezeEvent" ("action", "actorKind", "actorUserId", "amountMicros", "committedAt", "id", "latencyMs", "loanId", "mode", "reason", "requestedAt", "requestedMicros") SELECT "action", "actorKind", "actorUserId", "amountMicros", "committedAt", "id", "latencyMs", "loanId", "mode", "reason", "requestedAt", "requestedMicros" FROM "FreezeEvent";
DROP TABLE "FreezeEvent";
ALTER TABLE "new_FreezeEvent" RENAME TO "FreezeEvent";
CREATE INDEX "FreezeEvent_loanId_committedAt_idx" ON "FreezeEvent"("loanId", "committedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
