// A User-Agent header as a person recognises their device on the sessions list: "Chrome on
// macOS", "Safari on iPhone". Only the browser's family and the system; versions and build
// strings help nobody decide whether a session is theirs.

const UNKNOWN = "Unknown browser";

// Order matters: Edge and Opera say "Chrome", Chrome says "Safari", every engine says "Mozilla".
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, "Edge"],
  [/\b(OPR|Opera)\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\b(Firefox|FxiOS)\//, "Firefox"],
  [/\b(Chrome|CriOS|Chromium)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/\bcurl\//, "curl"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\b(Macintosh|Mac OS X)\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/** "Chrome on Linux", "Firefox", "iPhone", or "Unknown browser" for an empty or unrecognised header. */
export function describeUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return UNKNOWN;
  // Headless Chrome also says "Chrome/…": the more precise name wins.
  const browser = /\bHeadlessChrome\//.test(userAgent) ? "Headless Chrome" : BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? UNKNOWN;
}
