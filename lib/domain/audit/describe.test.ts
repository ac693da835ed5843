import { describe, expect, test } from "vitest";
import { auditDetailString, describeAuditAction, describeAuditDetail } from "./describe";

describe("describeAuditAction", () => {
  test.each<[string, string]>([
    ["collateral.freeze", "Froze collateral"],
    ["collateral.liquidate", "Liquidated collateral"],
    ["loan.coverageBelowMaintenance", "Margin call opened"],
    ["alert.acknowledge", "Acknowledged an alert"],
    ["loan.somethingNew", "Loan something new"],
    ["webhook_endpoint.created", "Webhook endpoint created"],
  ])("%s → %s", (action, words) => {
    expect(describeAuditAction(action)).toBe(words);
  });
});

describe("describeAuditDetail: units from the key names", () => {
  test.each<[string, string, string[]]>([
    ["µUSD as dollars, bps as percent", '{"mode":"PROTECTIVE","amountMicros":"12500000","coverageBps":12010}', ["Mode: PROTECTIVE", "Amount: $12.50", "Coverage: 120.10%"]],
    ["a µUSD amount given as a number", '{"principalMicros":250000000000}', ["Principal: $250,000.00"]],
    ["latency in ms", '{"latencyMs":41}', ["Latency: 41 ms"]],
    ["an approval: APR in %, the multiplier as a factor", '{"aprBps":1650,"multiplierBps":12500}', ["APR: 16.50%", "Multiplier: 1.25×"]],
    ["null and nested values", '{"reason":null,"overdue":[{"seq":1}]}', ["Reason: —", 'Overdue: [{"seq":1}]']],
    ["an empty object", "{}", []],
    ["not JSON: shown as it is", "freeze by hand", ["freeze by hand"]],
    ["a JSON array", "[1,2]", ["[1,2]"]],
    ["a key ending in Micros that is not an integer stays text", '{"amountMicros":"lots"}', ["Amount: lots"]],
  ])("%s", (_label, json, lines) => {
    expect(describeAuditDetail(json)).toEqual(lines);
  });
});

describe("auditDetailString", () => {
  test.each<[string, string, string | null]>([
    ['{"tokenId":"tok_1"}', "tokenId", "tok_1"],
    ['{"tokenId":""}', "tokenId", null],
    ['{"tokenId":7}', "tokenId", null],
    ["{}", "tokenId", null],
    ["not json", "tokenId", null],
  ])("%s[%s] → %s", (json, key, value) => {
    expect(auditDetailString(json, key)).toBe(value);
  });
});
