"use client";

import { toast } from "sonner";
import { setUserDisabledAction } from "@/app/admin/organizations/set-user-disabled-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/**
 * "Disable" / "Enable" a user, behind a dialog that says what happens. Disabling signs them out of
 * every session on their next request; enabling lets them sign in again (old sessions stay void).
 */
export function UserAccessButton({ userId, email, isDisabled, isSelf = false }: { userId: string; email: string; isDisabled: boolean; isSelf?: boolean }) {
  if (isSelf) {
    return <span className="text-xs text-muted-foreground">You cannot disable yourself</span>;
  }
  const verb = isDisabled ? "Enable" : "Disable";
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" size="sm" variant={isDisabled ? "outline" : "destructive"} aria-label={`${verb} ${email}`}>
          {verb}
        </Button>
      }
      title={`${verb} ${email}?`}
      description={
        isDisabled
          ? `${email} will be able to sign in again with their password. Sessions they had before being disabled stay signed out.`
          : `${email} is signed out everywhere on their next request and cannot sign in until an admin enables them again. Their data, API keys and loans are kept.`
      }
      confirmLabel={verb}
      pendingLabel={isDisabled ? "Enabling…" : "Disabling…"}
      confirmVariant={isDisabled ? "default" : "destructive"}
      onConfirm={async () => {
        const result = await setUserDisabledAction({ userId, isDisabled: !isDisabled });
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        toast.success(result.data.isDisabled ? `${email} is disabled and signed out everywhere.` : `${email} can sign in again.`);
        return true;
      }}
    />
  );
}
