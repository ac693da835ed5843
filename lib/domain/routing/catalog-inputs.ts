// What an admin may type into the routing catalogue (providers, models, routes, prices), as zod
// schemas shared by the forms (react-hook-form's resolver) and the server actions, so the browser
// and the server refuse the same things with the same words. Prices are typed in USD per million
// tokens and parsed exactly into µUSD (parseUsdToMicros): "0.15" is 150,000 µUSD per M tokens.
import { z } from "zod";
import { MoneyParseError, parseUsdToMicros, type Micros } from "@/lib/domain/money";

export const PROVIDER_KINDS = ["openai_compatible", "anthropic", "simulator"] as const;
export type ProviderKindInput = (typeof PROVIDER_KINDS)[number];
export const MODEL_KINDS = ["chat", "embedding"] as const;
export const ROUTING_POLICIES = ["PRIORITY", "CHEAPEST"] as const;

/** A price above this per million tokens is a typo (the dearest models list well under $1,000/M). */
export const MAX_PRICE_USD_PER_M = 10_000n;
export const MAX_TIMEOUT_MS = 600_000;
export const MAX_BREAKER_COOLDOWN_MS = 3_600_000;
export const MAX_CONTEXT_WINDOW = 100_000_000;

const id = z.string().trim().min(1, "Required.").max(64, "Too long: at most 64 characters.");

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number({ error: `Enter ${what} as a whole number.` })
    .int(`Enter ${what} as a whole number.`)
    .min(min, `At least ${min.toLocaleString("en-US")}.`)
    .max(max, `At most ${max.toLocaleString("en-US")}.`);

/** Lower-case letters, digits and dashes: it is what usage rows and the x-blockable-provider header name. */
export const providerSlugSchema = z
  .string()
  .trim()
  .min(2, "At least 2 characters.")
  .max(48, "At most 48 characters.")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lower-case letters, digits and dashes (not at the start or end).");

/** The public model id clients send (`gpt-4o-mini`, `llama-3.1-8b-instruct`, `org/model:tag`). */
export const modelSlugSchema = z
  .string()
  .trim()
  .min(1, "Required.")
  .max(96, "At most 96 characters.")
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._:/-]*[A-Za-z0-9])?$/, "Use letters, digits and . _ : / - (starting and ending with a letter or digit).");

/** Empty means "the adapter's default" (api.openai.com for OpenAI-compatible); else http(s) without credentials. */
export const baseUrlSchema = z
  .string()
  .trim()
  .max(2_048, "At most 2,048 characters.")
  .refine((value) => value === "" || (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)), "Enter an http:// or https:// URL, or leave it empty.")
  .refine((value) => value === "" || !URL.canParse(value) || (new URL(value).username === "" && new URL(value).password === ""), "Put no user name or password in the URL; use the API key field.");

/** Write-only: checked for shape here, sealed by the server, never sent back. */
export const apiKeySchema = z
  .string()
  .trim()
  .min(8, "An API key has at least 8 characters.")
  .max(512, "At most 512 characters.")
  .regex(/^[\x21-\x7e]+$/, "An API key has no spaces or special characters.");

export const providerFieldsSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(80, "At most 80 characters."),
  kind: z.enum(PROVIDER_KINDS, { error: "Choose OpenAI-compatible, Anthropic or Simulator." }),
  baseUrl: baseUrlSchema,
  timeoutMs: wholeNumber("the timeout in ms", 100, MAX_TIMEOUT_MS),
  breakerFailures: wholeNumber("the failure count", 1, 100),
  breakerCooldownMs: wholeNumber("the cooldown in ms", 1_000, MAX_BREAKER_COOLDOWN_MS),
  isEnabled: z.boolean(),
});

export const createProviderSchema = providerFieldsSchema.extend({
  slug: providerSlugSchema,
  /** Empty: no key (the simulator needs none). */
  apiKey: z.union([z.literal(""), apiKeySchema]),
});

/** The key is never shown, so an edit says what to do with it: keep it, replace it, or clear it. */
export const updateProviderSchema = providerFieldsSchema
  .extend({
    providerId: id,
    apiKeyChange: z.enum(["keep", "replace", "clear"]),
    apiKey: z.string(),
  })
  .superRefine((value, ctx) => {
    if (value.apiKeyChange !== "replace") return;
    const parsed = apiKeySchema.safeParse(value.apiKey);
    if (!parsed.success) ctx.addIssue({ code: "custom", path: ["apiKey"], message: parsed.error.issues[0]?.message ?? "Enter the new key." });
  });

export const setProviderEnabledSchema = z.object({ providerId: id, isEnabled: z.boolean() });
export const testConnectionSchema = z.object({ providerId: id });

export const modelFieldsSchema = z.object({
  displayName: z.string().trim().min(1, "Enter a display name.").max(120, "At most 120 characters."),
  kind: z.enum(MODEL_KINDS, { error: "Choose chat or embedding." }),
  ownedBy: z.string().trim().min(1, "Enter who makes the model.").max(64, "At most 64 characters."),
  contextWindow: wholeNumber("the context window in tokens", 1, MAX_CONTEXT_WINDOW),
  routingPolicy: z.enum(ROUTING_POLICIES, { error: "Choose priority order or cheapest." }),
  isEnabled: z.boolean(),
});

export const createModelSchema = modelFieldsSchema.extend({ slug: modelSlugSchema });
export const updateModelSchema = modelFieldsSchema.extend({ modelId: id });

/** Parses a typed price; throws MoneyParseError with a sentence for the field. */
export function parsePricePerMTokens(text: string): Micros {
  const micros = parseUsdToMicros(text);
  if (micros > MAX_PRICE_USD_PER_M * 1_000_000n) throw new MoneyParseError(`"${text}" is above $${MAX_PRICE_USD_PER_M.toLocaleString("en-US")} per million tokens; check the unit.`);
  return micros;
}

/** USD per million tokens as typed ("0.15", "$3", "1,200"); the server stores parsePricePerMTokens(text). */
export const pricePerMTokensSchema = z.string().superRefine((text, ctx) => {
  try {
    parsePricePerMTokens(text);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: error instanceof MoneyParseError ? error.message : "Enter a price like 0.15." });
  }
});

export const routePricesSchema = z.object({ inputPriceUsdPerM: pricePerMTokensSchema, outputPriceUsdPerM: pricePerMTokensSchema });

const routeFieldsSchema = z.object({
  upstreamModel: z.string().trim().min(1, "Enter the upstream model name.").max(200, "At most 200 characters."),
  priority: wholeNumber("the priority", 0, 1_000),
  isEnabled: z.boolean(),
});

export const addRouteSchema = routeFieldsSchema.extend({ modelId: id, providerId: id }).extend(routePricesSchema.shape);
export const updateRouteSchema = routeFieldsSchema.extend({ routeId: id });
export const changeRoutePriceSchema = routePricesSchema.extend({ routeId: id });
export const removeRouteSchema = z.object({ routeId: id });

export type CreateProviderInput = z.infer<typeof createProviderSchema>;
export type UpdateProviderInput = z.infer<typeof updateProviderSchema>;
export type CreateModelInput = z.infer<typeof createModelSchema>;
export type UpdateModelInput = z.infer<typeof updateModelSchema>;
export type AddRouteInput = z.infer<typeof addRouteSchema>;
export type UpdateRouteInput = z.infer<typeof updateRouteSchema>;
export type ChangeRoutePriceInput = z.infer<typeof changeRoutePriceSchema>;

/** µUSD per M tokens → the text a price field starts with: 150000n → "0.15", 3000000n → "3". */
export function priceInputText(micros: Micros): string {
  const whole = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}
