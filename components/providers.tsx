"use client";

import { useState, type ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { SessionProvider } from "next-auth/react";
import { z } from "zod";
import { ThemeProvider } from "@/components/theme-provider";
import { Toaster } from "@/components/ui/toaster";

// The pages' Content-Security-Policy refuses eval. Zod probes for it (`Function("")`, caught) to
// compile object parsers, and the browser reports each probe as a violation; in the browser it
// skips the probe and parses without compiling (forms are small). The server keeps the compiled path.
if (typeof window !== "undefined") z.config({ jitless: true });

const NO_RETRY_STATUSES = new Set([401, 403, 404]);

/** Retrying cannot fix "signed out", "not yours" or "not there". */
function isFinalError(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("status" in error)) return false;
  return NO_RETRY_STATUSES.has(Number((error as { status: unknown }).status));
}

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: true,
        retry: (failureCount, error) => !isFinalError(error) && failureCount < 2,
      },
    },
  });
}

/** `nonce`: the request's CSP nonce, for the theme's inline script (see app/layout.tsx). */
export function Providers({ children, nonce }: { children: ReactNode; nonce?: string }) {
  // One client per browser session; a module-level client would leak between server requests.
  const [queryClient] = useState(makeQueryClient);
  return (
    <ThemeProvider nonce={nonce}>
      <SessionProvider>
        <QueryClientProvider client={queryClient}>
          {children}
          <Toaster />
        </QueryClientProvider>
      </SessionProvider>
    </ThemeProvider>
  );
}
