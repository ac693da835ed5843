import path from "node:path";

/**
 * Node's arguments for the production server (scripts/serve.ts), as `npm start` runs it: for the
 * tests and benchmarks that start the built app themselves. Give it PORT and HOSTNAME in its env.
 */
export function serveArgs(root: string): string[] {
  return ["--import", "tsx", "--conditions=react-server", path.join(root, "scripts/serve.ts")];
}
