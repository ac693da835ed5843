// Portkey's open-source gateway (npm `@portkey-ai/gateway`) as a row of `bench:routing`: installed
// into scratch folders at bench time (never a dependency of this project), run as its own Node
// server, sent the same OpenAI requests for the same fake upstream. It meters nothing: no auth, no
// hold, no settlement; it parses, maps and forwards.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const PORTKEY_VERSION = "1.15.2";

/**
 * Two installs of the same gateway version. `json`: exactly what `npm install` resolves today.
 * `streams`: the same, with `@hono/node-server` held at 1.14.1 (inside the gateway's own range,
 * ^1.3.3), because with the newer one that npm resolves every stream fails: node-server ≥ 1.14.2
 * hands a `new Response(body, upstreamResponse)` the upstream's own, immutable, Headers, and the
 * gateway then appends its `x-portkey-*` headers to them ("TypeError: immutable", answered as
 * `{"status":"failure","message":"Something went wrong"}`). `@hono/node-ws` is held at 1.2.0, the
 * last whose peer range admits that node-server. No file of either install is changed.
 */
export type PortkeyInstall = { label: "json" | "streams"; dir: string; packages: string[]; expect: Record<string, string> };

export function portkeyInstalls(baseDir = tmpdir()): PortkeyInstall[] {
  return [
    { label: "json", dir: path.join(baseDir, "blockable-bench-portkey"), packages: [`@portkey-ai/gateway@${PORTKEY_VERSION}`], expect: { "@portkey-ai/gateway": PORTKEY_VERSION } },
    {
      label: "streams",
      dir: path.join(baseDir, "blockable-bench-portkey-streams"),
      packages: [`@portkey-ai/gateway@${PORTKEY_VERSION}`, "@hono/node-server@1.14.1", "@hono/node-ws@1.2.0"],
      expect: { "@portkey-ai/gateway": PORTKEY_VERSION, "@hono/node-server": "1.14.1", "@hono/node-ws": "1.2.0" },
    },
  ];
}

function installedVersion(dir: string, name: string): string | null {
  const file = path.join(dir, "node_modules", name, "package.json");
  if (!existsSync(file)) return null;
  return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? null;
}

/** Installs (or reuses) one scratch folder; returns the gateway's server script. */
export function ensurePortkey(install: PortkeyInstall): string {
  const isReady = () => Object.entries(install.expect).every(([name, version]) => installedVersion(install.dir, name) === version);
  if (!isReady()) {
    mkdirSync(install.dir, { recursive: true });
    console.log(`Installing ${install.packages.join(" ")} into ${install.dir}…`);
    // --ignore-scripts: its postinstall runs patch-package on patches the published package does not ship.
    const npm = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", install.dir, ...install.packages], { cwd: install.dir, stdio: "inherit" });
    if (npm.status !== 0 || !isReady()) throw new Error(`could not install ${install.packages.join(" ")} into ${install.dir}`);
  }
  return path.join(install.dir, "node_modules/@portkey-ai/gateway/build/start-server.js");
}

export type PortkeyServer = { pid: number; url: string; stop: () => Promise<void> };

/**
 * Starts the gateway's own Node server (`build/start-server.js --port=N --headless`, its npm bin)
 * on this Node (the one Blockable runs on, so the runtime is not a difference between the rows;
 * its package asks for Node ≥ 22, and both its paths measured here run on 20). Resolves once it
 * answers.
 */
export async function startPortkey(serverScript: string, port: number): Promise<PortkeyServer> {
  const child = spawn(process.execPath, [serverScript, `--port=${port}`, "--headless"], { cwd: path.dirname(serverScript), stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`Portkey's gateway exited (${child.exitCode}) before listening`);
    try {
      if ((await fetch(`${url}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 150) throw new Error("Portkey's gateway did not start within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    pid: child.pid!,
    url,
    stop: () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill("SIGTERM")))),
  };
}

/** The headers that route a request through Portkey to an OpenAI-compatible host (its base URL ends in /v1). */
export function portkeyHeaders(upstreamBaseUrl: string): Record<string, string> {
  return { "x-portkey-provider": "openai", "x-portkey-custom-host": `${upstreamBaseUrl}/v1`, authorization: "Bearer sk-bench-unused", "content-type": "application/json" };
}

/** CPU time (user + system, all threads) a process has used, in ms; null where /proc cannot be read. */
export function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    const ticksPerSecond = 100;
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}
