"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/server/http/action";

type SetUserDisabled = (input: { userId: string; isDisabled: boolean }) => Promise<ActionResult<{ userId: string; isDisabled: boolean }>>;

export function UserAccessButton({ userId, email, isDisabled, action }: { userId: string; email: string; isDisabled: boolean; action: SetUserDisabled }) {
  const [isPending, startTransition] = useTransition();
  const label = isDisabled ? `Enable ${email}` : `Disable ${email}`;
  return (
    <Button
      size="sm"
      variant={isDisabled ? "outline" : "destructive"}
      aria-label={label}
      disabled={isPending}
      onClick={() =>
        startTransition(async () => {
          const result = await action({ userId, isDisabled: !isDisabled });
          if (result.ok) toast.success(result.data.isDisabled ? `${email} is disabled and signed out everywhere.` : `${email} can sign in again.`);
          else toast.error(result.error.message);
        })
      }
    >
      {isPending ? "Saving…" : isDisabled ? "Enable" : "Disable"}
    </Button>
  );
}
