-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Loan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reference" TEXT NOT NULL,
    "startupOrgId" TEXT NOT NULL,
    "lenderOrgId" TEXT,
    "facilityId" TEXT,
    "state" TEXT NOT NULL,
    "principalMicros" BIGINT NOT NULL,
    "multiplierBps" INTEGER NOT NULL,
    "termMonths" INTEGER NOT NULL,
    "pledgedMicros" BIGINT NOT NULL,
    "purpose" TEXT NOT NULL,
    "aprBps" INTEGER,
    "initialCoverageBps" INTEGER NOT NULL DEFAULT 15000,
    "maintenanceCoverageBps" INTEGER NOT NULL DEFAULT 12500,
    "liquidationCoverageBps" INTEGER NOT NULL DEFAULT 11000,
    "earlyWarningBps" TEXT NOT NULL DEFAULT '14000,13000',
    "autoFreeze" BOOLEAN NOT NULL DEFAULT false,
    "cureWindowHours" INTEGER NOT NULL DEFAULT 72,
    "gracePeriodDays" INTEGER NOT NULL DEFAULT 5,
    "redistributionFeeBps" INTEGER NOT NULL DEFAULT 1500,
    "indexAtOriginationMicros" BIGINT,
    "principalOutstandingMicros" BIGINT NOT NULL DEFAULT 0,
    "interestAccruedMicros" BIGINT NOT NULL DEFAULT 0,
    "interestAccruedThrough" DATETIME,
    "interestCarry" BIGINT NOT NULL DEFAULT 0,
    "plannedBurnMicrosPerDay" BIGINT,
    "lastCoverageBps" INTEGER,
    "lastCoverageAt" DATETIME,
    "lossMicros" BIGINT NOT NULL DEFAULT 0,
    "rejectionReason" TEXT,
    "marginCallAt" DATETIME,
    "cureDeadline" DATETIME,
    "submittedAt" DATETIME,
    "decidedAt" DATETIME,
    "decidedById" TEXT,
    "activatedAt" DATETIME,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Loan_startupOrgId_fkey" FOREIGN KEY ("startupOrgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Loan_lenderOrgId_fkey" FOREIGN KEY ("lenderOrgId") REFERENCES "Organization" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Loan_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "LenderFacility" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Loan" ("activatedAt", "aprBps", "autoFreeze", "closedAt", "createdAt", "cureDeadline", "cureWindowHours", "decidedAt", "decidedById", "earlyWarningBps", "facilityId", "gracePeriodDays", "id", "indexAtOriginationMicros", "initialCoverageBps", "interestAccruedMicros", "interestAccruedThrough", "lenderOrgId", "liquidationCoverageBps", "lossMicros", "maintenanceCoverageBps", "marginCallAt", "multiplierBps", "pledgedMicros", "principalMicros", "principalOutstandingMicros", "purpose", "redistributionFeeBps", "reference", "rejectionReason", "startupOrgId", "state", "submittedAt", "termMonths", "updatedAt", "version") SELECT "activatedAt", "aprBps", "autoFreeze", "closedAt", "createdAt", "cureDeadline", "cureWindowHours", "decidedAt", "decidedById", "earlyWarningBps", "facilityId", "gracePeriodDays", "id", "indexAtOriginationMicros", "initialCoverageBps", "interestAccruedMicros", "interestAccruedThrough", "lenderOrgId", "liquidationCoverageBps", "lossMicros", "maintenanceCoverageBps", "marginCallAt", "multiplierBps", "pledgedMicros", "principalMicros", "principalOutstandingMicros", "purpose", "redistributionFeeBps", "reference", "rejectionReason", "startupOrgId", "state", "submittedAt", "termMonths", "updatedAt", "version" FROM "Loan";
DROP TABLE "Loan";
ALTER TABLE "new_Loan" RENAME TO "Loan";
CREATE UNIQUE INDEX "Loan_reference_key" ON "Loan"("reference");
CREATE INDEX "Loan_startupOrgId_state_idx" ON "Loan"("startupOrgId", "state");
CREATE INDEX "Loan_lenderOrgId_state_idx" ON "Loan"("lenderOrgId", "state");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
