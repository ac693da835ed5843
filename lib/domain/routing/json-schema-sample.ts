// A value valid against a JSON Schema, for the offline simulator's structured outputs
// (`response_format: json_schema`) and tool-call arguments. A developer builds against it, so the
// value must pass the same validators their client runs (zod via `parse()`, ajv, pydantic).
//
// It is also fed whatever a client sends, so it is total and bounded: cyclic or dangling `$ref`s, a
// schema nested hundreds of levels deep, `minItems: 1e9`, a pattern built to backtrack forever or
// plain garbage give a value (valid where the schema can be satisfied at all) in bounded time, and
// never an exception. Bounds: past `maxDepth` levels, or once `maxNodes` values were generated,
// only what is required is generated (arrays at minItems, nullable branches as null); past a hard
// depth or four times the node budget, objects and arrays come out empty. A `$ref` met again on its
// own path (a recursive type) is generated once more, then minimally, so a tree schema gives a
// small tree rather than the node budget's worth. User patterns are never executed: strings for
// them are generated from the pattern's syntax.

export type SampleHint = (key: string, type: "string" | "number" | "integer") => string | number | undefined;

export type SampleOptions = {
  /** Uniform in [0, 1): the only source of variety, so a seeded one makes the value deterministic. */
  random: () => number;
  /** A realistic value for a property by its name ("city" → a city); used only when it satisfies the schema. */
  hint?: SampleHint;
  /** OpenAI strict mode: every object carries all of its properties. */
  isStrict?: boolean;
  /** Nesting levels generated in full (each `$ref` hop counts as one). */
  maxDepth?: number;
  /** Values generated in full before only required ones are. */
  maxNodes?: number;
};

type Schema = Record<string, unknown>;

type State = {
  root: unknown;
  random: () => number;
  hint: SampleHint | undefined;
  isStrict: boolean;
  maxDepth: number;
  maxNodes: number;
  nodes: number;
  /** How many times each `$ref` is open on the current path. */
  openRefs: Map<string, number>;
};

const DEFAULT_MAX_DEPTH = 32;
const DEFAULT_MAX_NODES = 1_000;
/** Levels past maxDepth still followed (minimally) before giving up with null. */
const HARD_EXTRA_DEPTH = 32;
const MAX_REF_HOPS = 64;
const MAX_ALL_OF_MEMBERS = 32;
/** A recursive `$ref` is generated in full this many times on one path, then minimally. */
const MAX_RECURSION = 2;
const MAX_ARRAY_ITEMS = 100;
const MAX_EXTRA_PROPERTIES = 32;
const MAX_STRING_LENGTH = 4_096;
const MAX_ONE_OF_TRIES = 4;

const TYPE_NAMES = ["object", "array", "string", "number", "integer", "boolean", "null"] as const;
type TypeName = (typeof TYPE_NAMES)[number];

const WORDS = ["alpha", "bravo", "credit", "delta", "echo", "route", "model", "token", "ledger", "harbor", "maple", "signal", "orbit", "summit", "river", "canvas"];
const NAMES = ["ada", "grace", "alan", "linus", "hedy", "katherine", "edsger", "barbara"];

export function sampleJsonSchema(schema: unknown, options: SampleOptions): unknown {
  const state: State = {
    root: schema,
    random: options.random,
    hint: options.hint,
    isStrict: options.isStrict ?? false,
    maxDepth: Math.max(1, options.maxDepth ?? DEFAULT_MAX_DEPTH),
    maxNodes: Math.max(1, options.maxNodes ?? DEFAULT_MAX_NODES),
    nodes: 0,
    openRefs: new Map(),
  };
  try {
    return sample(state, schema, "", 0, false);
  } catch {
    // Nothing above throws on a JSON value; this guards against what JSON cannot carry (getters, proxies).
    return {};
  }
}

function isSchemaObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function nonNegativeInt(value: unknown, fallback: number): number {
  return isFiniteNumber(value) && value >= 0 ? Math.floor(value) : fallback;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))];
}

/** Sets a key without `__proto__` turning into a prototype change. */
function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

// ───────────────────────────── $ref, allOf ─────────────────────────────

/** A local JSON pointer (`#`, `#/$defs/x`, `#/definitions/x`) into the root; anything else is unknown. */
function resolveRef(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let current: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    let token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    try {
      token = decodeURIComponent(token);
    } catch {
      // A malformed escape is read as written.
    }
    if (typeof current !== "object" || current === null || !hasOwn(current, token)) return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}

const LOWER_BOUNDS = new Set(["minimum", "minLength", "minItems", "minProperties"]);
const UPPER_BOUNDS = new Set(["maximum", "maxLength", "maxItems", "maxProperties"]);
/** Keywords two members cannot share in one object: the second is kept as an allOf member. */
const DEFERRED = new Set(["$ref", "anyOf", "oneOf", "allOf", "const", "pattern", "format", "multipleOf", "exclusiveMinimum", "exclusiveMaximum", "contains", "prefixItems", "additionalItems"]);

function asTypeList(type: unknown): string[] | null {
  if (typeof type === "string") return [type];
  if (Array.isArray(type)) return type.filter((item): item is string => typeof item === "string");
  return null;
}

