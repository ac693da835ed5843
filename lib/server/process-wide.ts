import "@/lib/server/server-only";

/**
 * One value per process. Next compiles App Router chunks and Pages API routes (the routing API's
 * hot path) separately, and each compilation evaluates its own copy of a module, so module-level
 * state is per copy: a catalog invalidated by an admin action, a breaker opened by the gateway or
 * a borrower's coverage hook would not be seen by the other copies. Such state lives here, on
 * globalThis under a registered symbol.
 */
export function processWide<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`blockable.${name}`);
  return (store[key] ??= create());
}

/**
 * The object a per-database cache is keyed by: every copy of the db module hands out its own
 * proxy for the one process-wide client, so key by the client behind it.
 */
export function databaseKey(db: object): object {
  return (db as { $blockableClient?: object }).$blockableClient ?? db;
}
