#!/usr/bin/env bash
# `npm test`: installs what the tests need, then runs every tier — lint and types, unit,
# integration on SQLite and PostgreSQL, end to end in Chromium — and ends with one line
# "N passed, N failed" summed over all tiers. Exit status is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
out=.ci/out
mkdir -p "$out"
passed=0
failed=0
status=0

say() { printf '\033[36m▸\033[0m %s\n' "$*"; }

# 1. What the tests need.
if [ ! -d node_modules/next ] || [ ! -d node_modules/@playwright/test ]; then
  say "Installing npm packages"
  npm install --no-audit --no-fund || exit 1
fi
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    say "Installing Debian's chromium for the end-to-end tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || { echo "Could not install chromium with apt-get"; exit 1; }
  else
    echo "Chromium is missing at $CHROMIUM_PATH. Install Debian's package as root: apt-get install -y chromium (or set CHROMIUM_PATH)."
    exit 1
  fi
fi
export CHROMIUM_PATH

count_json() { # file → "passed failed" from vitest's or playwright's JSON report
  node -e '
    const fs = require("fs");
    let r; try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { console.log("0 1"); process.exit(0); }
    if ("numPassedTests" in r) { console.log(`${r.numPassedTests} ${r.numFailedTests + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0)}`); process.exit(0); }
    const s = r.stats || {}; console.log(`${s.expected || 0} ${(s.unexpected || 0) + (s.flaky || 0)}`);
  ' "$1"
}

add_counts() { read -r p f <<<"$(count_json "$1")"; passed=$((passed + p)); failed=$((failed + f)); }

check() { # name, command… → one pass or one fail
  say "$1"
  if "${@:2}"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; echo "✗ $1 failed"; fi
}

# 2. Static checks, each counted as one test.
check "Lint (includes the lib/domain layer rule)" npx eslint . --max-warnings=1000
check "Type check" npx tsc --noEmit -p tsconfig.json

# 3. Unit and integration (SQLite + PostgreSQL) tests.
say "Unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$out/unit.json" || status=1
add_counts "$out/unit.json"
say "Integration tests on SQLite and PostgreSQL"
npx vitest run --project db --reporter=default --reporter=json --outputFile.json="$out/db.json" || status=1
add_counts "$out/db.json"

# 4. End to end: build, seed a fresh demo database, serve, drive Chromium.
say "End-to-end tests (build, seed, serve, Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$out/e2e.json" npx playwright test || status=1
add_counts "$out/e2e.json"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
