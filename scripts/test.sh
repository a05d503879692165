#!/usr/bin/env bash
# Installs what is missing, builds the ASan+UBSan (clang, libFuzzer) tree and
# runs every test: unit, integration, and each fuzz target over its corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --with-tests
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan "$@"
