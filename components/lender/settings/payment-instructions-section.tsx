"use client";

import { useId } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { showActionError } from "@/components/ui/form-errors";
import { FormField } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/server/http/action";

export type SetPaymentInstructionsAction = (input: { instructions: string }) => Promise<ActionResult<{ instructions: string | null }>>;

const MAX_LENGTH = 2_000;

/** The fund's repayment instructions (bank, account, reference to quote), shown to its borrowers on their loan page. */
export function PaymentInstructionsSection({ instructions, save }: { instructions: string | null; save: SetPaymentInstructionsAction }) {
  const router = useRouter();
  const fieldId = useId();
  const { register, handleSubmit, setError, reset, formState: { errors, isSubmitting, isDirty } } = useForm<{ instructions: string }>({ defaultValues: { instructions: instructions ?? "" } });

  const onSubmit = handleSubmit(async (values) => {
    const result = await save({ instructions: values.instructions });
    if (!result.ok) {
      showActionError(result.error, { fields: ["instructions"], setError, otherwise: toast.error });
      return;
    }
    reset({ instructions: result.data.instructions ?? "" });
    toast.success(result.data.instructions ? "Payment instructions saved: your borrowers see them on their loan page." : "Payment instructions cleared.");
    router.refresh();
  });

  return (
    <section aria-labelledby="payment-instructions-heading">
      <Card>
        <CardHeader>
          <h2 id="payment-instructions-heading" className="text-lg leading-none font-semibold tracking-tight">
            Payment instructions
          </h2>
          <CardDescription>How your borrowers repay you: bank, account, the reference to quote. They read them before declaring a payment; an admin records it once it arrives.</CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={onSubmit} className="grid gap-3" noValidate>
            <FormField id={fieldId} label="Instructions for borrowers" hint={`Plain text, up to ${MAX_LENGTH.toLocaleString("en-US")} characters. Leave empty to show borrowers a note to ask Blockable's operators.`} error={errors.instructions?.message}>
              {(aria) => <Textarea {...aria} rows={5} maxLength={MAX_LENGTH} placeholder={"Bank: …\nIBAN / account: …\nQuote your loan reference (BL-…) as the payment reference."} {...register("instructions", { maxLength: { value: MAX_LENGTH, message: `Keep them to ${MAX_LENGTH.toLocaleString("en-US")} characters.` } })} />}
            </FormField>
            <div>
              <Button type="submit" disabled={isSubmitting || !isDirty}>
                {isSubmitting ? "Saving…" : "Save instructions"}
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>
    </section>
  );
}
