#!/bin/sh
# Builds the Call Me widget into one script: our src/ and JsSIP, bundled and
# minified by esbuild into an IIFE that defines window.Callme.
#
#   webui/callme/build.sh OUTFILE
#
# Installs the npm packages first when node_modules is missing or older than
# package.json (no lock file is written: .npmrc has package-lock=false).
set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTFILE" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
case "$1" in
  /*) out=$1 ;;
  *) out=$(pwd)/$1 ;;
esac

cd "$here"
if [ ! -d node_modules ] || [ ! -x node_modules/.bin/esbuild ] ||
   [ package.json -nt node_modules ]; then
  npm install --no-audit --no-fund
  touch node_modules
fi

mkdir -p "$(dirname "$out")"
node_modules/.bin/esbuild src/index.js --bundle --minify --format=iife \
  --global-name=Callme --platform=browser --target=es2019 \
  --legal-comments=eof --log-level=warning --outfile="$out"
echo "callme widget: $out ($(wc -c < "$out") bytes)"
