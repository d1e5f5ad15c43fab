#!/usr/bin/env bash
# Every test, from a fresh clone: system packages, static checks, unit tests, a production build,
# and the end-to-end tests in Debian's Chromium against a real Mosquitto broker.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
rm -f .tmp/vitest.json .tmp/playwright.json

bash tools/ensure-system-deps.sh || exit 1
[ -d node_modules ] || npm ci || exit 1

step() {
  echo
  echo "== $1"
  shift
  "$@"
}

status=0
step "typecheck" npm run -s typecheck || status=1
step "lint" npm run -s lint || status=1
step "twin schema up to date" npm run -s twin -- schema --check || status=1
step "twin files valid" npm run -s twin -- validate models/*/twin.json || status=1
step "model fixtures" npx tsx e2e/fixtures/build.ts .tmp/e2e-twins || status=1
step "glTF files valid (Khronos validator)" npx tsx tools/validate-gltf.ts models e2e/twins .tmp/e2e-twins || status=1
step "unit tests" npx vitest run --reporter=default --reporter=json --outputFile=.tmp/vitest.json || status=1
step "build" npm run -s build || status=1
step "initial JavaScript at most 500 kB gzip" npx tsx tools/bundle-size.ts dist || status=1
if [ -d dist ]; then
  step "end-to-end tests" env PLAYWRIGHT_JSON_OUTPUT_NAME=.tmp/playwright.json npx playwright test --reporter=list,json || status=1
else
  status=1
fi

node tools/test-summary.mjs .tmp/vitest.json .tmp/playwright.json || status=1
exit $status
