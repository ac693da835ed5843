// Where to go after signing in. A callback URL comes from the address bar (`/login?callbackUrl=…`),
// so anybody can write one: resolved against the site's own origin, only a path on this site is
// kept, and anything that a browser, a router or a later decoding could turn into another host is
// refused (the caller then sends the user to their role's home).

/** Longer than any path this app has; a longer value is refused rather than parsed. */
export const MAX_CALLBACK_URL_LENGTH = 2_048;

// C0 control characters (tab, newline, NUL…) and DEL. Browsers silently drop tabs and newlines inside a URL
// ("/\t/evil" becomes "//evil"), so a callback that has any is refused, not cleaned.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F]/;

/** How many rounds of percent-decoding are checked: a value decoded by two layers is still refused. */
const DECODING_ROUNDS = 3;

/**
 * The same-origin path (`/startup/financing?tab=loans#x`) that `raw` names, or null when it names
 * anything else: another host (`//evil`, `/\evil`, `https://evil`), another scheme (`javascript:`),
 * a path that reads as another host once percent-decoded (`/%5Cevil`, `/%2F%2Fevil`), control
 * characters, a relative path without its leading slash, or not a string at all. An absolute URL
 * on this very origin (`http://127.0.0.1:3000/x`) is kept, as its path.
 */
export function resolveCallbackPath(raw: unknown, siteOrigin: string): string | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_CALLBACK_URL_LENGTH) return null;
  if (CONTROL_CHARACTERS.test(raw)) return null;
  const origin = originOf(siteOrigin);
  if (!origin) return null;
  const trimmed = raw.trim();
  // A path, or an absolute URL (checked for its origin below); "evil.example" or "./x" are neither.
  if (!trimmed.startsWith("/") && !URL.canParse(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  if (!isSingleSlashPath(url.pathname)) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The origin (`http://host:port`) of an http(s) URL, or null. */
function originOf(siteOrigin: string): string | null {
  try {
    const url = new URL(siteOrigin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * True when the path starts with one slash and still does after each round of percent-decoding,
 * read as a browser reads it (a backslash is a slash), with no control character revealed.
 */
function isSingleSlashPath(pathname: string): boolean {
  let current = pathname;
  for (let round = 0; round <= DECODING_ROUNDS; round++) {
    // A tab or newline that decoding revealed would vanish in a browser: refused like a raw one.
    if (CONTROL_CHARACTERS.test(current)) return false;
    const asBrowserReadsIt = current.replaceAll("\\", "/");
    if (!asBrowserReadsIt.startsWith("/") || asBrowserReadsIt.startsWith("//")) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return false; // a malformed escape is not a path this app wrote
    }
    if (decoded === current) return true;
    current = decoded;
  }
  // Still changing after every round: encoded deeper than any honest link.
  return false;
}
