// Rewrites two code shapes in Next.js's server code (node_modules/next) that make V8 keep every
// request's objects alive until the next full GC, without changing what the code does.
//
// Why (measured with `--trace-gc-nvp` on the built app, docs/benchmarks.md "The p99"): V8 allocates
// some objects straight into the old generation, and a dead old object still keeps the young
// objects it points to alive through every scavenge (minor GC) until a full GC runs. Two shapes
// in Next's per-request path do that:
//   1. `res.setHeader = (name, value) => { … }` — V8's parser pretenures a function literal that
//      is assigned to a property (it guesses `Foo.prototype.bar = function`), so the closure is
//      born old and pins its scope: the request, the response, everything they reach. Next's
//      router (compression), base server (cookie-aware setHeader) and Pages API resolver
//      (res.status/json/send…) all do it on every request. Wrapping the literal as
//      `(0, function…)` keeps the same value and name-less function but a young allocation.
//   2. `setLazyProp({ req }, prop, getter)` defines a getter/setter pair of fresh closures on the
//      request; V8 stores accessor pairs in the old generation. The replacement keeps the same
//      behaviour (computed on first read, then a plain value; writable) with one shared accessor
//      pair per property name and the request's getter kept in a young per-request table.
// Without the patch a request through `next start` promoted 12–22 KB past each scavenge here and
// scavenges paused 4–7 ms; with it the routed requests promote ~1–3 KB and pauses stay ~1–2 ms.
//
// Run by `npm install` (postinstall). Idempotent: patched files no longer match either shape.
// Leaves Next working unpatched (only slower) if a future version changes these shapes.
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import * as acorn from "acorn";

function parse(source) {
  const options = { ecmaVersion: "latest", allowHashBang: true, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true };
  try {
    return acorn.parse(source, { ...options, sourceType: "script" });
  } catch {
    return acorn.parse(source, { ...options, sourceType: "module" });
  }
}

function forEachNode(node, visit) {
  if (!node || typeof node.type !== "string") return;
  visit(node);
  for (const key in node) {
    const value = node[key];
    if (Array.isArray(value)) for (const child of value) forEachNode(child, visit);
    else if (value && typeof value.type === "string") forEachNode(value, visit);
  }
}

const isFunctionLiteral = (node) => node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression";

/** `obj.prop = <function literal>` — the assignments V8 pretenures. */
function pretenuredFunctionAssignments(ast) {
  const found = [];
  forEachNode(ast, (node) => {
    if (node.type === "AssignmentExpression" && node.operator === "=" && node.left.type === "MemberExpression" && isFunctionLiteral(node.right)) found.push(node.right);
  });
  return found;
}

