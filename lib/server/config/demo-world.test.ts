import { describe, expect, it } from "vitest";
import { assertDeploymentSwitches, demoLoginsShown, demoWorldEnabled } from "./demo-world";

describe("BLOCKABLE_DEMO_WORLD", () => {
  it.each([
    [undefined, true],
    ["", true],
    ["on", true],
    ["TRUE", true],
    ["1", true],
    ["yes", true],
    ["off", false],
    [" Off ", false],
    ["false", false],
    ["0", false],
    ["no", false],
  ])("%j → demo world %s", (value, expected) => {
    expect(demoWorldEnabled({ BLOCKABLE_DEMO_WORLD: value })).toBe(expected);
  });

  it("refuses a value it does not know instead of seeding public accounts", () => {
    expect(() => demoWorldEnabled({ BLOCKABLE_DEMO_WORLD: "of" })).toThrow('BLOCKABLE_DEMO_WORLD must be "on" or "off" (or true/false, 1/0, yes/no); got "of".');
    expect(() => assertDeploymentSwitches({ BLOCKABLE_DEMO_LOGINS: "hide" })).toThrow(/BLOCKABLE_DEMO_LOGINS must be "on" or "off"/);
  });
});

describe("demo-login buttons and notice", () => {
  it.each([
    [{}, true],
    [{ BLOCKABLE_DEMO_LOGINS: "off" }, false],
    [{ BLOCKABLE_DEMO_WORLD: "off" }, false],
    // With no demo world there are no demo accounts to offer, whatever the logins switch says.
    [{ BLOCKABLE_DEMO_WORLD: "off", BLOCKABLE_DEMO_LOGINS: "on" }, false],
  ])("%j → shown %s", (env, expected) => {
    expect(demoLoginsShown(env)).toBe(expected);
  });
});
