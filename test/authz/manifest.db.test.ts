// The authorisation manifest (test/authz/manifest.ts) against the files on disk: every route
// handler and its methods, every Pages API route, every page and every server action export is in
// it, nothing in it is gone, and the guard each source calls is the one the manifest says. A new
// route, page or action fails here until someone writes down who may call it (and the matrix in
// authorisation.db.test.ts then calls it as everybody).
// Static: no database. Named *.db.test.ts because the unit project only collects lib/,
// components/ and scripts/; this runs with the authorisation suite it guards.
import { describe, expect, it } from "vitest";
import { PERMISSIONS, type Permission } from "@/lib/domain/auth/permissions";
import { guardOfExport, inlineUseServerFiles, layoutFiles, pageFiles, pageGuard, read, routeHandlerKeys, serverActionKeys } from "./enumerate";
import { LAYOUTS, PAGES, ROUTE_HANDLERS, SERVER_ACTIONS, type Caller } from "./manifest";

/** What is on disk but not in the manifest, and what the manifest names that is not on disk. */
function compare(onDisk: string[], inManifest: string[]) {
  const manifest = new Set(inManifest);
  const disk = new Set(onDisk);
  return { missingFromManifest: onDisk.filter((key) => !manifest.has(key)), goneFromDisk: inManifest.filter((key) => !disk.has(key)) };
}

const split = (key: string, separator: string): [string, string] => {
  const at = key.indexOf(separator);
  return [key.slice(0, at), key.slice(at + separator.length)];
};

describe("the authorisation manifest covers everything a request can reach", () => {
  it("every server action (each export of a \"use server\" file) is in the manifest, and each one named there exists", () => {
    const onDisk = serverActionKeys();
    expect(onDisk.length).toBeGreaterThan(40);
    expect(compare(onDisk, Object.keys(SERVER_ACTIONS))).toEqual({ missingFromManifest: [], goneFromDisk: [] });
  });

  it("no file declares an inline server action (\"use server\" inside a function), which the manifest could not name", () => {
    expect(inlineUseServerFiles()).toEqual([]);
  });

  it("every route handler method (app/**/route.ts) and every Pages API route (pages/api/**) is in the manifest, and each one named there exists", () => {
    const onDisk = routeHandlerKeys();
    expect(onDisk.length).toBeGreaterThan(20);
    expect(compare(onDisk, Object.keys(ROUTE_HANDLERS))).toEqual({ missingFromManifest: [], goneFromDisk: [] });
  });

  it("every page (app/**/page.tsx) is in the manifest, and each one named there exists", () => {
    const onDisk = pageFiles();
    expect(onDisk.length).toBeGreaterThan(20);
    expect(compare(onDisk, Object.keys(PAGES))).toEqual({ missingFromManifest: [], goneFromDisk: [] });
  });

  it("every layout (app/**/layout.tsx) is in the manifest, and each one named there exists", () => {
    expect(compare(layoutFiles(), Object.keys(LAYOUTS))).toEqual({ missingFromManifest: [], goneFromDisk: [] });
  });
});

/** Roles the permission table gives `permission`. */
const rolesOf = (permission: Permission) => [...PERMISSIONS[permission]].sort();

function sessionOf(caller: Caller) {
  if (caller.kind !== "session") throw new Error(`expected a session caller, got ${caller.kind}`);
  return caller;
}

describe("each source calls the guard the manifest names", () => {
  it.each(Object.entries(SERVER_ACTIONS))("%s", (key, entry) => {
    const [file, name] = split(key, "#");
    const guard = guardOfExport(read(file), name);
    const caller = sessionOf(entry.caller);
    if (caller.permission === null) {
      expect(guard).toEqual({ kind: "getViewer" });
      return;
    }
    expect(guard).toEqual({ kind: "permission", permission: caller.permission });
    // The manifest may narrow the permission's roles (one desk per role), never widen them; a
    // narrowed one needs the check in the source that does the narrowing.
    const allowed = rolesOf(caller.permission);
    expect(allowed).toEqual(expect.arrayContaining([...caller.roles]));
    if (caller.roles.length < allowed.length) expect(read(file)).toMatch(new RegExp(`viewer\\.role !== "${caller.roles[0]}"`));
  });

  it.each(Object.entries(ROUTE_HANDLERS))("%s", (key, entry) => {
    const [method, file] = split(key, " ");
    if (method === "ANY") return; // A Pages API route's guard is inside the handler it calls: the matrix checks it.
    const guard = guardOfExport(read(file), method);
    const { caller } = entry;
    if (caller.kind === "session") {
      expect(guard).toEqual({ kind: "permission", permission: caller.permission });
      expect(rolesOf(caller.permission!)).toEqual([...caller.roles].sort());
    } else if (caller.kind === "lenderToken") {
      expect(guard).toEqual({ kind: "lenderToken" });
    } else if (caller.kind === "public" && /405|preflight/i.test(caller.why)) {
      expect(guard).toEqual({ kind: "otherMethods" });
    }
  });

  it.each([...Object.entries(PAGES), ...Object.entries(LAYOUTS)])("%s", (file, entry) => {
    const guard = pageGuard(read(file));
    const { caller } = entry;
    if (caller.kind === "public") {
      // A public page may look at the viewer (to send a signed-in one home) but must not require one.
      expect(guard.kind).not.toBe("requirePageViewer");
    } else if (caller.kind === "session" && caller.permission === null) {
      expect(guard).toEqual({ kind: "getViewer" });
    } else if (caller.kind === "session") {
      expect(guard).toEqual({ kind: "requirePageViewer", permission: caller.permission });
      expect(rolesOf(caller.permission!)).toEqual([...caller.roles].sort());
    }
  });
});
