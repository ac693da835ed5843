"use client";

import { useState } from "react";
import { toast } from "sonner";
import { resetUserPasswordAction } from "@/app/admin/organizations/reset-password-action";
import { CreatedStep } from "@/components/ui/form-field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { TemporaryPassword } from "./temporary-password";

/**
 * "Reset password": says what will happen, then shows the new temporary password once. The old
 * password stops working and the user's open sessions end on their next request.
 */
export function ResetPasswordDialog({ userId, email, isSelf = false }: { userId: string; email: string; isSelf?: boolean }) {
  const [isOpen, setIsOpen] = useState(false);
  const [isPending, setIsPending] = useState(false);
  const [temporaryPassword, setTemporaryPassword] = useState<string | null>(null);

  function onOpenChange(next: boolean) {
    if (isPending) return;
    setIsOpen(next);
    if (!next) setTemporaryPassword(null);
  }

  if (isSelf) return null;

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button" size="sm" variant="outline" aria-label={`Reset password for ${email}`}>
          Reset password
        </Button>
      </DialogTrigger>
      <DialogContent>
        {temporaryPassword ? (
          <CreatedStep title={`New temporary password for ${email}`} description="Their old password no longer works and their open sessions have ended." onDone={() => onOpenChange(false)}>
            <TemporaryPassword email={email} value={temporaryPassword} />
          </CreatedStep>
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>Reset the password of {email}?</DialogTitle>
              <DialogDescription>
                Their current password stops working at once, every session they have open ends on its next request, and they must choose a new password when they sign in with the
                temporary one you get next.
              </DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <Button type="button" variant="outline" disabled={isPending} onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button
                type="button"
                variant="destructive"
                disabled={isPending}
                onClick={async () => {
                  setIsPending(true);
                  try {
                    const result = await resetUserPasswordAction({ userId });
                    if (!result.ok) {
                      toast.error(result.error.message);
                      return;
                    }
                    setTemporaryPassword(result.data.temporaryPassword);
                    toast.success(`Password of ${email} reset.`);
                  } catch {
                    toast.error("Could not reach the server. Nothing was changed; try again.");
                  } finally {
                    setIsPending(false);
                  }
                }}
              >
                {isPending ? "Resetting…" : "Reset password"}
              </Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
