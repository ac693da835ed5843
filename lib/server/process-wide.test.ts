import { describe, expect, it, vi } from "vitest";

// Next evaluates a module once per compilation (App Router chunks, Pages API routes): two fresh
// imports of a module stand in for two such copies in one process.
async function freshCopy<T>(path: string): Promise<T> {
  vi.resetModules();
  return (await import(path)) as T;
}

type Breakers = typeof import("@/lib/server/routing/breakers");

describe("process-wide state", () => {
  it("a breaker opened through one copy of the module is open for another copy", async () => {
    const first = await freshCopy<Breakers>("@/lib/server/routing/breakers");
    const second = await freshCopy<Breakers>("@/lib/server/routing/breakers");
    expect(first).not.toBe(second);
    first.resetBreakers();
    const providerId = `prov_${Math.random()}`;
    for (let i = 0; i < 3; i++) first.reportFailure(providerId, 1_000, 3);
    expect(second.tryAcquire(providerId, 1_001, 60_000)).toBe(false);
    second.resetBreakers();
    expect(first.tryAcquire(providerId, 1_002, 60_000)).toBe(true);
  });

  it("keys per-database state by the client behind each copy's db proxy", async () => {
    const { databaseKey } = await import("./process-wide");
    const client = {};
    const proxyA = new Proxy({}, { get: (_t, p) => (p === "$blockableClient" ? client : undefined) });
    const proxyB = new Proxy({}, { get: (_t, p) => (p === "$blockableClient" ? client : undefined) });
    expect(databaseKey(proxyA)).toBe(databaseKey(proxyB));
    expect(databaseKey(client)).toBe(client);
  });
});