/** Both schemas at once, as one schema: the intersection of what each allows, where it is simple. */
function mergeSchemas(a: Schema, b: Schema): Schema {
  const merged: Schema = { ...a };
  const deferred: Schema[] = [];
  for (const key of Object.keys(b)) {
    const incoming = b[key];
    if (!hasOwn(merged, key)) {
      setKey(merged, key, incoming);
      continue;
    }
    const current = merged[key];
    if (key === "properties" && isSchemaObject(current) && isSchemaObject(incoming)) {
      const properties: Schema = { ...current };
      for (const name of Object.keys(incoming)) setKey(properties, name, hasOwn(properties, name) ? { allOf: [properties[name], incoming[name]] } : incoming[name]);
      merged.properties = properties;
    } else if (key === "required" && Array.isArray(current) && Array.isArray(incoming)) {
      merged.required = [...new Set([...current, ...incoming])];
    } else if (LOWER_BOUNDS.has(key) && isFiniteNumber(current) && isFiniteNumber(incoming)) {
      merged[key] = Math.max(current, incoming);
    } else if (UPPER_BOUNDS.has(key) && isFiniteNumber(current) && isFiniteNumber(incoming)) {
      merged[key] = Math.min(current, incoming);
    } else if (key === "type") {
      const left = asTypeList(current);
      const right = asTypeList(incoming);
      if (left && right) {
        // "integer" is a "number": their intersection is "integer".
        const both = left.flatMap((type) => (right.includes(type) ? [type] : type === "number" && right.includes("integer") ? ["integer"] : type === "integer" && right.includes("number") ? ["integer"] : []));
        if (both.length > 0) merged.type = both;
      }
    } else if (key === "enum" && Array.isArray(current) && Array.isArray(incoming)) {
      const allowed = new Set(incoming.map((value) => JSON.stringify(value)));
      const both = current.filter((value) => allowed.has(JSON.stringify(value)));
      if (both.length > 0) merged.enum = both;
    } else if (key === "additionalProperties" || key === "items") {
      if (current === false || incoming === false) merged[key] = false;
      else if (isSchemaObject(current) && isSchemaObject(incoming)) merged[key] = { allOf: [current, incoming] };
      else if (isSchemaObject(incoming)) merged[key] = incoming;
    } else if (DEFERRED.has(key)) {
      deferred.push({ [key]: incoming });
    }
    // Anything else (titles, descriptions, defaults): the first one stands.
  }
  if (deferred.length > 0) merged.allOf = [...(Array.isArray(merged.allOf) ? merged.allOf : []), ...deferred];
  return merged;
}

const ANNOTATIONS = new Set(["title", "description", "$comment", "default", "examples", "$schema", "$id", "$defs", "definitions", "deprecated", "readOnly", "writeOnly"]);

function hasConstraints(schema: Schema): boolean {
  return Object.keys(schema).some((key) => !ANNOTATIONS.has(key));
}

/**
 * The schema with its top-level `$ref`s and `allOf`s folded in, and the refs followed on the way.
 * `false` when it allows nothing.
 */
function flatten(state: State, schema: Schema): { schema: Schema | false; refs: string[] } {
  let current = schema;
  const refs: string[] = [];
  for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
    if (typeof current.$ref === "string") {
      const ref = current.$ref;
      const { $ref: _ref, ...rest } = current;
      const target = resolveRef(state.root, ref);
      if (target === false) return { schema: false, refs };
      refs.push(ref);
      const resolved = isSchemaObject(target) ? target : {};
      current = hasConstraints(rest) ? mergeSchemas(resolved, rest) : resolved;
      continue;
    }
    if (hasOwn(current, "allOf")) {
      const { allOf, ...rest } = current;
      let merged: Schema = rest;
      for (const member of Array.isArray(allOf) ? allOf.slice(0, MAX_ALL_OF_MEMBERS) : []) {
        if (member === false) return { schema: false, refs };
        if (isSchemaObject(member)) merged = mergeSchemas(merged, member);
      }
      current = merged;
      continue;
    }
    break;
  }
  return { schema: current, refs };
}

// ───────────────────────────── Sampling ─────────────────────────────

function sample(state: State, schema: unknown, key: string, depth: number, isMinimalIn: boolean): unknown {
  state.nodes++;
  if (depth > state.maxDepth + HARD_EXTRA_DEPTH) return null;
  if (schema === true || schema === undefined) return anyValue(state, key);
  if (!isSchemaObject(schema)) return null;

  const { schema: flat, refs } = flatten(state, schema);
  if (flat === false) return null;
  let isMinimal = isMinimalIn || depth > state.maxDepth || state.nodes > state.maxNodes;
  for (const ref of refs) {
    const open = (state.openRefs.get(ref) ?? 0) + 1;
    state.openRefs.set(ref, open);
    if (open > MAX_RECURSION) isMinimal = true;
  }
  try {
    return sampleFlat(state, flat, key, depth + refs.length, isMinimal);
  } finally {
    for (const ref of refs) state.openRefs.set(ref, state.openRefs.get(ref)! - 1);
  }
}

