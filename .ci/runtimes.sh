#!/usr/bin/env bash
# Runs test/smoke/smoke.mjs (a pipeline built in code and one from a launch string, each to EOS)
# on every runtime the library supports. The runtimes come from the npm registry into
# .ci/runtimes/, so the project's own install stays lean.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.ci/runtimes
if [ ! -x "$dir/node_modules/.bin/deno" ] || [ ! -x "$dir/node_modules/.bin/bun" ]; then
  mkdir -p "$dir"
  (cd "$dir" && [ -f package.json ] || echo '{"name":"parallax-ci-runtimes","private":true}' > package.json)
  npm install --prefix "$dir" --no-audit --no-fund --no-save node22@npm:node@22 node24@npm:node@24 deno@2 bun@1 >/dev/null
fi
bin="$dir/node_modules"
fail=0
run() {
  local label=$1; shift
  if out=$("$@" test/smoke/smoke.mjs 2>&1); then
    echo "ok   $label: $out"
  else
    echo "FAIL $label:"; echo "$out"; fail=1
  fi
}
run "node $(node --version)" node
run "node22 $($bin/node22/bin/node --version)" "$bin/node22/bin/node"
run "node24 $($bin/node24/bin/node --version)" "$bin/node24/bin/node"
run "deno $($bin/.bin/deno --version | head -1)" "$bin/.bin/deno" run --allow-read --allow-write --allow-env
run "bun $($bin/.bin/bun --version)" "$bin/.bin/bun" run
exit $fail
