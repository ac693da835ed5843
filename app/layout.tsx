import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Blockable", template: "%s · Blockable" },
  description: "Compute credits you can finance, spend and, when it matters, block.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // This request's CSP nonce (proxy.ts): Next puts it on its own scripts; the theme's inline
  // script, which sets dark mode before the first paint, needs it passed. Reading the request
  // also keeps every page dynamic, as a nonce requires (a prerendered page would carry none).
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen bg-background text-foreground antialiased">
        <Providers nonce={nonce}>{children}</Providers>
      </body>
    </html>
  );
}
