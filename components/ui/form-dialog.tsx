"use client";

import type { FormEventHandler, ReactNode } from "react";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

type FormPart = { title: ReactNode; description: ReactNode; onSubmit: FormEventHandler<HTMLFormElement>; children: ReactNode };

/** A dialog's form: its title and description, then the fields (and the footer) given as children. */
export function DialogForm({ title, description, onSubmit, children }: FormPart) {
  return (
    <form onSubmit={onSubmit} className="grid gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
      </DialogHeader>
      {children}
    </form>
  );
}

/** A button (`trigger`) that opens a dialog holding one form; open state from useFormDialog. */
export function FormDialog({ open, onOpenChange, trigger, ...form }: FormPart & { open: boolean; onOpenChange: (open: boolean) => void; trigger: ReactNode }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <DialogForm {...form} />
      </DialogContent>
    </Dialog>
  );
}