/** Next's `setLazyProp({ req }, prop, getter)`: three parameters, the first `{ req }`, a getter/setter pair defined on it. */
function lazyPropFunctions(ast, source) {
  const found = [];
  forEachNode(ast, (node) => {
    if (node.type !== "FunctionDeclaration" || node.params.length !== 3) return;
    const [first, prop, getter] = node.params;
    if (first.type !== "ObjectPattern" || first.properties.length !== 1) return;
    const only = first.properties[0];
    if (only.type !== "Property" || only.key.type !== "Identifier" || only.key.name !== "req" || only.value.type !== "Identifier") return;
    if (prop.type !== "Identifier" || getter.type !== "Identifier") return;
    const body = source.slice(node.body.start, node.body.end);
    if (!/Object\.defineProperty/.test(body) || !/\bget\s*[:(]/.test(body) || !/\bset\s*[:(]/.test(body)) return;
    found.push({ body: node.body, req: only.value.name, prop: prop.name, getter: getter.name });
  });
  return found;
}

// The accessor pair is built by `new Function`, so its closures capture nothing of any request.
const LAZY_KEY = 'Symbol.for("blockable.next-gc-patch.lazy-props")';
function lazyPropBody({ req, prop, getter }) {
  return (
    `{const __bgcKey=${LAZY_KEY},__bgcShared=globalThis[__bgcKey]||(globalThis[__bgcKey]={pairs:new Map,make:new Function("s","p",` +
    `"return{configurable:true,enumerable:true,get(){const v=this[s][p]();Object.defineProperty(this,p,{configurable:true,enumerable:true,writable:true,value:v});return v},` +
    `set(v){Object.defineProperty(this,p,{configurable:true,enumerable:true,writable:true,value:v})}}")});` +
    `(Object.prototype.hasOwnProperty.call(${req},__bgcKey)?${req}[__bgcKey]:Object.defineProperty(${req},__bgcKey,{value:Object.create(null)})[__bgcKey])[${prop}]=${getter};` +
    `let __bgcPair=__bgcShared.pairs.get(${prop});if(!__bgcPair){__bgcPair=__bgcShared.make(__bgcKey,${prop});__bgcShared.pairs.set(${prop},__bgcPair)}Object.defineProperty(${req},${prop},__bgcPair)}`
  );
}

/** The source with both shapes rewritten, and how many of each. Throws if the result does not parse. */
export function patchSource(source) {
  const ast = parse(source);
  const insertions = [];
  const assignments = pretenuredFunctionAssignments(ast);
  for (const literal of assignments) insertions.push({ at: literal.start, text: "(0,", order: 1 }, { at: literal.end, text: ")", order: 0 });
  const lazyProps = lazyPropFunctions(ast, source);
  const replacements = lazyProps.map((fn) => ({ start: fn.body.start, end: fn.body.end, text: lazyPropBody(fn) }));
  if (!assignments.length && !replacements.length) return { code: source, functionAssignments: 0, lazyProps: 0 };
  // Apply from the end so earlier offsets stay valid; insertions inside a replaced body are dropped with it.
  const edits = [
    ...replacements.map((r) => ({ ...r, kind: "replace" })),
    ...insertions.filter((i) => !replacements.some((r) => i.at > r.start && i.at < r.end)).map((i) => ({ start: i.at, end: i.at, text: i.text, order: i.order, kind: "insert" })),
  ].sort((a, b) => b.start - a.start || (a.order ?? 0) - (b.order ?? 0));
  let code = source;
  for (const edit of edits) code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
  parse(code);
  const keptAssignments = insertions.filter((i) => i.text === ")" && !replacements.some((r) => i.at > r.start && i.at < r.end)).length;
  return { code, functionAssignments: keptAssignments, lazyProps: replacements.length };
}

function* serverFiles(nextDir) {
  // Next's server as `next start` loads it: its CommonJS server, the precompiled route runtimes
  // and the compression middleware (the ESM copies are bundled into the app by `next build`).
  const roots = ["dist/server", "dist/lib", "dist/shared", "dist/client/components", "dist/compiled/next-server", "dist/compiled/compression"];
  for (const root of roots) {
    const dir = join(nextDir, root);
    if (!existsSync(dir)) continue;
    const stack = [dir];
    while (stack.length) {
      const current = stack.pop();
      for (const name of readdirSync(current)) {
        const path = join(current, name);
        if (statSync(path).isDirectory()) stack.push(path);
        else if (name.endsWith(".js") && !name.endsWith(".dev.js")) yield path;
      }
    }
  }
}

export function patchNext(nextDir) {
  let files = 0;
  let functionAssignments = 0;
  let lazyProps = 0;
  for (const path of serverFiles(nextDir)) {
    const source = readFileSync(path, "utf8");
    let result;
    try {
      result = patchSource(source);
    } catch (error) {
      console.warn(`next-gc-patch: left ${relative(nextDir, path)} as it is (${error.message})`);
      continue;
    }
    if (result.code === source) continue;
    writeFileSync(path, result.code);
    files += 1;
    functionAssignments += result.functionAssignments;
    lazyProps += result.lazyProps;
  }
  return { files, functionAssignments, lazyProps };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const nextDir = join(new URL("..", import.meta.url).pathname, "node_modules/next");
  if (!existsSync(nextDir)) process.exit(0);
  const { files, functionAssignments, lazyProps } = patchNext(nextDir);
  console.log(`next-gc-patch: ${files} files of Next.js rewritten (${functionAssignments} function literals assigned to properties, ${lazyProps} lazy request properties)`);
}
