import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findTooDeep, findTooDeepInJsonText, formatJsonPath } from "./json-depth";

/** `depth` arrays, one inside the other, as text: "[[[…]]]". */
const nestedArraysText = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

/** A JSON schema whose property `a` holds `b` holds `a`… `levels` properties deep. */
function deepSchema(levels: number): unknown {
  let schema: unknown = { type: "string" };
  for (let i = levels; i > 0; i--) schema = { type: "object", properties: { [i % 2 ? "a" : "b"]: schema } };
  return schema;
}

describe("findTooDeep", () => {
  it.each<[string, unknown, number, string | null]>([
    ["a string has no depth", "text", 0, null],
    ["an empty object is 1 deep", {}, 1, null],
    ["an empty object is too deep for 0, at the top", {}, 0, ""],
    ["an array of numbers is 1 deep", [1, 2, 3], 1, null],
    ['{"a":[{}]} is 3 deep', { a: [{}] }, 3, null],
    ['{"a":[{}]} is too deep for 2 at a.0', { a: [{}] }, 2, "a.0"],
    ["strings and numbers at the bottom add nothing", { a: { b: "deep text", c: 1 } }, 2, null],
    ["null is not a level", { a: null }, 1, null],
    ["the first too-deep branch is named", { ok: {}, first: { x: {} }, second: { y: {} } }, 2, "first.x"],
    ["an array index names its element", { messages: [{ content: "hi" }, { content: [{ type: "text" }] }] }, 4, "messages.1.content.0"],
  ])("%s", (_, value, maxDepth, expected) => {
    expect(findTooDeep(value, maxDepth)).toBe(expected);
  });

  it("names a too-deep JSON schema by its first six segments", () => {
    const body = { model: "m", messages: [], response_format: { type: "json_schema", json_schema: { name: "x", schema: deepSchema(70) } } };
    expect(findTooDeep(body, 64)).toBe("response_format.json_schema.schema.properties.a.properties…");
  });

  it("accepts the same schema when it fits", () => {
    const body = { response_format: { json_schema: { schema: deepSchema(30) } } };
    expect(findTooDeep(body, 64)).toBeNull();
  });

  it("walks a 100,000-deep array without overflowing the stack (JSON.stringify cannot)", () => {
    const deep = JSON.parse(nestedArraysText(100_000)) as unknown;
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(findTooDeep(deep, 64)).toBe("0.0.0.0.0.0…");
  });

  it("ends on a cyclic value: it never walks below the limit", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(findTooDeep(cyclic, 64)).toBe("self.self.self.self.self.self…");
  });
});

describe("findTooDeepInJsonText", () => {
  it.each<[string, string, number, string | null]>([
    ["a number", "42", 0, null],
    ["an empty object", "{}", 1, null],
    ["an empty object, too deep at the top", "{}", 0, ""],
    ["object in array in object", '{"a":[{}]}', 2, "a.0"],
    ["the index counts elements, not nested commas", '[[1,2],{"k":3,"l":4},[[]]]', 2, "2.0"],
    ["a string value is not a key", '{"a":"b","c":{"d":{}}}', 2, "c.d"],
    ["brackets inside strings are text", '{"a":"[[[[{{{{","b":1}', 1, null],
    ["escaped quotes stay inside the key", '{"say \\"hi\\"":[[]]}', 2, 'say "hi".0'],
    ["whitespace between tokens", '{ "a" : [ { "b" : { } } ] }', 3, "a.0.b"],
    ["an unterminated string is left to JSON.parse", '{"a":"[[[', 1, null],
  ])("%s", (_, text, maxDepth, expected) => {
    expect(findTooDeepInJsonText(text, maxDepth)).toBe(expected);
  });

  it("names the field of a deep response_format before the body is parsed", () => {
    const text = JSON.stringify({ model: "m", response_format: { json_schema: { schema: deepSchema(80) } } });
    expect(findTooDeepInJsonText(text, 64)).toBe("response_format.json_schema.schema.properties.a.properties…");
  });

  it("reads a 2 MiB, 1,048,576-deep body", () => {
    expect(findTooDeepInJsonText(nestedArraysText(1_048_576), 64)).toBe("0.0.0.0.0.0…");
  });

  it("agrees with findTooDeep on the parsed value, for any JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 7 }), (value, maxDepth) => {
        expect(findTooDeepInJsonText(JSON.stringify(value, null, 1), maxDepth)).toBe(findTooDeep(value, maxDepth));
      }),
      { numRuns: 500 },
    );
  });
});

describe("formatJsonPath", () => {
  it.each<[string, (string | number)[], string]>([
    ["the top level", [], ""],
    ["a short path in full", ["tools", 0, "function", "parameters"], "tools.0.function.parameters"],
    ["six segments in full", ["a", "b", "c", "d", "e", "f"], "a.b.c.d.e.f"],
    ["seven shortened to six and …", ["a", "b", "c", "d", "e", "f", "g"], "a.b.c.d.e.f…"],
  ])("%s", (_, segments, expected) => {
    expect(formatJsonPath(segments)).toBe(expected);
  });
});
