"use client";

import { Badge } from "@/components/ui/badge";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import type { CircuitDto } from "@/lib/server/catalog-admin/queries";
import { formatUtcSeconds } from "./format";

const LABELS = { closed: "Closed", open: "Open", half_open: "Half-open" } as const;
const VARIANTS = { closed: "success", open: "destructive", half_open: "warning" } as const;

/** What the circuit means for the next request, in words. */
export function describeCircuit(circuit: CircuitDto): string {
  if (circuit.status === "open") return `Open: requests skip this provider until ${circuit.reopensAt ? formatUtcSeconds(circuit.reopensAt) : "its cooldown ends"}, then one probe goes through.`;
  if (circuit.status === "half_open") return "Half-open: the next request is a probe; success closes the circuit, failure reopens it.";
  return `Closed: requests flow. ${circuit.consecutiveFailures} of ${circuit.failureThreshold} consecutive failures before it opens.`;
}

/** The live circuit state, with the caveat that each app instance keeps its own. */
export function CircuitBadge({ circuit, providerSlug }: { circuit: CircuitDto; providerSlug: string }) {
  return (
    <div className="grid gap-1">
      <Tooltip>
        <TooltipTrigger asChild>
          <button
            type="button"
            className="w-fit rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
            aria-label={`Circuit of ${providerSlug}: ${LABELS[circuit.status]} on this instance`}
          >
            <Badge variant={VARIANTS[circuit.status]}>{LABELS[circuit.status]}</Badge>
          </button>
        </TooltipTrigger>
        <TooltipContent>
          {describeCircuit(circuit)} State on this instance: each app instance keeps its own circuit in memory, and a test connection does not change it.
        </TooltipContent>
      </Tooltip>
      <span className="num text-xs text-muted-foreground">
        {circuit.consecutiveFailures}/{circuit.failureThreshold} failures
        {circuit.status === "open" && circuit.reopensAt ? ` · reopens ${formatUtcSeconds(circuit.reopensAt).slice(11)}` : ""}
      </span>
    </div>
  );
}
