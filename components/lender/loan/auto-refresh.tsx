"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";

/**
 * Coverage, debt and collateral move with every settled request: re-render the server parts of
 * the page every `intervalMs` while the tab is visible (and at once when it becomes visible).
 * Client state (the what-if's fields, a table's sort and page) survives a refresh.
 */
export function AutoRefresh({ intervalMs = 30_000 }: { intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    let last = Date.now();
    const refresh = () => {
      if (document.visibilityState !== "visible") return;
      last = Date.now();
      router.refresh();
    };
    const timer = setInterval(refresh, intervalMs);
    const onVisible = () => {
      if (document.visibilityState === "visible" && Date.now() - last >= intervalMs) refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [router, intervalMs]);
  return null;
}
