#!/usr/bin/env bash
# The C++ validator and the JSON Schemas (checked by ajv) must agree on every
# file of both corpora. Usage: run-agreement.sh SOURCE_DIR QSIP_BINARY
set -euo pipefail
src=$1
qsip=$2
node_modules=$src/node/node_modules
[[ -d $node_modules/ajv ]] || { echo "ajv is missing: run scripts/install-deps" >&2; exit 1; }
verdicts=$(mktemp)
trap 'rm -f "$verdicts"' EXIT
cd "$src/tests/corpus"
# qsip validate exits 1 when any file is invalid, which the invalid corpus is.
"$qsip" validate --report valid/* invalid/* > "$verdicts" || true
NODE_PATH=$node_modules node "$src/tests/schema/agree.mjs" \
  --schemas "$src/docs/schemas" --corpus "$src/tests/corpus" --cpp-verdicts "$verdicts"
