-- AlterTable
ALTER TABLE "Loan" ADD COLUMN     "interestCarry" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "lastCoverageAt" TIMESTAMP(3),
ADD COLUMN     "lastCoverageBps" INTEGER,
ADD COLUMN     "plannedBurnMicrosPerDay" BIGINT;
