import { queryOptions } from "@tanstack/react-query";

export type CreditBalancesDto = { spendableMicros: string; heldMicros: string; frozenMicros: string; pledgedMicros: string; financedMicros: string };

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new HttpError(response.status, body?.error?.message ?? `Request failed (${response.status})`);
  }
  return (await response.json()) as T;
}

export const queryKeys = {
  credits: () => ["startup", "credits"] as const,
};

/** Balances are live numbers: they poll while the page is open. */
export const creditsQuery = () =>
  queryOptions({
    queryKey: queryKeys.credits(),
    queryFn: () => getJson<CreditBalancesDto>("/api/startup/credits"),
    refetchInterval: 5_000,
  });