function isExhausted(state: State, depth: number): boolean {
  return state.nodes > state.maxNodes * 4 || depth > state.maxDepth + HARD_EXTRA_DEPTH / 2;
}

function sampleFlat(state: State, schema: Schema, key: string, depth: number, isMinimal: boolean): unknown {
  if (hasOwn(schema, "const")) return schema.const;

  const union = Array.isArray(schema.oneOf) && schema.oneOf.length > 0 ? "oneOf" : Array.isArray(schema.anyOf) && schema.anyOf.length > 0 ? "anyOf" : null;
  if (union) return sampleUnion(state, schema, union, key, depth, isMinimal);

  const types = allowedTypes(schema);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const members = types ? schema.enum.filter((value) => types.some((type) => hasType(value, type))) : schema.enum;
    const choices = members.length > 0 ? members : schema.enum;
    if (isMinimal) return choices[0];
    // A hinted value that is a member ("conditions" → what a tool reported) reads best.
    const hinted = state.hint?.(key, "string");
    return typeof hinted === "string" && choices.includes(hinted) ? hinted : pick(choices, state.random);
  }

  switch (chooseType(schema, types, isMinimal)) {
    case "object":
      return sampleObject(state, schema, depth, isMinimal);
    case "array":
      return sampleArray(state, schema, key, depth, isMinimal);
    case "string":
      return sampleString(state, schema, key);
    case "integer":
      return sampleNumber(state, schema, key, true);
    case "number":
      return sampleNumber(state, schema, key, false);
    case "boolean":
      return isMinimal ? false : state.random() < 0.5;
    case "null":
      return null;
    default:
      return anyValue(state, key);
  }
}

function sampleUnion(state: State, schema: Schema, union: "oneOf" | "anyOf", key: string, depth: number, isMinimal: boolean): unknown {
  const branches = (schema[union] as unknown[]).slice(0, 64);
  const { [union]: _union, ...rest } = schema;
  const withRest = (branch: unknown): unknown => (branch === true ? rest : isSchemaObject(branch) && hasConstraints(rest) ? mergeSchemas(rest, branch) : branch);
  // Richer values first; when only what is required is wanted, branches that end recursion first.
  const order = branches.map((branch, index) => ({ branch, index, rank: branchRank(state, branch, isMinimal) })).sort((a, b) => a.rank - b.rank || a.index - b.index);
  let fallback: unknown = undefined;
  for (const [attempt, { branch, index }] of order.entries()) {
    if (branch === false) continue;
    const value = sample(state, withRest(branch), key, depth + 1, isMinimal);
    if (fallback === undefined) fallback = value;
    // oneOf wants exactly one branch to match: a value another branch also accepts is not valid.
    const isUnique = union === "anyOf" || branches.every((other, otherIndex) => otherIndex === index || !conforms(state, value, other, 0));
    if (isUnique || attempt + 1 >= MAX_ONE_OF_TRIES || isExhausted(state, depth)) return isUnique ? value : fallback;
  }
  return fallback === undefined ? null : fallback;
}

function branchRank(state: State, branch: unknown, isMinimal: boolean): number {
  if (!isSchemaObject(branch)) return 1;
  const target = typeof branch.$ref === "string" ? resolveRef(state.root, branch.$ref) : branch;
  const types = isSchemaObject(target) ? asTypeList(target.type) : null;
  const isNull = types !== null && types.length === 1 && types[0] === "null";
  if (isMinimal) return isNull ? 0 : typeof branch.$ref === "string" ? 2 : 1;
  return isNull ? 1 : 0;
}

function allowedTypes(schema: Schema): TypeName[] | null {
  const list = asTypeList(schema.type);
  if (!list) return null;
  const known = list.filter((type): type is TypeName => (TYPE_NAMES as readonly string[]).includes(type));
  return known.length > 0 ? known : null;
}

function chooseType(schema: Schema, types: TypeName[] | null, isMinimal: boolean): TypeName | "any" {
  if (types) {
    if (types.length === 1) return types[0];
    if (isMinimal) {
      for (const preferred of ["null", "boolean", "integer", "number", "string", "array", "object"] as const) if (types.includes(preferred)) return preferred;
    }
    return types.find((type) => type !== "null") ?? "null";
  }
  // No type: what its keywords are about.
  if (isSchemaObject(schema.properties) || Array.isArray(schema.required) || hasOwn(schema, "additionalProperties") || hasOwn(schema, "minProperties")) return "object";
  if (hasOwn(schema, "items") || hasOwn(schema, "prefixItems") || hasOwn(schema, "minItems") || hasOwn(schema, "maxItems")) return "array";
  if (hasOwn(schema, "minLength") || hasOwn(schema, "maxLength") || hasOwn(schema, "pattern") || hasOwn(schema, "format")) return "string";
  if (hasOwn(schema, "minimum") || hasOwn(schema, "maximum") || hasOwn(schema, "exclusiveMinimum") || hasOwn(schema, "exclusiveMaximum") || hasOwn(schema, "multipleOf")) return "number";
  return "any";
}

