-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN "requestId" TEXT;

-- AlterTable
ALTER TABLE "Loan" ADD COLUMN "firstApprovedAt" DATETIME;
ALTER TABLE "Loan" ADD COLUMN "firstApprovedById" TEXT;
ALTER TABLE "Loan" ADD COLUMN "firstApprovedTermsJson" TEXT;

-- CreateTable
CREATE TABLE "PaymentNotice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "loanId" TEXT NOT NULL,
    "startupOrgId" TEXT NOT NULL,
    "amountMicros" BIGINT NOT NULL,
    "sentOn" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "declaredById" TEXT,
    "declaredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "refusalReason" TEXT,
    "paymentId" TEXT,
    CONSTRAINT "PaymentNotice_loanId_fkey" FOREIGN KEY ("loanId") REFERENCES "Loan" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "PaymentNotice_startupOrgId_fkey" FOREIGN KEY ("startupOrgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CreditPurchaseRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orgId" TEXT NOT NULL,
    "amountMicros" BIGINT NOT NULL,
    "reference" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requestedById" TEXT,
    "requestedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "refusalReason" TEXT,
    "lotId" TEXT,
    CONSTRAINT "CreditPurchaseRequest_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BackgroundJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "progressDone" INTEGER NOT NULL DEFAULT 0,
    "progressTotal" INTEGER NOT NULL DEFAULT 0,
    "inputJson" TEXT NOT NULL DEFAULT '{}',
    "resultJson" TEXT,
    "error" TEXT,
    "requestedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "PlatformSetting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orgId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "isDisabled" BOOLEAN NOT NULL DEFAULT false,
    "sessionsRevokedAt" DATETIME,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastLoginAt" DATETIME,
    CONSTRAINT "User_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_User" ("createdAt", "email", "id", "isDisabled", "lastLoginAt", "name", "orgId", "passwordHash", "role", "sessionsRevokedAt") SELECT "createdAt", "email", "id", "isDisabled", "lastLoginAt", "name", "orgId", "passwordHash", "role", "sessionsRevokedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE INDEX "User_orgId_idx" ON "User"("orgId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "PaymentNotice_paymentId_key" ON "PaymentNotice"("paymentId");

-- CreateIndex
CREATE INDEX "PaymentNotice_status_declaredAt_idx" ON "PaymentNotice"("status", "declaredAt");

-- CreateIndex
CREATE INDEX "PaymentNotice_loanId_idx" ON "PaymentNotice"("loanId");

-- CreateIndex
CREATE UNIQUE INDEX "CreditPurchaseRequest_lotId_key" ON "CreditPurchaseRequest"("lotId");

-- CreateIndex
CREATE INDEX "CreditPurchaseRequest_status_requestedAt_idx" ON "CreditPurchaseRequest"("status", "requestedAt");

-- CreateIndex
CREATE INDEX "CreditPurchaseRequest_orgId_idx" ON "CreditPurchaseRequest"("orgId");

-- CreateIndex
CREATE INDEX "BackgroundJob_kind_createdAt_idx" ON "BackgroundJob"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "BackgroundJob_status_createdAt_idx" ON "BackgroundJob"("status", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_action_at_idx" ON "AuditLog"("action", "at");
