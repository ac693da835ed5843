import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { patchSource } from "./next-gc-patch.mjs";

type Patched = { code: string; functionAssignments: number; lazyProps: number };
const patch = (source: string) => patchSource(source) as Patched;

// Next.js 16's own setLazyProp (dist/server/api-utils/index.js), the shape the patch replaces.
const NEXT_SET_LAZY_PROP = `function setLazyProp({ req }, prop, getter) {
    const opts = { configurable: true, enumerable: true };
    const optsReset = { ...opts, writable: true };
    Object.defineProperty(req, prop, {
        ...opts,
        get: ()=>{
            const value = getter();
            Object.defineProperty(req, prop, { ...optsReset, value });
            return value;
        },
        set: (value)=>{
            Object.defineProperty(req, prop, { ...optsReset, value });
        }
    });
}`;
// The same function as Next's minifier emits it in the precompiled route runtimes.
const MINIFIED_SET_LAZY_PROP =
  "function b({req:e},t,r){let i={configurable:!0,enumerable:!0},a={...i,writable:!0};Object.defineProperty(e,t,{...i,get:()=>{let i=r();return Object.defineProperty(e,t,{...a,value:i}),i},set:r=>{Object.defineProperty(e,t,{...a,value:r})}})}";

describe("patchSource: function literals assigned to properties", () => {
  it.each([
    ["an arrow", "res.setHeader = (name, value) => set(name, value);", "res.setHeader = (0,(name, value) => set(name, value));", 1],
    ["a function expression", "t.status=function(e){return e}", "t.status=(0,function(e){return e})", 1],
    ["a computed member", "o[k] = async () => 1;", "o[k] = (0,async () => 1);", 1],
    ["nested assignments", "a.b = () => { c.d = () => 1; };", "a.b = (0,() => { c.d = (0,() => 1); });", 2],
    ["a chain of assignments", "a.b = c.d = () => 1;", "a.b = c.d = (0,() => 1);", 1],
  ])("wraps %s", (_name, source, expected, count) => {
    expect(patch(source)).toEqual({ code: expected, functionAssignments: count, lazyProps: 0 });
  });

  it.each([
    ["a variable (its name comes from the binding)", "let f; f = () => 1;"],
    ["a declaration", "const f = () => 1; a.b = f;"],
    ["an object literal", "const o = { b: () => 1, c() {} };"],
    ["a compound assignment", "a.b ||= () => 1;"],
    ["a call result", "a.b = make(() => 1);"],
  ])("leaves %s alone", (_name, source) => {
    expect(patch(source)).toEqual({ code: source, functionAssignments: 0, lazyProps: 0 });
  });

  it("is idempotent: a patched file is left as it is", () => {
    const once = patch("x.y = () => 1; x.z = function () { this.w = () => 2; };").code;
    expect(patch(once)).toEqual({ code: once, functionAssignments: 0, lazyProps: 0 });
  });

  it("keeps what the code does: the same values, this binding and results", () => {
    const source = `const o = { k: 2 }; o.m = function (x) { return this.k * x; }; o.a = (x) => x + 1; o.n = o.m.name + "|" + o.a.name; return [o.m(3), o.a(3), o.n];`;
    const run = (code: string) => new Function(code)();
    expect(run(patch(source).code)).toEqual(run(source));
  });

  it("throws rather than write code that does not parse", () => {
    expect(() => patch("a.b = () => {")).toThrow();
  });
});

describe("patchSource: Next's setLazyProp", () => {
  const lazyPropOf = (source: string) => new Function(`${source}; return ${source.startsWith("function b") ? "b" : "setLazyProp"};`)() as (target: { req: object }, prop: string, getter: () => unknown) => void;

  it.each([
    ["formatted", NEXT_SET_LAZY_PROP],
    ["minified", MINIFIED_SET_LAZY_PROP],
  ])("replaces the %s function with one that behaves the same", (_name, source) => {
    const patched = patch(source);
    expect(patched.lazyProps).toBe(1);
    for (const setLazyProp of [lazyPropOf(source), lazyPropOf(patched.code)]) {
      let calls = 0;
      const req: Record<string, unknown> = {};
      const other: Record<string, unknown> = {};
      setLazyProp({ req }, "cookies", () => ({ calls: ++calls }));
      setLazyProp({ req: other }, "cookies", () => "other");
      expect(calls).toBe(0); // lazy: nothing computed until read
      expect(Object.keys(req)).toEqual(["cookies"]); // enumerable, and nothing else visible
      expect(req.cookies).toEqual({ calls: 1 });
      expect(req.cookies).toEqual({ calls: 1 }); // computed once, then a plain value
      expect(Object.getOwnPropertyDescriptor(req, "cookies")).toMatchObject({ writable: true, enumerable: true, configurable: true });
      expect(other.cookies).toBe("other"); // each request keeps its own getter
      const written: Record<string, unknown> = {};
      setLazyProp({ req: written }, "preview", () => "computed");
      written.preview = "assigned";
      expect(written.preview).toBe("assigned");
    }
  });
});

describe("why: a dead request stays alive through scavenges only in the unpatched shapes", () => {
  // A request-like object graph (a 40 KB array) reachable from a closure assigned to a property
  // and from a lazy property's getter, as Next builds on every request; the process reports how
  // many bytes lived long enough to be promoted by V8's scavenges.
  const requestLoop = (setLazyPropSource: string) => `
    ${setLazyPropSource}
    const setLazyProp = b;
    function handle(i) {
      const req = { url: "/" + i, body: new Array(5000).fill(0.5) };
      const res = { statusCode: 200 };
      res.send = (value) => req.url + value;
      setLazyProp({ req }, "cookies", () => req.url);
    }
    let n = 0;
    (function tick() { for (let i = 0; i < 20; i++) handle(n++); if (n < 20000) setImmediate(tick); })();`;

  const promotedBytesPerRequest = (program: string) => {
    const run = spawnSync(process.execPath, ["--trace-gc-nvp", "--jitless", "-e", program], { encoding: "utf8" });
    expect(run.status).toBe(0);
    const promoted = [...run.stdout.matchAll(/ gc=s .*?\bpromoted=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
    return promoted / 20_000;
  };

  it("promotes every request's graph before the patch and almost nothing after it", () => {
    const original = requestLoop(MINIFIED_SET_LAZY_PROP);
    const patched = patch(original).code;
    expect(patched).not.toBe(original);
    expect(promotedBytesPerRequest(original)).toBeGreaterThan(20_000);
    expect(promotedBytesPerRequest(patched)).toBeLessThan(2_000);
  });
});

describe("the installed Next.js", () => {
  const nextFile = (path: string) => readFileSync(join(process.cwd(), "node_modules/next", path), "utf8");

  it("was patched by npm install (postinstall), so a Next upgrade that changes these shapes shows here", () => {
    expect(patch(nextFile("dist/server/lib/patch-set-header.js")).functionAssignments).toBe(0);
    expect(nextFile("dist/server/lib/patch-set-header.js")).toContain("res.setHeader = (0,");
    for (const runtime of ["pages-api-turbo.runtime.prod.js", "pages-api.runtime.prod.js"]) {
      const source = nextFile(`dist/compiled/next-server/${runtime}`);
      expect(source).toContain("blockable.next-gc-patch.lazy-props");
      expect(source).toContain("t.status=(0,");
    }
  });
});
