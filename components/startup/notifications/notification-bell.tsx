"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Bell } from "lucide-react";
import { toast } from "sonner";
import { utcMinute } from "@/components/lender/loan/format";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { queryKeys, startupNotificationsQuery } from "@/lib/client/query-keys";
import type { ActionResult } from "@/lib/server/http/action";
import type { NotificationDto, NotificationFeedDto } from "@/lib/server/notifications/notifications";
import { cn } from "@/lib/utils";

export type MarkNotificationsReadAction = (input: { ids?: string[] }) => Promise<ActionResult<{ changed: number }>>;

const DOT: Record<string, string> = { critical: "bg-destructive", warning: "bg-badge-warning-foreground", info: "bg-primary" };

/** New unread notifications since the last answer: each pops a toast while a page is open. */
function useToastNew(items: NotificationDto[]) {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (seen.current === null) {
      // What came with the page is not news.
      seen.current = new Set(items.map((item) => item.id));
      return;
    }
    const fresh = items.filter((item) => !seen.current!.has(item.id) && item.readAt === null);
    for (const item of items) seen.current.add(item.id);
    for (const item of fresh.reverse()) {
      const show = item.severity === "critical" ? toast.error : item.severity === "warning" ? toast.warning : toast.info;
      show(item.title, { description: item.body, duration: 10_000 });
    }
  }, [items]);
}

/**
 * The startup's bell in the shell's header: unread count, the latest notifications (margin call
 * opened or cured, credits frozen or unfrozen), "Mark all read". Polls; new ones pop a toast.
 */
export function NotificationBell({ initial, markRead }: { initial: NotificationFeedDto; markRead: MarkNotificationsReadAction }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const { data = initial } = useQuery({ ...startupNotificationsQuery(), initialData: initial });
  const [isMarking, setIsMarking] = useState(false);
  useToastNew(data.items);

  async function mark(ids?: string[]) {
    setIsMarking(true);
    try {
      const result = await markRead(ids ? { ids } : {});
      if (!result.ok) toast.error(result.error.message);
      else if (!ids) toast.success(result.data.changed === 0 ? "Nothing was unread." : `Marked ${result.data.changed} ${result.data.changed === 1 ? "notification" : "notifications"} read.`);
    } catch {
      toast.error("The server could not be reached; the notifications are refreshing. Try again.");
    } finally {
      setIsMarking(false);
      await queryClient.invalidateQueries({ queryKey: queryKeys.startupNotifications() });
    }
  }

  const label = data.unread > 0 ? `Notifications, ${data.unread} unread` : "Notifications";
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={label} className="relative">
          <Bell aria-hidden="true" />
          {data.unread > 0 ? (
            <span aria-hidden="true" className="num absolute -top-0.5 -right-0.5 min-w-4 rounded-full border border-badge-destructive-foreground/25 bg-badge-destructive px-1 text-[10px] leading-4 font-semibold text-badge-destructive-foreground">
              {data.unread > 99 ? "99+" : data.unread}
            </span>
          ) : null}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-[min(24rem,calc(100vw-1rem))]">
        <div className="flex items-center justify-between gap-2 px-2 py-1">
          <DropdownMenuLabel className="p-0 text-sm">Notifications</DropdownMenuLabel>
          <span className="text-xs text-muted-foreground">{data.unread} unread</span>
        </div>
        <DropdownMenuSeparator />
        {data.items.length === 0 ? (
          <p className="px-2 py-6 text-center text-sm text-muted-foreground">Nothing yet. Margin calls, cures, freezes and unfreezes show up here.</p>
        ) : (
          data.items.map((item) => (
            <DropdownMenuItem
              key={item.id}
              className="items-start gap-2 py-2"
              onSelect={() => {
                if (item.readAt === null) void mark([item.id]);
                if (item.loanId) router.push(`/startup/financing/${item.loanId}`);
              }}
            >
              <span aria-hidden="true" className={cn("mt-1.5 size-2 shrink-0 rounded-full", item.readAt === null ? (DOT[item.severity] ?? "bg-primary") : "bg-transparent")} />
              <span className="min-w-0 space-y-0.5">
                <span className={cn("block", item.readAt === null && "font-semibold")}>
                  {item.title}
                  {item.readAt === null ? <span className="sr-only"> (unread)</span> : null}
                </span>
                <span className="block text-xs whitespace-normal text-muted-foreground">{item.body}</span>
                <span className="block text-xs text-muted-foreground">{utcMinute(item.createdAt)}</span>
              </span>
            </DropdownMenuItem>
          ))
        )}
        <DropdownMenuSeparator />
        <DropdownMenuItem
          disabled={data.unread === 0 || isMarking}
          onSelect={(event) => {
            event.preventDefault();
            void mark();
          }}
        >
          Mark all read
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
