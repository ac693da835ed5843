import "@/lib/server/server-only";

// Whether this install is the public demo. The demo world's accounts and API keys are published in
// the README, so a deployment must be able to start without them: BLOCKABLE_DEMO_WORLD=off seeds
// only the platform organisation. Unset stays on, so `npm start` on a fresh machine still gives
// the demo the README promises — a real deployment sets it off (README, "Deploy").

/** The environment, or a test's part of one (Next's typing makes NODE_ENV required on process.env). */
export type Env = Readonly<Record<string, string | undefined>>;

const ON = new Set(["on", "true", "1", "yes"]);
const OFF = new Set(["off", "false", "0", "no"]);

/**
 * An on/off environment switch. An unrecognised value is an error, not a default: a typo in a
 * security switch ("of") must not quietly seed public accounts.
 */
export function readSwitch(env: Env, name: string, defaultValue: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return defaultValue;
  if (ON.has(raw)) return true;
  if (OFF.has(raw)) return false;
  throw new Error(`${name} must be "on" or "off" (or true/false, 1/0, yes/no); got "${env[name]}".`);
}

/** BLOCKABLE_DEMO_WORLD: on (default) seeds the public demo world into an empty database; off seeds no demo accounts, keys or data. */
export function demoWorldEnabled(env: Env = process.env): boolean {
  return readSwitch(env, "BLOCKABLE_DEMO_WORLD", true);
}

/**
 * The login page's demo-login buttons and its "public demo" notice: only while the demo world is
 * on, and BLOCKABLE_DEMO_LOGINS=off hides the buttons of a demo that wants its visitors to type.
 */
export function demoLoginsShown(env: Env = process.env): boolean {
  return demoWorldEnabled(env) && readSwitch(env, "BLOCKABLE_DEMO_LOGINS", true);
}

/** Throws the first bad switch's message; start runs it before touching anything. */
export function assertDeploymentSwitches(env: Env = process.env): void {
  demoWorldEnabled(env);
  readSwitch(env, "BLOCKABLE_DEMO_LOGINS", true);
}
