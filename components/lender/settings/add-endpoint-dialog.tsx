"use client";

import { useId, useState, useTransition, type FormEvent } from "react";
import { Plus } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { SUBSCRIBABLE_EVENT_TYPES, type WebhookEventType } from "@/lib/domain/webhooks/events";
import { CreatedStep, TextField } from "@/components/ui/form-field";
import { EVENT_DESCRIPTIONS } from "./event-labels";
import { fieldMessage } from "@/components/ui/form-errors";
import { SecretWithInstructions } from "./secret-with-instructions";
import type { AddEndpointAction } from "./types";

type Errors = { url?: string; events?: string; form?: string };

/** "Add endpoint": URL and events in; the signing secret out exactly once, with how to verify. */
export function AddEndpointDialog({ addEndpoint, isAtLimit }: { addEndpoint: AddEndpointAction; isAtLimit: boolean }) {
  const [isOpen, setIsOpen] = useState(false);
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<Set<WebhookEventType>>(() => new Set(SUBSCRIBABLE_EVENT_TYPES));
  const [errors, setErrors] = useState<Errors>({});
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [isPending, startTransition] = useTransition();
  const id = useId();
  const urlId = `${id}-url`;

  function onOpenChange(next: boolean) {
    if (isPending) return;
    setIsOpen(next);
    if (!next) {
      setCreated(null);
      setUrl("");
      setEvents(new Set(SUBSCRIBABLE_EVENT_TYPES));
      setErrors({});
    }
  }

  function toggle(type: WebhookEventType, isChecked: boolean) {
    setEvents((current) => {
      const next = new Set(current);
      if (isChecked) next.add(type);
      else next.delete(type);
      return next;
    });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      // In the list's order, so the stored subscription reads the same as the form.
      const chosen = SUBSCRIBABLE_EVENT_TYPES.filter((type) => events.has(type));
      const result = await addEndpoint({ url, events: chosen });
      if (!result.ok) {
        const { field, message } = result.error;
        if (field === "url") setErrors({ url: fieldMessage(message, field) });
        else if (field?.startsWith("events")) setErrors({ events: fieldMessage(message, field) });
        else setErrors({ form: message });
        return;
      }
      setErrors({});
      setCreated({ url: result.data.url, secret: result.data.secret });
      toast.success(`Endpoint added: ${result.data.url}`);
    });
  }

  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button type="button" disabled={isAtLimit}>
          <Plus aria-hidden="true" />
          Add endpoint
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-2xl">
        {created ? (
          <CreatedStep title="Endpoint added" description={<>Events go to {created.url}, each signed with this secret.</>} descriptionClassName="break-all" onDone={() => onOpenChange(false)}>
            <SecretWithInstructions secret={created.secret} />
          </CreatedStep>
        ) : (
          <form onSubmit={onSubmit} className="grid gap-5" noValidate>
            <DialogHeader>
              <DialogTitle>Add a webhook endpoint</DialogTitle>
              <DialogDescription>Blockable POSTs each event you choose to this URL as signed JSON, retrying with backoff until it answers 2xx.</DialogDescription>
            </DialogHeader>
            <TextField
              id={urlId}
              label="Endpoint URL"
              hint="http:// or https://, at a public address."
              error={errors.url ?? undefined}
              name="url"
              type="url"
              inputMode="url"
              autoComplete="off"
              placeholder="https://risk.example.com/hooks/blockable"
              value={url}
              onChange={(event) => setUrl(event.target.value)}
            />
            <fieldset className="grid gap-2" aria-describedby={errors.events ? `${id}-events-error` : undefined}>
              <legend className="text-sm font-medium">Events</legend>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="text-xs text-muted-foreground">
                  {events.size} of {SUBSCRIBABLE_EVENT_TYPES.length} chosen.
                </p>
                <div className="flex gap-2">
                  <Button type="button" size="sm" variant="ghost" onClick={() => setEvents(new Set(SUBSCRIBABLE_EVENT_TYPES))}>
                    Select all events
                  </Button>
                  <Button type="button" size="sm" variant="ghost" onClick={() => setEvents(new Set())}>
                    Clear events
                  </Button>
                </div>
              </div>
              <ul className="grid gap-2 sm:grid-cols-2">
                {SUBSCRIBABLE_EVENT_TYPES.map((type) => {
                  const checkboxId = `${id}-event-${type}`;
                  return (
                    <li key={type} className="flex items-start gap-2 rounded-md border p-2">
                      <input
                        id={checkboxId}
                        type="checkbox"
                        className="mt-0.5 size-4 shrink-0 accent-primary"
                        checked={events.has(type)}
                        aria-describedby={`${checkboxId}-description`}
                        onChange={(event) => toggle(type, event.target.checked)}
                      />
                      <div className="grid gap-0.5">
                        <label htmlFor={checkboxId} className="font-mono text-xs font-medium">
                          {type}
                        </label>
                        <span id={`${checkboxId}-description`} className="text-xs text-muted-foreground">
                          {EVENT_DESCRIPTIONS[type]}
                        </span>
                      </div>
                    </li>
                  );
                })}
              </ul>
              {errors.events ? (
                <p id={`${id}-events-error`} role="alert" className="text-sm text-destructive">
                  {errors.events}
                </p>
              ) : null}
            </fieldset>
            {errors.form ? (
              <p role="alert" className="text-sm text-destructive">
                {errors.form}
              </p>
            ) : null}
            <DialogFooter>
              <Button type="button" variant="outline" disabled={isPending} onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={isPending}>
                {isPending ? "Adding…" : "Add endpoint"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
