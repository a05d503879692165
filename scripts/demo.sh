#!/usr/bin/env bash
# Installs what is missing, builds a release callgated and runs it in its demo
# configuration: demo/callgate.db is created with working defaults on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target callgated callgatectl
mkdir -p demo
exec build/release/gateway/src/app/callgated --db demo/callgate.db "$@"
