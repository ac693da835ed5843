import { Ajv, type AnySchema } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { zodResponseFormat } from "openai/helpers/zod";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sampleJsonSchema, stringFromPattern, type SampleOptions } from "./json-schema-sample";

/** mulberry32, seeded per case so every run checks the same values. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// ajv-formats is not installed: the formats are checked with the RFC shapes they stand for.
const FORMAT_CHECKS: Record<string, RegExp> = {
  "date-time": /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  time: /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/,
  email: /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i,
  uri: /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i,
  hostname: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i,
  ipv4: /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/,
  ipv6: /^[0-9a-f:]+$/i,
  duration: /^P(\d+[YMWD])+(T(\d+[HMS])+)?$/,
};

function validators() {
  const options = { strict: false, allErrors: true } as const;
  const draft7 = new Ajv(options);
  const draft2020 = new Ajv2020(options);
  for (const [name, check] of Object.entries(FORMAT_CHECKS)) {
    draft7.addFormat(name, check);
    draft2020.addFormat(name, check);
  }
  return { draft7, draft2020 };
}
const { draft7, draft2020 } = validators();

function errorsOf(schema: AnySchema, value: unknown): string {
  const ajv = typeof schema === "object" && schema !== null && ("$defs" in schema || "prefixItems" in schema || JSON.stringify(schema).includes('"$defs"')) ? draft2020 : draft7;
  const validate = ajv.compile(schema);
  return validate(value) ? "" : ajv.errorsText(validate.errors);
}

const sampleWith = (schema: unknown, seed: number, extra: Partial<SampleOptions> = {}) => sampleJsonSchema(schema, { random: seeded(seed), ...extra });
const SEEDS = Array.from({ length: 25 }, (_, seed) => seed + 1);

const person = {
  type: "object",
  properties: {
    name: { type: "string", minLength: 2, maxLength: 40 },
    age: { type: "integer", minimum: 0, maximum: 130 },
    height: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 3 },
    isActive: { type: "boolean" },
    nickname: { type: ["string", "null"] },
    address: { type: "object", properties: { city: { type: "string" }, zip: { type: "string", pattern: "^\\d{5}$" } }, required: ["city"] },
  },
  required: ["name", "age", "address"],
};

const tree = {
  $defs: { node: { type: "object", properties: { label: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/node" } } }, required: ["label", "children"], additionalProperties: false } },
  type: "object",
  properties: { root: { $ref: "#/$defs/node" } },
  required: ["root"],
  additionalProperties: false,
};

const linkedList = {
  definitions: { item: { type: "object", properties: { value: { type: "integer" }, next: { anyOf: [{ $ref: "#/definitions/item" }, { type: "null" }] } }, required: ["value", "next"], additionalProperties: false } },
  $ref: "#/definitions/item",
};

const VALID_CASES: Array<[string, unknown]> = [
  ["a flat object of every scalar type", { type: "object", properties: { s: { type: "string" }, n: { type: "number" }, i: { type: "integer" }, b: { type: "boolean" }, z: { type: "null" } }, required: ["s", "n", "i", "b", "z"] }],
  ["nested objects with required and optional properties and bounds", person],
  ["arrays within minItems/maxItems", { type: "object", properties: { few: { type: "array", items: { type: "integer" }, minItems: 2, maxItems: 2 }, none: { type: "array", maxItems: 0 }, many: { type: "array", items: { type: "string" }, minItems: 7 } }, required: ["few", "none", "many"] }],
  ["a tuple (prefixItems, no more items)", { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }, { const: "end" }], items: false, minItems: 3 }],
  ["a draft-07 tuple (items array, additionalItems false)", { type: "array", items: [{ type: "boolean" }, { type: "number" }], additionalItems: false }],
  ["enum and const", { type: "object", properties: { colour: { enum: ["red", "green", 3] }, kind: { const: "fixed" }, level: { type: "string", enum: ["low", "high"] } }, required: ["colour", "kind", "level"] }],
  ["anyOf picks a valid branch", { anyOf: [{ type: "string", minLength: 3 }, { type: "integer" }] }],
  ["oneOf with overlapping branches gives a value only one accepts", { oneOf: [{ type: "integer" }, { type: "number" }] }],
  ["oneOf of objects told apart by a const", { oneOf: [{ type: "object", properties: { kind: { const: "a" }, x: { type: "number" } }, required: ["kind", "x"] }, { type: "object", properties: { kind: { const: "b" } }, required: ["kind"] }] }],
  ["oneOf whose first branch also matches the second", { oneOf: [{ type: "object" }, { type: "object", properties: { id: { type: "integer" } }, required: ["id"] }] }],
  ["a type array including null", { type: ["null", "integer"], minimum: 5 }],
  ["string formats", { type: "object", properties: Object.fromEntries(["date-time", "date", "time", "email", "uri", "uuid", "hostname", "ipv4", "ipv6", "duration"].map((format) => [format, { type: "string", format }])), required: ["date-time", "date", "time", "email", "uri", "uuid", "hostname", "ipv4", "ipv6", "duration"] }],
  ["minLength and maxLength", { type: "object", properties: { short: { type: "string", maxLength: 3 }, long: { type: "string", minLength: 50 }, exact: { type: "string", minLength: 4, maxLength: 4 } }, required: ["short", "long", "exact"] }],
  ["patterns", { type: "object", properties: { code: { type: "string", pattern: "^[A-Z]{3}-\\d{4}$" }, choice: { type: "string", pattern: "^(cat|dog|bird)s?$" }, escaped: { type: "string", pattern: "^\\w+\\.\\w+@x\\.io$" }, negated: { type: "string", pattern: "^[^a-z0-9]{2,4}$" } }, required: ["code", "choice", "escaped", "negated"] }],
  ["numeric bounds, exclusive bounds and multipleOf", { type: "object", properties: { a: { type: "number", minimum: 10, maximum: 10 }, b: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 0.001 }, c: { type: "integer", exclusiveMinimum: 1, exclusiveMaximum: 3 }, d: { type: "integer", multipleOf: 7, minimum: 100 }, e: { type: "number", multipleOf: 0.25, maximum: -3 }, f: { type: "integer", multipleOf: 0.5 } }, required: ["a", "b", "c", "d", "e", "f"] }],
  ["$ref into $defs (a recursive tree)", tree],
  ["$ref into definitions (a recursive nullable list)", linkedList],
  ["$ref to the root", { type: "object", properties: { name: { type: "string" }, parent: { anyOf: [{ $ref: "#" }, { type: "null" }] } }, required: ["name", "parent"] }],
  ["allOf is merged", { allOf: [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { properties: { b: { type: "integer", minimum: 3 } }, required: ["b"] }, { properties: { b: { maximum: 4 } } }] }],
  ["$ref with sibling keywords", { $defs: { base: { type: "object", properties: { id: { type: "integer" } }, required: ["id"] } }, $ref: "#/$defs/base", properties: { tag: { type: "string" } }, required: ["tag"] }],
  ["uniqueItems", { type: "array", items: { enum: ["a", "b", "c"] }, minItems: 3, uniqueItems: true }],
  ["minProperties and maxProperties", { type: "object", properties: { a: { type: "string" }, b: { type: "string" }, c: { type: "string" } }, minProperties: 2, maxProperties: 2 }],
  ["an object with only additionalProperties", { type: "object", additionalProperties: { type: "integer" }, minProperties: 2 }],
  ["a schema with no type", { properties: { anything: {} }, required: ["anything"] }],
  ["true (anything)", true],
];

describe("sampleJsonSchema: values valid against the schema", () => {
  it.each(VALID_CASES)("%s", (_label, schema) => {
    for (const seed of SEEDS) {
      const value = sampleWith(schema, seed);
      expect({ seed, value, errors: errorsOf(schema as AnySchema, value) }).toEqual({ seed, value, errors: "" });
    }
  });

  it("emits one to three items where an array allows them, not always none", () => {
    const lengths = SEEDS.map((seed) => (sampleWith({ type: "array", items: { type: "integer" } }, seed) as unknown[]).length);
    expect(Math.min(...lengths)).toBe(1);
    expect(Math.max(...lengths)).toBe(3);
  });

  it("emits every property in strict mode or when additionalProperties is false, required ones always", () => {
    const open = { type: "object", properties: { a: { type: "string" }, b: { type: "string" }, c: { type: "string" } }, required: ["a"] };
    for (const seed of SEEDS) {
      expect(Object.keys(sampleWith(open, seed, { isStrict: true }) as object)).toEqual(["a", "b", "c"]);
      expect(Object.keys(sampleWith({ ...open, additionalProperties: false }, seed) as object)).toEqual(["a", "b", "c"]);
      expect(Object.keys(sampleWith(open, seed) as object)).toContain("a");
    }
  });

  it("prefers the non-null branch of a nullable value", () => {
    expect(SEEDS.map((seed) => sampleWith({ anyOf: [{ type: "null" }, { type: "integer" }] }, seed)).every(Number.isInteger)).toBe(true);
    expect(SEEDS.map((seed) => sampleWith({ type: ["null", "string"] }, seed)).every((value) => typeof value === "string")).toBe(true);
  });

  it("uses a hint only where it satisfies the schema", () => {
    const hint: SampleOptions["hint"] = (key, type) => (key === "city" && type === "string" ? "Lisbon" : key === "temperatureC" ? 21 : undefined);
    const schema = { type: "object", properties: { city: { type: "string" }, temperatureC: { type: "number" }, low: { type: "integer", maximum: 5 }, short: { type: "string", maxLength: 3 } }, required: ["city", "temperatureC", "low", "short"] };
    const value = sampleWith(schema, 1, { hint: (key, type) => hint(key === "low" ? "temperatureC" : key === "short" ? "city" : key, type) }) as Record<string, unknown>;
    expect(value).toMatchObject({ city: "Lisbon", temperatureC: 21 });
    expect(value.low).toBeLessThanOrEqual(5);
    expect(value.short).toBe("Lis");
  });

  it("keeps a recursive tree small: one more full level, then the minimum", () => {
    for (const seed of SEEDS) expect(JSON.stringify(sampleWith(tree, seed)).length).toBeLessThan(1_000);
  });

  it("is deterministic for one random source and varies with another", () => {
    expect(sampleWith(person, 7)).toEqual(sampleWith(person, 7));
    expect(new Set(SEEDS.map((seed) => JSON.stringify(sampleWith(person, seed)))).size).toBeGreaterThan(20);
  });
});

describe("sampleJsonSchema: what zod and OpenAI's helpers generate parses back", () => {
  type Node = { label: string; children: Node[] };
  const NodeSchema: z.ZodType<Node> = z.lazy(() => z.object({ label: z.string(), children: z.array(NodeSchema) }));
  const Report = z.object({
    city: z.string(),
    temperatureC: z.number(),
    conditions: z.enum(["sunny", "cloudy", "rain"]),
    observedAt: z.string().datetime(),
    day: z.string().date(),
    reporter: z.string().email(),
    id: z.string().uuid(),
    source: z.string().url(),
    code: z.string().regex(/^[A-Z]{2}\d{2}$/),
    rating: z.number().int().min(1).max(5).nullable(),
    tags: z.array(z.string().min(2)).min(1).max(3),
    wind: z.object({ speedKmh: z.number().nonnegative(), direction: z.enum(["N", "E", "S", "W"]) }),
    event: z.discriminatedUnion("kind", [z.object({ kind: z.literal("storm"), severity: z.number().int() }), z.object({ kind: z.literal("calm") })]),
    tree: NodeSchema,
  });

  it.each<[string, () => unknown, boolean]>([
    ["zodResponseFormat (draft-07, strict, $ref to definitions)", () => zodResponseFormat(Report, "report").json_schema.schema, true],
    ["z.toJSONSchema (2020-12, $defs)", () => z.toJSONSchema(Report), false],
  ])("%s", (_label, schemaOf, isStrict) => {
    const schema = schemaOf();
    for (const seed of SEEDS) {
      const value = sampleWith(schema, seed, { isStrict });
      const parsed = Report.safeParse(value);
      expect({ seed, value, issues: parsed.error?.issues ?? [] }).toEqual({ seed, value, issues: [] });
    }
  });
});

describe("sampleJsonSchema: never throws, bounded work, whatever it is given", () => {
  function nested(levels: number): Record<string, unknown> {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < levels; i++) schema = { type: "object", properties: { child: schema }, required: ["child"], additionalProperties: false };
    return schema;
  }

  function depthOf(value: unknown): number {
    let depth = 0;
    while (typeof value === "object" && value !== null && "child" in value) [value, depth] = [(value as { child: unknown }).child, depth + 1];
    return depth;
  }

  it.each([1, 20, 30])("%i nested levels are generated in full", (levels) => {
    const schema = nested(levels);
    const value = sampleWith(schema, 1);
    expect(errorsOf(schema, value)).toBe("");
    expect(depthOf(value)).toBe(levels);
  });

  it("a depth bomb (10,000 levels) gives a bounded value at once", () => {
    const startedAtMs = performance.now();
    const value = sampleWith(nested(10_000), 1);
    expect(performance.now() - startedAtMs).toBeLessThan(1_000);
    expect(depthOf(value)).toBeLessThan(100);
  });

  it("an exponential schema (two required children per level, 40 levels) stays within the node budget", () => {
    const $defs: Record<string, unknown> = { l40: { type: "string" } };
    for (let level = 39; level >= 0; level--) $defs[`l${level}`] = { type: "object", properties: { left: { $ref: `#/$defs/l${level + 1}` }, right: { $ref: `#/$defs/l${level + 1}` } }, required: ["left", "right"] };
    const startedAtMs = performance.now();
    const value = sampleWith({ $defs, $ref: "#/$defs/l0" }, 1);
    expect(performance.now() - startedAtMs).toBeLessThan(1_000);
    expect(JSON.stringify(value).length).toBeLessThan(200_000);
  });

  it("a wide oneOf nested in oneOf does not multiply its retries", () => {
    let schema: unknown = { type: "integer" };
    for (let level = 0; level < 30; level++) schema = { oneOf: [{ type: "object", properties: { x: schema }, required: ["x"] }, { type: "object", properties: { x: schema }, required: ["x"] }, { type: "object" }] };
    const startedAtMs = performance.now();
    sampleWith(schema, 1);
    expect(performance.now() - startedAtMs).toBeLessThan(1_000);
  });

  it.each<[string, unknown]>([
    ["a cycle of refs", { $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" }],
    ["a self ref", { $ref: "#" }],
    ["a required self-recursive object", { type: "object", properties: { again: { $ref: "#" } }, required: ["again"] }],
    ["a dangling ref", { $ref: "#/$defs/missing" }],
    ["a remote ref", { $ref: "https://example.com/schema.json" }],
    ["a non-string ref", { $ref: 5 }],
    ["a string", "object"],
    ["a number", 42],
    ["null", null],
    ["an array", [{ type: "string" }]],
    ["false", false],
    ["a numeric type", { type: 5 }],
    ["unknown types", { type: ["bogus", "nonsense"] }],
    ["properties as an array", { type: "object", properties: [1, 2], required: "a" }],
    ["items as a string", { type: "array", items: "x", minItems: 2 }],
    ["an empty enum", { enum: [] }],
    ["anyOf as a string", { anyOf: "x" }],
    ["an empty oneOf", { oneOf: [] }],
    ["allOf of garbage", { allOf: [1, null, "x", { type: "string" }] }],
    ["minItems of a billion", { type: "array", minItems: 1e9 }],
    ["minLength of a trillion", { type: "string", minLength: 1e12 }],
    ["impossible bounds", { type: "integer", minimum: 10, maximum: 1 }],
    ["a huge minProperties", { type: "object", minProperties: 1e9 }],
    ["infinite-looking numbers", { type: "number", minimum: -1e308, maximum: 1e308, multipleOf: 1e-300 }],
    ["a pattern that does not parse", { type: "string", pattern: "([a-" }],
    ["a lookahead pattern", { type: "string", pattern: "^(?=a)\\w+$" }],
    ["an empty-group bomb", { type: "string", pattern: `${"(".repeat(30)}${")*".repeat(30)}` }],
    ["a __proto__ property", JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}},"required":["__proto__"]}')],
  ])("%s", (_label, schema) => {
    const value = sampleWith(schema, 3);
    // Any JSON value, and a small one: what the simulator then writes as its reply.
    expect(JSON.stringify(value)?.length ?? 0).toBeLessThan(10_000);
  });

  it("a __proto__ property stays an own property, never a prototype", () => {
    const value = sampleWith(JSON.parse('{"type":"object","properties":{"__proto__":{"type":"object","properties":{"polluted":{"const":true}},"required":["polluted"]}},"required":["__proto__"]}'), 1) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(value))).toEqual(JSON.parse('{"__proto__":{"polluted":true}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("stringFromPattern", () => {
  it.each([
    "^[A-Z]{3}-\\d{4}$",
    "^(?:\\+?1[-. ]?)?\\(?\\d{3}\\)?[-. ]?\\d{3}[-. ]?\\d{4}$",
    "^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$",
    "^#[0-9a-fA-F]{6}$",
    "^(?<year>\\d{4})-(?<month>0[1-9]|1[0-2])$",
    "^\\u0041\\x42\\.[^\\s]+$",
    "v\\d+\\.\\d+",
    "^[\\w-]{1,3}[]]?$".replace("[]]?", ""),
    "^(a+)+$",
    "^(a|aa)*b{2,}$",
    "^\\p{L}+$",
  ])("%s → a matching string", (pattern) => {
    for (const seed of SEEDS) {
      const text = stringFromPattern(pattern, seeded(seed));
      expect(text).not.toBeNull();
      expect(new RegExp(pattern, "u").test(text!)).toBe(true);
    }
  });

  it.each(["(?=x)y", "(a)\\1", "[", "a{2,1}", "(?<!x)y", "x".repeat(2_000)])("%s → null (cannot honour it)", (pattern) => {
    expect(stringFromPattern(pattern, seeded(1))).toBeNull();
  });
});
