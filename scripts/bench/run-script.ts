import path from "node:path";

/**
 * Runs `main` when `filename` (the caller's import.meta.filename) is the script node was started
 * with — `npm run bench:…` — and not when another bench imports the module for its helpers.
 * A failure prints and exits 1.
 */
export function runIfScript(filename: string, main: () => Promise<unknown>): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== path.resolve(filename)) return;
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