/** A schema that allows anything: a short string, which reads best in a reply. */
function anyValue(state: State, key: string): unknown {
  const hinted = state.hint?.(key, "string");
  return typeof hinted === "string" ? hinted : `${pick(WORDS, state.random)} ${pick(WORDS, state.random)}`;
}

function sampleObject(state: State, schema: Schema, depth: number, isMinimal: boolean): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  if (isExhausted(state, depth)) return object;
  const properties = isSchemaObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string") : []);
  const isClosed = schema.additionalProperties === false || schema.unevaluatedProperties === false;
  // OpenAI's strict mode lists every property as required; a closed object reads best complete too.
  const isEveryProperty = !isMinimal && (state.isStrict || isClosed);
  const additional = isSchemaObject(schema.additionalProperties) ? schema.additionalProperties : true;

  const names = Object.keys(properties);
  for (const name of names) {
    if (required.has(name) || isEveryProperty || (!isMinimal && state.random() < 0.5)) setKey(object, name, sample(state, properties[name], name, depth + 1, isMinimal));
  }
  for (const name of required) {
    if (!hasOwn(object, name)) setKey(object, name, sample(state, hasOwn(properties, name) ? properties[name] : additional, name, depth + 1, isMinimal));
  }

  let count = Object.keys(object).length;
  const minProperties = Math.min(nonNegativeInt(schema.minProperties, 0), names.length + required.size + MAX_EXTRA_PROPERTIES);
  for (let index = 0; count < minProperties && index < names.length; index++) {
    if (hasOwn(object, names[index])) continue;
    setKey(object, names[index], sample(state, properties[names[index]], names[index], depth + 1, true));
    count++;
  }
  for (let extra = 1; !isClosed && count < minProperties && extra <= MAX_EXTRA_PROPERTIES; extra++) {
    if (hasOwn(object, `extra_${extra}`)) continue;
    setKey(object, `extra_${extra}`, sample(state, additional, `extra_${extra}`, depth + 1, true));
    count++;
  }

  const maxProperties = nonNegativeInt(schema.maxProperties, Infinity);
  if (count > maxProperties) {
    for (const name of Object.keys(object).reverse()) {
      if (count <= maxProperties) break;
      if (required.has(name)) continue;
      delete object[name];
      count--;
    }
  }
  return object;
}

function sampleArray(state: State, schema: Schema, key: string, depth: number, isMinimal: boolean): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
  const rest: unknown = Array.isArray(schema.prefixItems) ? (schema.items ?? true) : Array.isArray(schema.items) ? (schema.additionalItems ?? true) : (schema.items ?? true);
  const minItems = Math.min(nonNegativeInt(schema.minItems, 0), MAX_ARRAY_ITEMS);
  let maxItems = Math.min(nonNegativeInt(schema.maxItems, Infinity), MAX_ARRAY_ITEMS);
  if (rest === false) maxItems = Math.min(maxItems, prefix.length);
  // One to three items where allowed, so a developer sees the item shape.
  let count = isMinimal || isExhausted(state, depth) ? minItems : Math.max(minItems, Math.min(maxItems, 1 + Math.floor(state.random() * 3)));
  count = Math.min(count, Math.max(minItems, maxItems));
  if (isExhausted(state, depth)) count = 0;

  const singular = key.endsWith("s") && key.length > 3 ? key.slice(0, -1) : key;
  const isUnique = schema.uniqueItems === true;
  const seen = new Set<string>();
  const items: unknown[] = [];
  for (let index = 0; items.length < count && index < count * 4; index++) {
    const position = items.length;
    let itemSchema = position < prefix.length ? prefix[position] : rest;
    if (position === 0 && isSchemaObject(schema.contains)) itemSchema = isSchemaObject(itemSchema) ? mergeSchemas(itemSchema, schema.contains) : schema.contains;
    const item = sample(state, itemSchema, singular, depth + 1, isMinimal);
    if (isUnique) {
      const text = JSON.stringify(item) ?? "";
      if (seen.has(text)) continue;
      seen.add(text);
    }
    items.push(item);
  }
  return items;
}

// ───────────────────────────── Strings ─────────────────────────────

function twoDigits(value: number): string {
  return String(value).padStart(2, "0");
}

function hex(random: () => number, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += "0123456789abcdef"[Math.floor(random() * 16)];
  return text;
}

