// What the render tests (components/**/*.render.test.ts) share: the dialog primitive opened flat
// (no portal, no focus trap, content always rendered) and the rendered HTML read as plain words.
//
//   vi.mock("@/components/ui/dialog", async () => (await import("@/test/render")).flatDialog);
import { createElement, type ReactNode } from "react";

type Children = { children?: ReactNode };

const pass = (tag: string) => ({ children }: Children) => createElement(tag, null, children);

/** Stands in for "@/components/ui/dialog": every part rendered in place, the content always shown. */
export const flatDialog = {
  Dialog: ({ children }: Children) => createElement("div", null, children),
  DialogTrigger: ({ children }: Children) => children,
  DialogClose: ({ children }: Children) => children,
  DialogContent: pass("section"),
  DialogHeader: pass("header"),
  DialogFooter: pass("footer"),
  DialogTitle: pass("h2"),
  DialogDescription: pass("p"),
};

/**
 * The words a reader sees in server-rendered HTML: tags dropped, entities decoded, spaces collapsed.
 * React parts adjacent text nodes with `<!-- -->`; `joinTextNodes` reads them as one word
 * ("3 (1 disabled)" rather than "3 (1 disabled )").
 */
export function renderedText(html: string, { joinTextNodes = false } = {}): string {
  return (joinTextNodes ? html.replaceAll("<!-- -->", "") : html)
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&gt;/g, ">")
    .replace(/&lt;/g, "<")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}
