"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { rejectApplicationAction } from "@/app/admin/applications/[loanId]/reject-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormDialogFooter, FormField } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";

const MAX_REASON = 1_000;

/** "Reject": a dialog that asks why (the startup sees the reason), then closes the application. */
export function RejectDialog({ loanId, reference, startupName }: { loanId: string; reference: string; startupName: string }) {
  const router = useRouter();
  const reasonId = useId();
  const [isOpen, setIsOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function reject(event: React.FormEvent) {
    event.preventDefault();
    const trimmed = reason.trim();
    if (trimmed === "") {
      setError("Say why, so the startup can act on it.");
      return;
    }
    if (trimmed.length > MAX_REASON) {
      setError(`Keep it to ${MAX_REASON} characters.`);
      return;
    }
    setIsPending(true);
    try {
      const result = await rejectApplicationAction({ loanId, reason: trimmed });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setIsOpen(false);
      toast.success(`Rejected ${result.data.reference}. ${startupName} sees the reason.`);
      router.refresh();
    } finally {
      setIsPending(false);
    }
  }

  return (
    <Dialog open={isOpen} onOpenChange={(next) => !isPending && setIsOpen(next)}>
      <DialogTrigger asChild>
        <Button type="button" variant="destructive">
          Reject
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={reject} noValidate className="space-y-4">
          <DialogHeader>
            <DialogTitle>Reject {reference}?</DialogTitle>
            <DialogDescription>The application closes and nothing is disbursed. {startupName} sees your reason on its financing page and can reapply.</DialogDescription>
          </DialogHeader>
          <FormField id={reasonId} label="Reason" error={error ?? undefined}>
            {(aria) => (
              <Textarea
                {...aria}
                value={reason}
                maxLength={MAX_REASON}
                rows={4}
                onChange={(event) => {
                  setReason(event.target.value);
                  if (error) setError(null);
                }}
                placeholder="e.g. Initial coverage would be 127.5%: pledge at least $20,000 of your own credits and reapply."
              />
            )}
          </FormField>
          <FormDialogFooter isSubmitting={isPending} onCancel={() => setIsOpen(false)} submitLabel="Reject" pendingLabel="Rejecting…" variant="destructive" />
        </form>
      </DialogContent>
    </Dialog>
  );
}