/** Values for the formats OpenAI's structured outputs support, and the other common ones. */
const FORMATS: Record<string, (random: () => number) => string> = {
  "date-time": (random) => `2025-${twoDigits(1 + Math.floor(random() * 12))}-${twoDigits(1 + Math.floor(random() * 28))}T${twoDigits(Math.floor(random() * 24))}:${twoDigits(Math.floor(random() * 60))}:00Z`,
  date: (random) => `2025-${twoDigits(1 + Math.floor(random() * 12))}-${twoDigits(1 + Math.floor(random() * 28))}`,
  time: (random) => `${twoDigits(Math.floor(random() * 24))}:${twoDigits(Math.floor(random() * 60))}:00`,
  duration: (random) => `P${1 + Math.floor(random() * 9)}D`,
  email: (random) => `${pick(NAMES, random)}@example.com`,
  "idn-email": (random) => `${pick(NAMES, random)}@example.com`,
  hostname: (random) => `${pick(WORDS, random)}.example.com`,
  "idn-hostname": (random) => `${pick(WORDS, random)}.example.com`,
  ipv4: (random) => `192.0.2.${1 + Math.floor(random() * 254)}`,
  ipv6: (random) => `2001:db8::${hex(random, 4).replace(/^0+(?=.)/, "")}`,
  uri: (random) => `https://example.com/${pick(WORDS, random)}`,
  url: (random) => `https://example.com/${pick(WORDS, random)}`,
  iri: (random) => `https://example.com/${pick(WORDS, random)}`,
  "uri-reference": (random) => `https://example.com/${pick(WORDS, random)}`,
  "iri-reference": (random) => `https://example.com/${pick(WORDS, random)}`,
  "uri-template": (random) => `https://example.com/${pick(WORDS, random)}/{id}`,
  uuid: (random) => `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${"89ab"[Math.floor(random() * 4)]}${hex(random, 3)}-${hex(random, 12)}`,
  "json-pointer": (random) => `/${pick(WORDS, random)}/0`,
  "relative-json-pointer": () => "0",
  regex: () => "^[a-z]+$",
  byte: () => "aGVsbG8=",
};

function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

function sampleString(state: State, schema: Schema, key: string): string {
  const minLength = Math.min(nonNegativeInt(schema.minLength, 0), MAX_STRING_LENGTH);
  const maxLength = nonNegativeInt(schema.maxLength, Infinity);
  const format = typeof schema.format === "string" && hasOwn(FORMATS, schema.format) ? FORMATS[schema.format] : null;
  if (format) return format(state.random);
  if (typeof schema.pattern === "string") {
    const generated = stringFromPattern(schema.pattern, state.random);
    if (generated !== null) return generated;
  }
  const hinted = state.hint?.(key, "string");
  let text = typeof hinted === "string" ? hinted : `${pick(WORDS, state.random)} ${pick(WORDS, state.random)}`;
  const length = codePointLength(text);
  if (length < minLength) text += "x".repeat(minLength - length);
  else if (length > maxLength) text = Array.from(text).slice(0, Math.max(minLength, maxLength)).join("");
  return text;
}

// ───────────────────────────── Numbers ─────────────────────────────

function sampleNumber(state: State, schema: Schema, key: string, isInteger: boolean): number {
  let low = -Infinity;
  let high = Infinity;
  let isLowOpen = false;
  let isHighOpen = false;
  if (isFiniteNumber(schema.minimum)) [low, isLowOpen] = [schema.minimum, schema.exclusiveMinimum === true];
  if (isFiniteNumber(schema.exclusiveMinimum) && schema.exclusiveMinimum >= low) [low, isLowOpen] = [schema.exclusiveMinimum, true];
  if (isFiniteNumber(schema.maximum)) [high, isHighOpen] = [schema.maximum, schema.exclusiveMaximum === true];
  if (isFiniteNumber(schema.exclusiveMaximum) && schema.exclusiveMaximum <= high) [high, isHighOpen] = [schema.exclusiveMaximum, true];
  const step = isFiniteNumber(schema.multipleOf) && schema.multipleOf > 0 ? schema.multipleOf : null;

  const fits = (value: number) =>
    Number.isFinite(value) &&
    (isLowOpen ? value > low : value >= low) &&
    (isHighOpen ? value < high : value <= high) &&
    (!isInteger || Number.isInteger(value)) &&
    (step === null || Number.isInteger(value / step));

  const hinted = state.hint?.(key, isInteger ? "integer" : "number");
  if (typeof hinted === "number" && fits(hinted)) return hinted;

  const unit = step !== null ? integerStep(step, isInteger) : isInteger ? 1 : null;
  if (unit !== null) {
    const span = Math.max(1, Math.round(100 / unit));
    let kLow = Number.isFinite(low) ? (isLowOpen ? Math.floor(low / unit) + 1 : Math.ceil(low / unit)) : -Infinity;
    let kHigh = Number.isFinite(high) ? (isHighOpen ? Math.ceil(high / unit) - 1 : Math.floor(high / unit)) : Infinity;
    if (kLow === -Infinity && kHigh === Infinity) [kLow, kHigh] = [1, span];
    else if (kLow === -Infinity) kLow = kHigh - span;
    else if (kHigh === Infinity) kHigh = kLow + span;
    if (kLow > kHigh) return Number.isFinite(low) ? low : high;
    const k = kLow + Math.floor(state.random() * (Math.min(kHigh - kLow, span) + 1));
    const value = Number((k * unit).toPrecision(15));
    return Number.isFinite(value) ? value : 0;
  }

  let value: number;
  if (Number.isFinite(low) && Number.isFinite(high)) value = low + (high - low) * (0.1 + 0.8 * state.random());
  else if (Number.isFinite(low)) value = low + 1 + state.random() * 99;
  else if (Number.isFinite(high)) value = high - 1 - state.random() * 99;
  else value = state.random() * 100;
  const rounded = Math.round(value * 100) / 100;
  if (fits(rounded)) return rounded;
  if (fits(value)) return value;
  const middle = Number.isFinite(low) && Number.isFinite(high) ? (low + high) / 2 : Number.isFinite(low) ? low : high;
  return Number.isFinite(middle) ? middle : 0;
}

