// A real HTTP receiver on 127.0.0.1 for webhook tests: it records every request (path, headers,
// raw body) and answers 200 "ok", or what was set for a path: one status (`answer`), statuses in
// turn (`script`, "hang" never answers), after `delayMs`.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { path: string; headers: IncomingHttpHeaders; rawBody: Buffer };

export type WebhookReceiver = {
  url: (path: string) => string;
  received: ReceivedRequest[];
  on: (path: string) => ReceivedRequest[];
  /** Every request on `path` gets `status` from now on. */
  answer: (path: string, status: number) => void;
  /** Statuses answered in turn on a path; the last one repeats. "hang" never answers. */
  script: (path: string, statuses: (number | "hang")[]) => void;
  /** Delay before answering, to widen race windows. */
  delayMs: number;
  close: () => Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const scripts = new Map<string, (number | "hang")[]>();
  const received: ReceivedRequest[] = [];
  const state = { delayMs: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      received.push({ path, headers: request.headers, rawBody: Buffer.concat(chunks) });
      const script = scripts.get(path) ?? [200];
      const status = script.length > 1 ? script.shift()! : script[0];
      if (status === "hang") return;
      setTimeout(() => {
        response.writeHead(status, { "content-type": "text/plain" });
        response.end(status >= 200 && status < 300 ? "ok" : `receiver says ${status}`);
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    on: (path) => received.filter((request) => request.path === path),
    answer: (path, status) => scripts.set(path, [status]),
    script: (path, statuses) => scripts.set(path, [...statuses]),
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
