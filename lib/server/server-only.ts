/**
 * Marks a module as server code, like the `server-only` package, which every lib/server module
 * imported until the routing API moved to Pages API routes: Next resolves that package to its
 * throwing entry in a Pages route's graph, so a module reached from there could not carry it.
 * This guard throws if a browser ever evaluates a server module; ESLint keeps lib/server out of
 * components/ (where every client component lives) at build time.
 */
if (typeof window !== "undefined") {
  throw new Error("A lib/server module was loaded in the browser: server code (database, secrets) must stay on the server.");
}

export {};
