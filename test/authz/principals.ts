// The authorisation suite's principals, which cells the manifest allows each of, how a refused
// cell must be answered, and the session or credential each one calls with.
import type { Caller } from "./manifest";
import type { Cast } from "./world";

export const INGEST_TOKEN = "bl-idx-authorisation-suite-token-0123456789abcdef";

/** `disabled`: a disabled user; `temporary`: one who must change a temporary password first (both of the entry's role, in the owner's organisation). */
export const SESSION_PRINCIPALS = ["anonymous", "startupA", "startupB", "lenderX", "lenderY", "admin", "disabled", "temporary"] as const;
export const CREDENTIAL_PRINCIPALS = ["keyA", "keyB", "revokedKey", "tokenX", "tokenY", "revokedToken", "ingest"] as const;
export const HTTP_PRINCIPALS = [...SESSION_PRINCIPALS, ...CREDENTIAL_PRINCIPALS] as const;
export type Principal = (typeof HTTP_PRINCIPALS)[number];

const ROLE_OF: Partial<Record<Principal, "startup" | "lender" | "admin">> = { startupA: "startup", startupB: "startup", lenderX: "lender", lenderY: "lender", admin: "admin" };

/** The cells the manifest allows: the owner of the fixture (A, X), every tenant of the role when no foreign id is involved, the admin for the platform. */
export function allowedPrincipals(caller: Caller): Principal[] {
  switch (caller.kind) {
    case "public":
      return [...HTTP_PRINCIPALS];
    case "session": {
      // The one place a temporary password works: changing it (the guard is getViewer, not a permission).
      if (caller.permission === null) return ["startupA", "startupB", "lenderX", "lenderY", "admin", "temporary"];
      if (caller.scope === "platform") return caller.roles.includes("admin") ? ["admin"] : [];
      if (caller.scope === "own-user" && caller.foreignArg) return ["startupA"];
      const byRole = caller.foreignArg
        ? { startup: ["startupA"], lender: ["lenderX"], admin: ["admin"] }
        : { startup: ["startupA", "startupB"], lender: ["lenderX", "lenderY"], admin: ["admin"] };
      return caller.roles.flatMap((role) => byRole[role]) as Principal[];
    }
    case "apiKey":
      return caller.foreignArg ? ["keyA"] : ["keyA", "keyB"];
    case "lenderToken":
      return caller.foreignArg ? ["tokenX"] : ["tokenX", "tokenY"];
    case "ingestToken":
      return ["ingest"];
  }
}

/**
 * How a refused cell must be answered: 401 without a usable credential, 403 a signed-in wrong role
 * or a temporary password not yet changed, 404 a tenant's foreign id.
 */
export function expectedRefusal(principal: Principal, caller: Caller): 401 | 403 | 404 {
  if (caller.kind === "session") {
    if (principal === "temporary") return 403;
    const role = ROLE_OF[principal];
    if (!role) return 401;
    return caller.roles.includes(role) ? 404 : 403;
  }
  if (caller.kind === "apiKey") return principal === "keyB" ? 404 : 401;
  if (caller.kind === "lenderToken") return principal === "tokenY" ? 404 : 401;
  return 401;
}

/** Who is signed in for a cell: a member of the cast, the disabled user of the entry's first role, or nobody. */
export function userIdOf(cast: Cast, principal: Principal, caller: Caller): string | null {
  switch (principal) {
    case "startupA":
      return cast.startupA.userId;
    case "startupB":
      return cast.startupB.userId;
    case "lenderX":
      return cast.lenderX.userId;
    case "lenderY":
      return cast.lenderY.userId;
    case "admin":
      return cast.admin.userId;
    case "disabled":
    case "temporary": {
      const role = caller.kind === "session" ? caller.roles[0] : "startup";
      return cast[principal === "disabled" ? "disabled" : "temporary"][role].userId;
    }
    default:
      return null;
  }
}

/** The Authorization header a cell sends. */
export function credentialOf(cast: Cast, principal: Principal): Record<string, string> {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  switch (principal) {
    case "keyA":
      return bearer(cast.keys.A);
    case "keyB":
      return bearer(cast.keys.B);
    case "revokedKey":
      return bearer(cast.keys.revokedA);
    case "tokenX":
      return bearer(cast.tokens.X);
    case "tokenY":
      return bearer(cast.tokens.Y);
    case "revokedToken":
      return bearer(cast.tokens.revokedX);
    case "ingest":
      return bearer(INGEST_TOKEN);
    default:
      return {};
  }
}
