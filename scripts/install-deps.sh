#!/usr/bin/env bash
# Installs whatever is missing for building, running and testing Callgate on
# Debian 12. Idempotent: packages already present are not touched, so a second
# run costs a dpkg query and nothing more.
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  libssl-dev libsqlite3-dev sqlite3 libpoco-dev libboost-test-dev
  libc-ares-dev libnice-dev libsrtp2-dev libnss3-dev libopus-dev libsnmp-dev
  nodejs npm
)
test_packages=(baresip baresip-core coturn python3 python3-jsonschema procps iproute2 openssl sox chromium fonts-dejavu-core)

want=("${build_packages[@]}")
if [[ "${1:-}" == "--with-tests" ]]; then
  want+=("${test_packages[@]}")
fi

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    # A tool already on PATH (for example a newer node) counts as present.
    case "$pkg" in
      nodejs) command -v node >/dev/null && continue ;;
      npm) command -v npm >/dev/null && continue ;;
      python3) command -v python3 >/dev/null && continue ;;
    esac
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

here=$(cd "$(dirname "$0")/.." && pwd)
# The Call Me widget is built from our sources and JsSIP (npm): both the
# demo and the tests serve it. No lock file is kept (package-lock=false).
if [[ -f "$here/webui/callme/package.json" && ! -d "$here/webui/callme/node_modules" ]]; then
  (cd "$here/webui/callme" && npm install --no-audit --no-fund --loglevel=error)
fi

if [[ "${1:-}" == "--with-tests" ]]; then
  if [[ -f "$here/tests/package.json" ]]; then
    (cd "$here/tests" && npm install --no-audit --no-fund --loglevel=error)
  fi
fi
