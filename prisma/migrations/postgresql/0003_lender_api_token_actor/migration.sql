-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "actorTokenId" TEXT;

-- AlterTable
ALTER TABLE "FreezeEvent" ADD COLUMN     "actorTokenId" TEXT;

-- AddForeignKey
ALTER TABLE "FreezeEvent" ADD CONSTRAINT "FreezeEvent_actorTokenId_fkey" FOREIGN KEY ("actorTokenId") REFERENCES "LenderApiToken"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_actorTokenId_fkey" FOREIGN KEY ("actorTokenId") REFERENCES "LenderApiToken"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
