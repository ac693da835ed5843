import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and wasm database drivers must stay outside the server bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "@node-rs/argon2", "ioredis"],
  poweredByHeader: false,
  // Benchmarks and side builds can build and serve from their own folder beside the main build.
  distDir: process.env.BLOCKABLE_NEXT_DIST_DIR || ".next",
  // `npm test` runs the TypeScript compiler over the whole repository; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // forbidden() renders app/forbidden.tsx with HTTP 403 when a role opens another role's page.
  // Server actions take at most 1 MiB (SERVER_ACTION_BODY_MAX_BYTES, which proxy.ts's guard
  // enforces with a 413 before Next would answer 500) from this origin only (no allowedOrigins).
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: 1_048_576 } },
};

export default nextConfig;
