#!/usr/bin/env bash
# Installs and runs the example project(s) against the library built in this
# repository (`npm run build` at the root first: the example imports dist/).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -f "$root/dist/index.js" ] || [ ! -f "$root/dist/vitest.js" ]; then
  echo "examples/run.sh: build the library first (npm run build at the repository root)" >&2
  exit 2
fi
cd "$root/examples/vitest-project"
npm ci --no-audit --no-fund   # the lock file pins the example's vitest
npx vitest run
