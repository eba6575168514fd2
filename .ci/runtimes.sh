#!/usr/bin/env bash
# Runs test/smoke/smoke.mjs (a pipeline built in code and one from a launch string, each to EOS;
# data threads; WASM kernels; a typed flow with a stage on a data thread; toWebStream) and test/smoke/isolation-smoke.mjs (the native addon, and an element
# in a sandboxed host) on every runtime the library supports. The runtimes come from the npm registry into
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
# run LABEL SCRIPT RUNTIME... : one smoke script on one runtime.
run() {
  local label=$1 script=$2; shift 2
  if out=$("$@" "$script" 2>&1); then
    echo "ok   $label: $out"
  else
    echo "FAIL $label:"; echo "$out"; fail=1
  fi
}
deno_v=$($bin/.bin/deno --version | head -1)
for script in test/smoke/smoke.mjs test/smoke/isolation-smoke.mjs; do
  name=$(basename "$script" .mjs)
  run "node $(node --version) $name" "$script" node
  run "node22 $($bin/node22/bin/node --version) $name" "$script" "$bin/node22/bin/node"
  run "node24 $($bin/node24/bin/node --version) $name" "$script" "$bin/node24/bin/node"
  # Isolation loads the native addon (ffi) and starts the helper (run): it needs every permission.
  if [ "$name" = smoke ]; then
    run "deno $deno_v $name" "$script" "$bin/.bin/deno" run --allow-read --allow-write --allow-env
  else
    run "deno $deno_v $name" "$script" "$bin/.bin/deno" run --allow-all
  fi
  run "bun $($bin/.bin/bun --version) $name" "$script" "$bin/.bin/bun" run
done
exit $fail
