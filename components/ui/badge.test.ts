// State badges meet WCAG AA (4.5:1 for their 12 px text) in light and dark: the ratios are
// computed from the tokens in app/globals.css (oklch → sRGB → WCAG relative luminance), so a
// token edit that breaks contrast fails here before a browser sees it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const css = readFileSync(fileURLToPath(new URL("../../app/globals.css", import.meta.url)), "utf8");

function tokens(selector: ":root" | ".dark"): Map<string, [number, number, number]> {
  const start = css.indexOf(`${selector} {`);
  const block = css.slice(start, css.indexOf("}", start));
  const found = new Map<string, [number, number, number]>();
  for (const match of block.matchAll(/--([\w-]+):\s*oklch\(([\d.]+)\s+([\d.]+)\s+([\d.]+)\)/g)) found.set(match[1], [Number(match[2]), Number(match[3]), Number(match[4])]);
  return found;
}

/** OKLCH → linear sRGB (Björn Ottosson's matrices), each channel clamped to the gamut. */
function linearSrgb([lightness, chroma, hueDeg]: [number, number, number]): number[] {
  const a = chroma * Math.cos((hueDeg * Math.PI) / 180);
  const b = chroma * Math.sin((hueDeg * Math.PI) / 180);
  const l = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (lightness - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s, -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s, -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s].map((v) => Math.min(1, Math.max(0, v)));
}

/** WCAG 2 relative luminance from linear sRGB (the 8-bit round trip changes it by < 0.5%). */
const luminance = (color: [number, number, number]) => {
  const [r, g, b] = linearSrgb(color);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

function contrast(x: [number, number, number], y: [number, number, number]): number {
  const [high, low] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (high + 0.05) / (low + 0.05);
}

describe.each([
  ["light", ":root"],
  ["dark", ".dark"],
] as const)("%s theme", (_theme, selector) => {
  const theme = tokens(selector);
  test.each(["success", "warning", "destructive", "info"])("the %s badge's text has at least 4.5:1 on its tint", (name) => {
    const background = theme.get(`badge-${name}`);
    const text = theme.get(`badge-${name}-foreground`);
    expect(background && text, `--badge-${name} tokens`).toBeTruthy();
    expect(contrast(text!, background!)).toBeGreaterThanOrEqual(4.5);
  });

  test("the default badge (primary) and the secondary badge have at least 4.5:1", () => {
    expect(contrast(theme.get("primary-foreground")!, theme.get("primary")!)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(theme.get("secondary-foreground")!, theme.get("secondary")!)).toBeGreaterThanOrEqual(4.5);
  });
});

test("the computation agrees with a known pair: the light success badge reads 7.18:1 (axe-core's figure)", () => {
  expect(contrast([0.42, 0.1, 152], [0.955, 0.04, 155])).toBeCloseTo(7.18, 1);
});
