// What is on disk that a request can reach: route handlers (app/**/route.ts and their methods),
// Pages API routes (pages/api/**), pages (app/**/page.tsx) and server actions (the exports of
// "use server" files), read from the source files themselves, and the guard each one's source
// calls. The manifest test compares this with test/authz/manifest.ts.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const SOURCE = /\.(ts|tsx|js|jsx|mjs)$/;
const IGNORED_DIRS = new Set(["node_modules", ".next", ".git"]);

/** Every source file under `dir` (relative to the project, "/"-separated), sorted. */
export function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!IGNORED_DIRS.has(entry.name)) walk(child);
      } else if (SOURCE.test(entry.name)) found.push(child);
    }
  };
  walk(dir);
  return found.sort();
}

export const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

const isTest = (file: string) => /\.(test|spec)\.[tj]sx?$/.test(file);

/** app/**\/route.ts (any extension). */
export const routeFiles = () => sourceFiles("app").filter((file) => /\/route\.[tj]sx?$/.test(file));
/** pages/api/** (every file there is an endpoint). */
export const pagesApiFiles = () => sourceFiles("pages/api").filter((file) => !isTest(file));
/** app/**\/page.tsx (any extension). */
export const pageFiles = () => sourceFiles("app").filter((file) => /\/page\.[tj]sx?$/.test(file));

/** app/**\/layout.tsx (any extension). */
export const layoutFiles = () => sourceFiles("app").filter((file) => /\/layout\.[tj]sx?$/.test(file));

const DIRECTIVE = /^(?:\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*["']use server["']/;
const ANY_USE_SERVER = /["']use server["']/;

/** Files whose first statement is "use server": every export is a server action. */
export function useServerFiles(): string[] {
  return ["app", "lib", "components"].flatMap((dir) => sourceFiles(dir)).filter((file) => !isTest(file) && DIRECTIVE.test(read(file)));
}

/** Files that say "use server" other than as their first statement: an inline server action, which this suite cannot see. */
export function inlineUseServerFiles(): string[] {
  return ["app", "lib", "components"]
    .flatMap((dir) => sourceFiles(dir))
    .filter((file) => !isTest(file) && !file.startsWith("test/"))
    .filter((file) => {
      const text = read(file);
      return ANY_USE_SERVER.test(text) && !DIRECTIVE.test(text);
    });
}

/** The names a module exports (`export const X`, `export async function X`, `export { a as X }`, default). */
export function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/^export\s+(?:declare\s+)?(?:const|let|var|(?:async\s+)?function\*?|class)\s+([A-Za-z_$][\w$]*)/gm)) names.add(match[1]);
  for (const match of source.matchAll(/^export\s*\{([^}]*)\}(?!\s*from)/gm)) {
    for (const part of match[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name && !name.startsWith("type ")) names.add(name);
    }
  }
  for (const match of source.matchAll(/^export\s*\{([^}]*)\}\s*from/gm)) {
    for (const part of match[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name && !name.startsWith("type ")) names.add(name);
    }
  }
  if (/^export\s+default\b/m.test(source)) names.add("default");
  return [...names].sort();
}

const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The HTTP methods a route file exports handlers for. */
export function routeMethods(source: string): string[] {
  return exportedNames(source).filter((name) => HTTP_METHODS.has(name));
}

/** Every server action as "file#export". */
export function serverActionKeys(): string[] {
  return useServerFiles().flatMap((file) => exportedNames(read(file)).map((name) => `${file}#${name}`));
}

/** Every route handler as "METHOD file"; a Pages API route answers every method ("ANY"). */
export function routeHandlerKeys(): string[] {
  return [...routeFiles().flatMap((file) => routeMethods(read(file)).map((method) => `${method} ${file}`)), ...pagesApiFiles().map((file) => `ANY ${file}`)].sort();
}

// ───────────────────────────── The guard each source calls ─────────────────────────────

export type SourceGuard =
  /** defineAction / timedAction / authed with this permission. */
  | { kind: "permission"; permission: string }
  /** Reads the viewer itself (getViewer) and refuses nobody signed in. */
  | { kind: "getViewer" }
  /** The lender API's token wrapper (lenderRoutes.*). */
  | { kind: "lenderToken" }
  /** otherMethods(): a CORS preflight or a 405. */
  | { kind: "otherMethods" }
  | { kind: "unknown" };

/** The guard in front of one export: the wrapper it is built with, or what its function body calls. */
export function guardOfExport(source: string, name: string): SourceGuard {
  const wrapped = new RegExp(`export\\s+const\\s+${name}\\s*=\\s*(?:defineAction|timedAction|authed)\\s*(?:<[^>]*>)?\\(\\s*\\{\\s*permission:\\s*"([\\w.]+)"`).exec(source);
  if (wrapped) return { kind: "permission", permission: wrapped[1] };
  if (new RegExp(`export\\s+const\\s+${name}\\s*=\\s*lenderRoutes\\.`).test(source)) return { kind: "lenderToken" };
  const aliased = new RegExp(`export\\s*\\{[^}]*\\b(\\w+)\\s+as\\s+${name}\\b`).exec(source);
  if (aliased && /\botherMethods\(/.test(source) && /^(preflight|notAllowed)$/.test(aliased[1])) return { kind: "otherMethods" };
  const body = functionBody(source, name);
  if (body !== null && /\bawait\s+getViewer\(\)/.test(body)) return { kind: "getViewer" };
  return { kind: "unknown" };
}

/** The text of `export async function name(…) …` up to the next top-level export; null when it is not one. */
function functionBody(source: string, name: string): string | null {
  const start = new RegExp(`export\\s+(?:async\\s+)?function\\s+${name}\\s*\\(`).exec(source);
  if (!start) return null;
  const rest = source.slice(start.index + start[0].length);
  const next = rest.search(/^export\s/m);
  return next === -1 ? rest : rest.slice(0, next);
}

/**
 * The guard a page's source calls first: `requirePageViewer("permission")` (any signed-in user
 * when called with no permission), else `getViewer()`, else none.
 */
export function pageGuard(source: string): { kind: "requirePageViewer"; permission: string | null } | { kind: "getViewer" } | { kind: "none" } {
  const required = /\brequirePageViewer\(\s*(?:"([\w.]+)")?\s*\)/.exec(source);
  if (required) return { kind: "requirePageViewer", permission: required[1] ?? null };
  if (/\bgetViewer\(\)/.test(source)) return { kind: "getViewer" };
  return { kind: "none" };
}
