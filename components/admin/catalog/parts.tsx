"use client";

import type { ComponentProps } from "react";
import type { ColumnDef } from "@tanstack/react-table";
import { Pencil } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";

// What the catalogue screens share: the Enabled / Disabled column, the "Edit" button that opens a
// row's dialog (its accessible name says which row, e.g. "Edit model gpt-4o-mini"), and the price
// fields of "Add route" and "Change price".

/** "Status": Enabled or Disabled, written out (the colour only repeats it). */
export function enabledColumn<Row extends { isEnabled: boolean }>(): ColumnDef<Row> {
  return {
    id: "status",
    header: "Status",
    accessorFn: (row) => (row.isEnabled ? "enabled" : "disabled"),
    cell: ({ row }) => (row.original.isEnabled ? <Badge variant="success">Enabled</Badge> : <Badge variant="secondary">Disabled</Badge>),
  };
}

/** A row's "Edit" (a dialog trigger: the props a trigger passes go on to the button). */
export function EditButton(props: Omit<ComponentProps<typeof Button>, "children"> & { "aria-label": string }) {
  return (
    <Button type="button" size="sm" variant="outline" {...props}>
      <Pencil aria-hidden="true" />
      Edit
    </Button>
  );
}

/** A route's input or output price, typed in USD per million tokens (exact to $0.000001). */
export function PriceField({ side, ...props }: { side: "input" | "output" } & Omit<ComponentProps<typeof TextField>, "label">) {
  return <TextField label={`${side === "input" ? "Input" : "Output"} price (USD per 1M tokens)`} inputMode="decimal" autoComplete="off" {...props} />;
}
