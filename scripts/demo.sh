#!/usr/bin/env bash
# Installs what is missing, builds release callgated, callgate-mgmt and the
# Call Me widget and runs them in the demo configuration: demo/callgate.db is
# created with working defaults on first start. callgated runs in the
# background; callgate-mgmt serves the management API and the demo shop on
# https://127.0.0.1:8443/ until Ctrl-C or SIGTERM, and then both are stopped.
# Arguments go to callgated.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target callgated callgatectl callgate-mgmt callme_widget
mkdir -p demo

bin=build/release/gateway/src/app
mgmt_bin=build/release/webui/server/src/app/callgate-mgmt
db=demo/callgate.db
gated_pid=""
mgmt_pid=""

stop() {
  # Stops what this script started, by PID, and waits for each to exit.
  for pid in $mgmt_pid $gated_pid; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $mgmt_pid $gated_pid; do
    wait "$pid" 2>/dev/null || true
  done
}
trap stop EXIT
# A trapped signal interrupts `wait` below, and exit runs stop().
trap 'exit 130' INT
trap 'exit 143' TERM

"$bin/callgated/callgated" --db "$db" "$@" &
gated_pid=$!
# callgated creates the database on first start: wait until it answers on
# its control socket before callgate-mgmt opens the same file.
for _ in $(seq 1 100); do
  if "$bin/callgatectl/callgatectl" --db "$db" status >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$gated_pid" 2>/dev/null; then
    echo "demo: callgated exited" >&2
    exit 1
  fi
  sleep 0.2
done

# The address and port come from the configuration's management section
# (127.0.0.1:8443 by default).
export_json=$("$bin/callgatectl/callgatectl" --db "$db" export)
section=$(printf '%s\n' "$export_json" | sed -n '/"management"/,/}/p')
address=$(printf '%s\n' "$section" | sed -n 's/.*"address": *"\([^"]*\)".*/\1/p' | head -n 1)
port=$(printf '%s\n' "$section" | sed -n 's/.*"https_port": *\([0-9]*\).*/\1/p' | head -n 1)
address=${address:-127.0.0.1}
port=${port:-8443}
[ "$address" = "0.0.0.0" ] && address=127.0.0.1
# The demo shop's widget uses the plain WebSocket listener on loopback: a
# browser allows ws:// to 127.0.0.1 from an https page, and there is no
# second self-signed certificate to accept.
ws_port=$(printf '%s\n' "$export_json" | tr -d '\n' | sed -n 's/.*"name": *"ws", *"transport": *"ws", *"address": *"127.0.0.1", *"port": *\([0-9]*\).*/\1/p')
ws_port=${ws_port:-5066}

"$mgmt_bin" --db "$db" --widget-file build/release/webui/callme/callme.js \
  --shop-dir webui/shop --shop-websocket "ws://127.0.0.1:$ws_port" &
mgmt_pid=$!
for _ in $(seq 1 150); do
  if (exec 3<>"/dev/tcp/$address/$port") 2>/dev/null; then
    break
  fi
  if ! kill -0 "$mgmt_pid" 2>/dev/null; then
    echo "demo: callgate-mgmt exited" >&2
    exit 1
  fi
  sleep 0.2
done

cat <<EOF

Callgate demo is running (callgated pid $gated_pid, callgate-mgmt pid $mgmt_pid).
  Demo shop:   https://$address:$port/shop/   (open it, accept the self-signed certificate,
               click "Call the demo shop": the built-in echo answers, you hear yourself)
  Management:  https://$address:$port/   (REST API under /api/v1)
  Log in as:   admin, with the initial password in $db.admin-password
               (written on first start; it must be changed at first login)
  API:         docs/api.md; guide: docs/admin.md; the button on a real phone: docs/callme.md
Press Ctrl-C to stop both.

EOF

# Until either daemon exits or a signal arrives.
wait -n "$gated_pid" "$mgmt_pid"
