import { describe, expect, it } from "vitest";
import { publicApiBaseUrl, utcMonthStart } from "./startup-keys";

const headersOf = (entries: Record<string, string>) => new Headers(entries);

describe("publicApiBaseUrl", () => {
  it.each([
    ["the Host header, http by default", { host: "127.0.0.1:3000" }, undefined, "http://127.0.0.1:3000/api/v1"],
    ["a proxy's forwarded host and proto win", { host: "10.0.0.5:3000", "x-forwarded-host": "blockable.example.com", "x-forwarded-proto": "https" }, undefined, "https://blockable.example.com/api/v1"],
    ["the first of several forwarded values", { host: "app", "x-forwarded-host": "a.example.com, b.internal", "x-forwarded-proto": "https,http" }, undefined, "https://a.example.com/api/v1"],
    ["https from NEXTAUTH_URL when it names the same host", { host: "blockable.example.com" }, "https://blockable.example.com", "https://blockable.example.com/api/v1"],
    ["http when NEXTAUTH_URL names another host", { host: "localhost:3000" }, "https://blockable.example.com", "http://localhost:3000/api/v1"],
    ["an IPv6 host", { host: "[::1]:3000" }, undefined, "http://[::1]:3000/api/v1"],
    ["NEXTAUTH_URL when the Host header is not a host name", { host: "evil.example/<script>" }, "https://blockable.example.com/some/path", "https://blockable.example.com/api/v1"],
    ["NEXTAUTH_URL when there is no Host header", {}, "http://localhost:4000", "http://localhost:4000/api/v1"],
    ["localhost when nothing is known", {}, undefined, "http://localhost:3000/api/v1"],
    ["an unknown forwarded proto is ignored", { host: "x.example", "x-forwarded-proto": "javascript" }, undefined, "http://x.example/api/v1"],
  ])("%s", (_label, headers, configured, expected) => {
    expect(publicApiBaseUrl(headersOf(headers), configured)).toBe(expected);
  });
});

describe("utcMonthStart", () => {
  it.each([
    ["mid-month", "2026-03-17T15:04:05.000Z", "2026-03-01T00:00:00.000Z"],
    ["the first instant of a month", "2026-03-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"],
    ["the last instant of a month", "2026-02-28T23:59:59.999Z", "2026-02-01T00:00:00.000Z"],
    ["New Year's Eve", "2025-12-31T23:59:59.999Z", "2025-12-01T00:00:00.000Z"],
  ])("%s", (_label, now, expected) => {
    expect(utcMonthStart(new Date(now)).toISOString()).toBe(expected);
  });
});