/** The step an integer multipleOf a fractional step takes (0.5 → 1, 0.25 → 1, 2.5 → 5). */
function integerStep(step: number, isInteger: boolean): number {
  if (!isInteger || Number.isInteger(step)) return step;
  for (let factor = 2; factor <= 1_000; factor++) {
    const candidate = step * factor;
    if (Math.abs(candidate - Math.round(candidate)) < 1e-9) return Math.round(candidate);
  }
  return 1;
}

// ───────────────────────────── A light validator, for oneOf ─────────────────────────────

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isSchemaObject(value);
    default:
      return true;
  }
}

/**
 * Whether `value` matches `schema`, judged on the keywords that tell union branches apart (type,
 * const, enum, required, properties, bounds). True when unsure: it only steers oneOf away from a
 * value two branches would accept.
 */
function conforms(state: State, value: unknown, schema: unknown, depth: number): boolean {
  state.nodes++;
  if (schema === false) return false;
  if (!isSchemaObject(schema) || depth > 16 || state.nodes > state.maxNodes * 4) return true;
  if (typeof schema.$ref === "string") {
    const target = resolveRef(state.root, schema.$ref);
    if (!conforms(state, value, target === undefined ? true : target, depth + 1)) return false;
  }
  const types = asTypeList(schema.type);
  if (types && types.length > 0 && !types.some((type) => hasType(value, type))) return false;
  if (hasOwn(schema, "const") && JSON.stringify(schema.const) !== JSON.stringify(value)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((member) => JSON.stringify(member) === JSON.stringify(value))) return false;
  if (typeof value === "number") {
    if (isFiniteNumber(schema.minimum) && value < schema.minimum) return false;
    if (isFiniteNumber(schema.maximum) && value > schema.maximum) return false;
    if (isFiniteNumber(schema.exclusiveMinimum) && value <= schema.exclusiveMinimum) return false;
    if (isFiniteNumber(schema.exclusiveMaximum) && value >= schema.exclusiveMaximum) return false;
  }
  if (typeof value === "string") {
    const length = codePointLength(value);
    if (isFiniteNumber(schema.minLength) && length < schema.minLength) return false;
    if (isFiniteNumber(schema.maxLength) && length > schema.maxLength) return false;
  }
  if (Array.isArray(value)) {
    if (isFiniteNumber(schema.minItems) && value.length < schema.minItems) return false;
    if (isFiniteNumber(schema.maxItems) && value.length > schema.maxItems) return false;
    if (isSchemaObject(schema.items) && !value.every((item) => conforms(state, item, schema.items, depth + 1))) return false;
  }
  if (isSchemaObject(value)) {
    if (Array.isArray(schema.required) && !schema.required.every((name) => typeof name !== "string" || hasOwn(value, name))) return false;
    const properties = isSchemaObject(schema.properties) ? schema.properties : {};
    for (const name of Object.keys(value)) {
      if (hasOwn(properties, name)) {
        if (!conforms(state, value[name], properties[name], depth + 1)) return false;
      } else if (schema.additionalProperties === false) return false;
    }
  }
  if (Array.isArray(schema.allOf) && !schema.allOf.every((member) => conforms(state, value, member, depth + 1))) return false;
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0 && !schema.anyOf.some((member) => conforms(state, value, member, depth + 1))) return false;
  if (Array.isArray(schema.oneOf) && schema.oneOf.length > 0 && !schema.oneOf.some((member) => conforms(state, value, member, depth + 1))) return false;
  return true;
}

// ───────────────────────────── Patterns ─────────────────────────────

type PatternNode =
  | { kind: "sequence"; items: Array<{ node: PatternNode; min: number; max: number }> }
  | { kind: "alternatives"; options: PatternNode[] }
  | { kind: "chars"; ranges: Array<[number, number]>; isNegated: boolean };

class UnsupportedPattern extends Error {}

const MAX_PATTERN_LENGTH = 1_000;
const MAX_GROUP_NESTING = 32;
const MAX_REPEAT = 8;
/** Steps of generation: an empty group repeated inside repeated groups produces nothing, forever. */
const MAX_GENERATE_STEPS = 20_000;

const DIGIT: Array<[number, number]> = [[48, 57]];
const WORD: Array<[number, number]> = [
  [97, 122],
  [65, 90],
  [48, 57],
  [95, 95],
];
const SPACE: Array<[number, number]> = [
  [32, 32],
  [9, 13],
];
const ANY_CHAR: Array<[number, number]> = [[97, 122]];
/** Characters tried, in order, for a negated class ([^…], \D, \W, \S). */
const NEGATED_CANDIDATES = "axA0_-. :/#@".split("").map((char) => char.codePointAt(0)!);

/**
 * A string matching a JSON Schema `pattern`, generated from its syntax (literals, classes, groups,
 * alternatives, quantifiers, the usual escapes); null for what it cannot honour (lookarounds,
 * backreferences) or an oversized pattern. The pattern itself is never run: a client's regex
 * could backtrack for minutes.
 */
