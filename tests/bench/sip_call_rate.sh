#!/usr/bin/env bash
# SIP-to-SIP call set-up benchmark: callgated pinned to core 0, the load
# generator (both UAC and UAS) on core 1, UDP on loopback. Prints, for each
# offered rate, the achieved calls per second, failures and set-up latency,
# then the highest rate with zero failures; then memory per established call.
#
#   tests/bench/sip_call_rate.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
ctl=$build/gateway/src/app/callgatectl/callgatectl
gated=$build/gateway/src/app/callgated/callgated
gen=$build/tests/bench/sip_call_rate
for b in "$ctl" "$gated" "$gen"; do
  [[ -x $b ]] || { echo "missing $b: build the release preset first" >&2; exit 2; }
done

work=$(mktemp -d)
gw_pid=""
cleanup() {
  [[ -n $gw_pid ]] && kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
gw_port=$(free_port)
uas_port=$(free_port)

cat >"$work/config.json" <<JSON
{
  "version": 1,
  "system": {"name": "bench", "log_level": "warn", "control_socket": "$work/ctl.sock"},
  "listeners": [{"name": "udp", "transport": "udp", "address": "127.0.0.1", "port": $gw_port,
                 "advertised_host": "", "enabled": true}],
  "peers": [{"name": "uas", "host": "127.0.0.1", "port": $uas_port, "transport": "udp",
             "username": "", "password": "", "realm": "", "enabled": true}],
  "routes": [{"name": "all", "priority": 1, "match_user_prefix": "", "match_domain": "",
              "target_type": "peer", "peer": "uas", "enabled": true}]
}
JSON
"$ctl" --db "$work/bench.db" import "$work/config.json" >/dev/null
taskset -c 0 "$gated" --db "$work/bench.db" --log-level warn 2>"$work/gated.log" &
gw_pid=$!
for _ in $(seq 50); do [[ -S $work/ctl.sock ]] && break; sleep 0.1; done

best=0
for rate in 100 200 300 400 600 800 1000 1500 2000 3000 4000; do
  calls=$((rate * 5))
  line=$(taskset -c 1 "$gen" --gateway "127.0.0.1:$gw_port" --uas-port "$uas_port" \
           --calls "$calls" --rate "$rate" --timeout-ms 4000 || true)
  echo "offered_cps=$rate $line"
  if [[ $line == *" failed=0 "* ]]; then best=$rate; else break; fi
done
echo "max_cps_zero_failures=$best (offered rate; callgated on one core)"

# Memory per established call, on a fresh daemon: RSS before and while N
# calls are held up (this includes the transactions they leave behind).
kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true
taskset -c 0 "$gated" --db "$work/bench.db" --log-level warn 2>>"$work/gated.log" &
gw_pid=$!
for _ in $(seq 50); do [[ -S $work/ctl.sock ]] && break; sleep 0.1; done
sleep 1
rss() { awk '/VmRSS/ {print $2}' "/proc/$gw_pid/status"; }
before=$(rss)
held=2000
taskset -c 1 "$gen" --gateway "127.0.0.1:$gw_port" --uas-port "$uas_port" --calls $held \
  --rate 400 --hold-ms 12000 --timeout-ms 4000 >"$work/hold.txt" &
gen_pid=$!
sleep 8
during=$(rss)
wait $gen_pid || true
echo "held_calls=$held rss_before_kib=$before rss_during_kib=$during" \
     "kib_per_call=$(( (during - before) / held ))"
cat "$work/hold.txt"
