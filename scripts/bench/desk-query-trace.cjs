// Preloaded (`node --require`) into the lender desk benchmark's diagnostic server only, never into
// the one it measures: times every SQL statement the server runs, through node-postgres
// (Client.prototype.query: Prisma's pg adapter and the SQL programs both use it) and better-sqlite3
// (Statement.prototype run/get/all/iterate), and appends one JSON line per statement to
// $BENCH_DESK_TRACE_FILE: { db, startMs (epoch), ms, sql }. scripts/bench/desk.ts groups them by
// page load to say where a slow render spends its time. (CommonJS, because it must run before
// Next.js loads either driver; both are server-external packages, so the server shares these
// module instances.)
"use strict";
const fs = require("node:fs");

const file = process.env.BENCH_DESK_TRACE_FILE;
if (file) {
  const fd = fs.openSync(file, "a");
  const epochNow = () => performance.timeOrigin + performance.now();
  const record = (db, sql, startMs, failed) =>
    fs.writeSync(fd, JSON.stringify({ db, startMs, ms: epochNow() - startMs, sql: String(sql ?? "").slice(0, 2000), failed: failed ? true : undefined }) + "\n");

  try {
    const pg = require("pg");
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function tracedQuery(config, values, callback) {
      const sql = typeof config === "string" ? config : config && config.text;
      // Submittables (cursors, COPY streams) report through events of their own: not timed.
      if (config && typeof config.submit === "function") return query.call(this, config, values, callback);
      const startMs = epochNow();
      if (typeof values === "function") {
        const done = values;
        return query.call(this, config, (error, result) => {
          record("pg", sql, startMs, error);
          done(error, result);
        });
      }
      if (typeof callback === "function") {
        const done = callback;
        return query.call(this, config, values, (error, result) => {
          record("pg", sql, startMs, error);
          done(error, result);
        });
      }
      const result = query.call(this, config, values);
      if (!result || typeof result.then !== "function") return result;
      return result.then(
        (value) => {
          record("pg", sql, startMs, false);
          return value;
        },
        (error) => {
          record("pg", sql, startMs, true);
          throw error;
        },
      );
    };
  } catch {
    // pg not installed: nothing to trace there
  }

  try {
    const Database = require("better-sqlite3");
    const probe = new Database(":memory:");
    const prototype = Object.getPrototypeOf(probe.prepare("SELECT 1"));
    probe.close();
    for (const method of ["run", "get", "all", "iterate"]) {
      const original = prototype[method];
      if (typeof original !== "function") continue;
      const traced = function tracedStatement(...args) {
        const startMs = epochNow();
        try {
          return original.apply(this, args);
        } finally {
          record("sqlite", this.source, startMs, false);
        }
      };
      prototype[method] = traced;
    }
  } catch {
    // better-sqlite3 not installed: nothing to trace there
  }
}