export function stringFromPattern(pattern: string, random: () => number): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return null;
  try {
    const parser = { pattern, index: 0 };
    const node = parseAlternatives(parser, 0);
    if (parser.index < pattern.length) return null;
    const out: string[] = [];
    generate(node, random, out, { steps: 0 });
    const text = out.join("");
    return text.length <= MAX_STRING_LENGTH ? text : null;
  } catch {
    return null;
  }
}

type Parser = { pattern: string; index: number };

function parseAlternatives(parser: Parser, nesting: number): PatternNode {
  if (nesting > MAX_GROUP_NESTING) throw new UnsupportedPattern();
  const options: PatternNode[] = [parseSequence(parser, nesting)];
  while (parser.pattern[parser.index] === "|") {
    parser.index++;
    options.push(parseSequence(parser, nesting));
  }
  return options.length === 1 ? options[0] : { kind: "alternatives", options };
}

function parseSequence(parser: Parser, nesting: number): PatternNode {
  const items: Array<{ node: PatternNode; min: number; max: number }> = [];
  const { pattern } = parser;
  while (parser.index < pattern.length && pattern[parser.index] !== "|" && pattern[parser.index] !== ")") {
    const char = pattern[parser.index];
    if (char === "^" || char === "$") {
      parser.index++;
      continue;
    }
    const node = parseAtom(parser, nesting);
    if (node === null) continue;
    const [min, max] = parseQuantifier(parser);
    items.push({ node, min, max });
  }
  return { kind: "sequence", items };
}

function parseAtom(parser: Parser, nesting: number): PatternNode | null {
  const { pattern } = parser;
  const char = pattern[parser.index];
  if (char === "(") {
    parser.index++;
    if (pattern[parser.index] === "?") {
      const next = pattern[parser.index + 1];
      if (next === ":") parser.index += 2;
      else if (next === "<" && pattern[parser.index + 2] !== "=" && pattern[parser.index + 2] !== "!") {
        const close = pattern.indexOf(">", parser.index);
        if (close === -1) throw new UnsupportedPattern();
        parser.index = close + 1;
      } else throw new UnsupportedPattern(); // lookarounds, inline flags
    }
    const inner = parseAlternatives(parser, nesting + 1);
    if (pattern[parser.index] !== ")") throw new UnsupportedPattern();
    parser.index++;
    return inner;
  }
  if (char === "[") return parseClass(parser);
  if (char === ".") {
    parser.index++;
    return { kind: "chars", ranges: ANY_CHAR, isNegated: false };
  }
  if (char === "\\") {
    const escaped = parseEscape(parser);
    return escaped === "boundary" ? null : escaped;
  }
  if (char === "*" || char === "+" || char === "?") throw new UnsupportedPattern();
  const codePoint = pattern.codePointAt(parser.index)!;
  parser.index += codePoint > 0xffff ? 2 : 1;
  return { kind: "chars", ranges: [[codePoint, codePoint]], isNegated: false };
}

function literal(codePoint: number): PatternNode {
  return { kind: "chars", ranges: [[codePoint, codePoint]], isNegated: false };
}

/** An escape outside a class; "boundary" for the zero-width ones (\b, \B), which add nothing. */
function parseEscape(parser: Parser): PatternNode | "boundary" {
  const { pattern } = parser;
  const char = pattern[parser.index + 1];
  if (char === undefined) throw new UnsupportedPattern();
  parser.index += 2;
  switch (char) {
    case "d":
      return { kind: "chars", ranges: DIGIT, isNegated: false };
    case "D":
      return { kind: "chars", ranges: DIGIT, isNegated: true };
    case "w":
      return { kind: "chars", ranges: WORD, isNegated: false };
    case "W":
      return { kind: "chars", ranges: WORD, isNegated: true };
    case "s":
      return { kind: "chars", ranges: SPACE, isNegated: false };
    case "S":
      return { kind: "chars", ranges: SPACE, isNegated: true };
    case "b":
    case "B":
      return "boundary";
    case "p":
    case "P":
      return skipUnicodeProperty(parser, char === "P");
    case "k":
      throw new UnsupportedPattern();
    default:
      if (char >= "1" && char <= "9") throw new UnsupportedPattern(); // backreference
      return literal(escapedCodePoint(parser, char));
  }
}

function skipUnicodeProperty(parser: Parser, isNegated: boolean): PatternNode {
  if (parser.pattern[parser.index] === "{") {
    const close = parser.pattern.indexOf("}", parser.index);
    if (close === -1) throw new UnsupportedPattern();
    parser.index = close + 1;
  }
  // \p{L}, \p{Lu}, \p{N}…: a letter satisfies the common ones; the negations, a digit or a dash.
  return { kind: "chars", ranges: isNegated ? [[45, 45]] : [[97, 122]], isNegated: false };
}

