// The world the authorisation matrix and the fuzzing share, opened once per test database: the
// cast, the GPU index, a simulator catalogue, a webhook receiver, the Pages API routes served over
// HTTP, and what each tenant has that the others must never read. Call it inside a hook of a
// test file that stubs next-auth and the db client (test/action-session.ts).
import { openLoanAlert } from "@/lib/server/alerts/rows";
import type { Db } from "@/lib/server/db/client";
import { invalidateCatalog } from "@/lib/server/routing/catalog";
import { waitForDeferredSettlements } from "@/lib/server/routing/deferred-settlements";
import { flushCoverageHook } from "@/lib/server/valuation/hot-path";
import { signInAs } from "@/test/action-session";
import type { Provider } from "@/test/databases";
import { createCatalog } from "@/test/routing-world";
import { startWebhookReceiver } from "@/test/webhook-receiver";
import { pagesApiFiles } from "./enumerate";
import { startPagesApiServer, type Answer } from "./http";
import { credentialOf } from "./principals";
import { loanOfA, type RouteRequest, type World } from "./targets";
import { createCast, createLoan, seedIndex, USD } from "./world";

/** Ids and names of each tenant's things that another tenant must never read, by the reader. */
export type ForeignMarkers = Record<"startupA" | "startupB" | "lenderX" | "lenderY", string[]>;

/** B's and Y's things by id, to put in A's and X's requests where an id goes. */
export type ForeignIds = { loanOfB: string; alertOfY: string; keyOfB: string; usageRequestOfB: string; responseOfB: string };

export type OpenedWorld = {
  world: World;
  foreignTo: ForeignMarkers;
  foreign: ForeignIds;
  /** A Pages API route over HTTP; returns once the reply's deferred settlement and any coverage recompute it caused have landed. */
  callPagesApi: (file: string, request: RouteRequest, headers: Record<string, string>) => Promise<Answer>;
  close: () => Promise<void>;
};

export async function openWorld(db: Db, provider: Provider): Promise<OpenedWorld> {
  await seedIndex(db);
  const receiver = await startWebhookReceiver();
  const pagesApi = await startPagesApiServer(pagesApiFiles());
  const callPagesApi = async (file: string, request: RouteRequest, headers: Record<string, string>) => {
    const answer = await pagesApi.call(file, request, headers);
    // A JSON reply of the routing API settles after it is sent, and a borrower's spend may schedule
    // a coverage recompute (lib/server/valuation/hot-path.ts): both land before the next snapshot.
    await waitForDeferredSettlements(30_000);
    await flushCoverageHook(db);
    return answer;
  };
  const cast = await createCast(db);
  const simulator = `authz-sim-${provider}`;
  await createCatalog(
    db,
    [{ slug: simulator, kind: "simulator" }],
    [
      { slug: "authz/chat", routes: [{ provider: simulator, inputPrice: 150_000n, outputPrice: 600_000n }] },
      { slug: "authz-embed", kind: "embedding", routes: [{ provider: simulator, inputPrice: 20_000n, outputPrice: 0n }] },
    ],
  );
  invalidateCatalog(db);
  const chat = await db.model.findUniqueOrThrow({ where: { slug: "authz/chat" }, include: { routes: true } });
  const providerRow = await db.provider.findUniqueOrThrow({ where: { slug: simulator } });
  const world: World = {
    db,
    provider,
    cast,
    receiverUrl: (path) => receiver.url(path),
    catalog: { providerId: providerRow.id, chatModel: chat.slug, chatModelId: chat.id, routeId: chat.routes[0].id, embeddingModel: "authz-embed" },
    storedResponseOfA: async () => {
      signInAs(null);
      const answer = await callPagesApi("pages/api/v1/responses.ts", { method: "POST", body: { model: "authz/chat", input: "Hello there.", max_output_tokens: 16 } }, credentialOf(cast, "keyA"));
      if (answer.status !== 200) throw new Error(`stored response fixture: ${answer.status} ${answer.text}`);
      return (JSON.parse(answer.text) as { id: string }).id;
    },
  };

  // What each tenant has that the others must never read: a loan of A financed by X and one of B
  // financed by Y (ids, references), the organisations' names, a notification of each startup.
  const loanAX = await loanOfA(world);
  const loanBY = await createLoan(db, { startupOrgId: cast.startupB.orgId, lenderOrgId: cast.lenderY.orgId, facilityId: cast.lenderY.facilityId, principalMicros: 1_000n * USD, pledgedMicros: 600n * USD });
  const orgName = async (orgId: string) => (await db.organization.findUniqueOrThrow({ where: { id: orgId } })).name;
  const notificationOf = async (orgId: string) => (await db.notification.create({ data: { orgId, kind: "PAYMENT_CONFIRMED", severity: "info", title: "t", body: "b" } })).id;
  const markers = async (loan: { id: string; reference: string }, startupOrgId: string, lenderOrgId: string) => ({
    loan: [loan.id, loan.reference],
    startupName: await orgName(startupOrgId),
    lenderName: await orgName(lenderOrgId),
    notification: await notificationOf(startupOrgId),
  });
  const ofA = await markers(loanAX, cast.startupA.orgId, cast.lenderX.orgId);
  const ofB = await markers(loanBY, cast.startupB.orgId, cast.lenderY.orgId);
  // B's usage (a request with its key) and stored response, Y's open alert on B's loan.
  signInAs(null);
  const reply = await callPagesApi("pages/api/v1/responses.ts", { method: "POST", body: { model: "authz/chat", input: "B's question.", max_output_tokens: 16 } }, credentialOf(cast, "keyB"));
  if (reply.status !== 200) throw new Error(`B's stored response: ${reply.status} ${reply.text}`);
  const usageOfB = await db.usageEvent.findFirstOrThrow({ where: { orgId: cast.startupB.orgId } });
  const alertOfY = await db.$transaction((tx) => openLoanAlert(tx, { loan: loanBY, kind: "EARLY_WARNING_1", message: "Coverage fell below 140%.", coverageBps: 13_900, now: new Date() }));
  const foreign: ForeignIds = {
    loanOfB: loanBY.id,
    alertOfY,
    keyOfB: (await db.apiKey.findFirstOrThrow({ where: { orgId: cast.startupB.orgId, revokedAt: null } })).id,
    usageRequestOfB: usageOfB.requestId,
    responseOfB: (JSON.parse(reply.text) as { id: string }).id,
  };
  const foreignTo: ForeignMarkers = {
    startupA: [...ofB.loan, ofB.startupName, ofB.notification, foreign.usageRequestOfB, foreign.responseOfB],
    startupB: [...ofA.loan, ofA.startupName, ofA.notification],
    lenderX: [...ofB.loan, ofB.startupName, ofB.lenderName, foreign.alertOfY],
    lenderY: [...ofA.loan, ofA.startupName, ofA.lenderName],
  };
  return {
    world,
    foreignTo,
    foreign,
    callPagesApi,
    close: async () => {
      // A routed request's concurrency lease is released after its response: let the last one go
      // before the database does (it would expire by itself, but log that it could not be released).
      for (let waitedMs = 0; waitedMs < 5_000 && (await db.inFlightRequest.count()) > 0; waitedMs += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      await pagesApi.close();
      await receiver.close();
    },
  };
}
