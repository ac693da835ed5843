export * from "./backoff";
export * from "./events";
export * from "./signature";