/** The code point of a single-character escape (`\n`, `\x41`, `\u0041`, `\u{1F600}`, `\.`); index is past the letter. */
function escapedCodePoint(parser: Parser, char: string): number {
  const { pattern } = parser;
  const readHex = (length: number) => {
    const digits = pattern.slice(parser.index, parser.index + length);
    if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== length) throw new UnsupportedPattern();
    parser.index += length;
    return parseInt(digits, 16);
  };
  switch (char) {
    case "n":
      return 10;
    case "r":
      return 13;
    case "t":
      return 9;
    case "f":
      return 12;
    case "v":
      return 11;
    case "0":
      return 0;
    case "x":
      return readHex(2);
    case "u":
      if (pattern[parser.index] === "{") {
        const close = pattern.indexOf("}", parser.index);
        if (close === -1) throw new UnsupportedPattern();
        const value = parseInt(pattern.slice(parser.index + 1, close), 16);
        parser.index = close + 1;
        if (!Number.isFinite(value) || value > 0x10ffff) throw new UnsupportedPattern();
        return value;
      }
      return readHex(4);
    case "c":
      throw new UnsupportedPattern();
    default:
      return char.codePointAt(0)!;
  }
}

function parseClass(parser: Parser): PatternNode {
  const { pattern } = parser;
  parser.index++; // [
  const isNegated = pattern[parser.index] === "^";
  if (isNegated) parser.index++;
  const ranges: Array<[number, number]> = [];
  while (parser.index < pattern.length && pattern[parser.index] !== "]") {
    const start = readClassChar(parser);
    if (Array.isArray(start)) {
      ranges.push(...start);
      continue;
    }
    if (pattern[parser.index] === "-" && pattern[parser.index + 1] !== "]" && parser.index + 1 < pattern.length) {
      parser.index++;
      const end = readClassChar(parser);
      if (Array.isArray(end)) {
        ranges.push([start, start], [45, 45], ...end);
        continue;
      }
      ranges.push(start <= end ? [start, end] : [end, start]);
    } else ranges.push([start, start]);
  }
  if (pattern[parser.index] !== "]") throw new UnsupportedPattern();
  parser.index++;
  return { kind: "chars", ranges, isNegated };
}

/** One class member: a code point, or the ranges of a class escape (\d, \w, \s). */
function readClassChar(parser: Parser): number | Array<[number, number]> {
  const { pattern } = parser;
  if (pattern[parser.index] !== "\\") {
    const codePoint = pattern.codePointAt(parser.index)!;
    parser.index += codePoint > 0xffff ? 2 : 1;
    return codePoint;
  }
  const char = pattern[parser.index + 1];
  if (char === undefined) throw new UnsupportedPattern();
  parser.index += 2;
  switch (char) {
    case "d":
      return DIGIT;
    case "w":
      return WORD;
    case "s":
      return SPACE;
    case "D":
    case "W":
    case "S":
      throw new UnsupportedPattern(); // a negated class inside a class: rare, and hard to honour
    case "b":
      return 8;
    case "p":
    case "P":
      return (skipUnicodeProperty(parser, char === "P") as { ranges: Array<[number, number]> }).ranges;
    default:
      return escapedCodePoint(parser, char);
  }
}

function parseQuantifier(parser: Parser): [number, number] {
  const { pattern } = parser;
  const char = pattern[parser.index];
  let bounds: [number, number] | null = null;
  if (char === "?") bounds = [0, 1];
  else if (char === "*") bounds = [0, Infinity];
  else if (char === "+") bounds = [1, Infinity];
  if (bounds) parser.index++;
  else if (char === "{") {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(parser.index, parser.index + 24));
    if (!match) return [1, 1]; // a literal "{" is read as the next atom
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === "" ? Infinity : Number(match[3]);
    if (min > MAX_STRING_LENGTH || max < min) throw new UnsupportedPattern();
    bounds = [min, max];
    parser.index += match[0].length;
  } else return [1, 1];
  if (pattern[parser.index] === "?") parser.index++; // lazy: same strings
  return bounds;
}

function generate(node: PatternNode, random: () => number, out: string[], work: { steps: number }): void {
  if (out.length > MAX_STRING_LENGTH || ++work.steps > MAX_GENERATE_STEPS) throw new UnsupportedPattern();
  switch (node.kind) {
    case "sequence":
      for (const { node: item, min, max } of node.items) {
        const count = min + Math.floor(random() * (Math.min(max, min + MAX_REPEAT) - min + 1));
        for (let i = 0; i < count; i++) generate(item, random, out, work);
      }
      return;
    case "alternatives":
      generate(pick(node.options, random), random, out, work);
      return;
    case "chars":
      out.push(String.fromCodePoint(pickChar(node, random)));
      return;
  }
}

function pickChar(node: { ranges: Array<[number, number]>; isNegated: boolean }, random: () => number): number {
  const isIn = (codePoint: number) => node.ranges.some(([low, high]) => codePoint >= low && codePoint <= high);
  if (node.isNegated) {
    const candidate = NEGATED_CANDIDATES.find((codePoint) => !isIn(codePoint));
    if (candidate === undefined) throw new UnsupportedPattern();
    return candidate;
  }
  if (node.ranges.length === 0) throw new UnsupportedPattern();
  const [low, high] = pick(node.ranges, random);
  // Stay near the start of a wide range: "a"–"z" rather than an arbitrary code point.
  return low + Math.floor(random() * (Math.min(high - low, 25) + 1));
}
