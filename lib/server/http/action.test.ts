// defineAction takes whatever the POST decoded to: a malformed argument comes back as a refusal
// value (the form shows it), never as a throw past the wrapper (Next would answer 500) or a stack
// in the log.
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

vi.mock("next/headers", () => ({ headers: async () => new Headers() }));
vi.mock("@/lib/server/auth/guard", () => ({
  requireViewer: async () => ({ userId: "u1", email: "a@b.example", name: "A", role: "startup", orgId: "o1", orgName: "O", orgKind: "STARTUP", mustChangePassword: false, sessionId: "s1" }),
}));

const { defineAction } = await import("./action");

const run = vi.fn(async (input: { ids?: string[] }) => ({ changed: input.ids?.length ?? 0 }));
const markRead = defineAction({ permission: "credits.read", input: z.object({ ids: z.array(z.string().max(64)).max(100).optional() }) }, run);

/** What React's decoder hands over for "$T": an opaque reference that throws on any property read. */
const opaqueReference = new Proxy(() => {}, {
  get() {
    throw new Error("Cannot access a client reference's property on the server.");
  },
});

afterEach(() => {
  vi.restoreAllMocks();
  run.mockClear();
});

describe("defineAction with malformed arguments", () => {
  it("a well-formed call runs", async () => {
    expect(await markRead({ ids: ["n1"] })).toEqual({ ok: true, data: { changed: 1 } });
  });

  it.each<[string, unknown, string | null]>([
    ["a number instead of the object", 42, null],
    ["no argument at all", undefined, null],
    ["a list of ids that is a string", { ids: "n1" }, "ids"],
    ["an id over 64 characters", { ids: ["x".repeat(65)] }, "ids.0"],
  ])("%s is a 400 invalid_request naming the field, and nothing runs", async (_label, raw, field) => {
    const result = await markRead(raw as never);
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_request", field } });
    expect(run).not.toHaveBeenCalled();
  });

  it("an opaque client reference (what React's decoder hands over for \"$T\") is an ordinary 400", async () => {
    const result = await markRead(opaqueReference as never);
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_request", message: "Invalid input: expected object, received function" } });
    expect(run).not.toHaveBeenCalled();
  });

  it("a value zod cannot even read (its fields throw) is a 400 'could not be read', logged in one line without a stack", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    const raw = Object.defineProperty({}, "ids", {
      enumerable: true,
      get: () => {
        throw new Error("boom");
      },
    });
    const result = await markRead(raw as never);
    expect(result).toEqual({ ok: false, error: { message: "The action's input could not be read.", code: "invalid_request", field: null } });
    expect(run).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
    expect(warnings.mock.calls).toEqual([["Server action input refused: boom"]]);
  });
});
