import "@/lib/server/server-only";

/** Not signed in (401) or not allowed (403). Free of Next imports so scripts can load it. */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = "AuthError";
  }
}
