#!/usr/bin/env bash
# WebRTC ↔ RTP media benchmark: callgated (one media worker) pinned to core 0,
# the load generator tests/bench/media_load on core 1, everything on
# loopback. Ramps concurrent calls until loss passes 0.1 % (or the time
# budget ends) for relayed calls (Opus ⇄ Opus) and transcoded calls
# (Opus ⇄ PCMU); then runs Debian's rtpengine (userspace, also pinned to
# core 0) under the same relayed SRTP ⇄ RTP traffic and prints the ratios.
# It prints figures and decides nothing.
#
#   tests/bench/media_bench.sh [BUILD_DIR]   (default build/release)
#
# Environment: STEPS (comma list of concurrent calls), MEASURE_S (window per
# step, default 10), BUDGET_S (per mode, default 300), SKIP_RTPENGINE=1,
# BENCH_NICE (niceness of the target and the generator, default -10: the
# machine is shared, and a generator that other jobs hold off the CPU for
# 50 ms makes every jitter buffer downstream underrun; 0 to leave it),
# KEEP_WORK=1, MEDIA_LOAD (another media_load binary), MODES (callgated
# modes to run, default "relay transcode"), OPUS_COMPLEXITY (media.opus_complexity
# for callgated's Opus encoder, default 5 as in a fresh configuration),
# GATED_WRAP (a command callgated runs
# under, e.g. "heaptrack -o /tmp/heap" for a heap profile per call).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
ctl=$build/gateway/src/app/callgatectl/callgatectl
gated=$build/gateway/src/app/callgated/callgated
gen=${MEDIA_LOAD:-$build/tests/bench/media_load}
for b in "$ctl" "$gated" "$gen"; do
  [[ -x $b ]] || { echo "missing $b: build the release preset first" >&2; exit 2; }
done
steps_relay=${STEPS:-25,50,100,150,200,250,300,350,400,450,500,550,600,700,800,1000}
steps_transcode=${STEPS:-25,50,75,100,125,150,175,200,250,300,400}
measure=${MEASURE_S:-10}
budget=${BUDGET_S:-300}
nice_level=${BENCH_NICE:--10}
# With autogroup scheduling (the default) a process's nice only counts
# inside its session: each process under test gets a session of its own
# (setsid) whose autogroup nice is set too.
prio=(setsid nice -n "$nice_level")
boost() {  # once the process leads its own session (setsid has run); never ours
  local i
  for i in $(seq 100); do
    if [[ $(awk '{print $6}' "/proc/$1/stat" 2>/dev/null) == "$1" ]]; then
      echo "$nice_level" >"/proc/$1/autogroup" 2>/dev/null || true
      return
    fi
    sleep 0.01
  done
  echo "# could not raise the priority of process $1" >&2
}
run_gen() {  # the generator on core 1, boosted; its output is shown when it ends
  local out=$1
  shift
  "${prio[@]}" taskset -c 1 "$gen" "$@" >"$out" &
  local g=$!
  pids+=("$g")
  boost "$g"
  wait "$g" || true
  forget "$g"
  cat "$out"
}

work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  if [[ ${KEEP_WORK:-0} == 1 ]]; then echo "# work files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
forget() {  # a process of ours that has ended: never signal its id again
  local keep=() q
  for q in "${pids[@]}"; do [[ $q == "$1" ]] || keep+=("$q"); done
  pids=("${keep[@]}")
}
stop_pid() {  # stop one process we started, and forget it
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  forget "$1"
}
# Each call holds a libnice socket and an RTP/RTCP pair in the target.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

free_port() {  # $1: udp|tcp
  python3 - "$1" <<'PY'
import socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, kind)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
PY
}

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# tree at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?');" \
  "callgated built $(date -r "$gated" '+%F %T'), build dir $build"

# ---- callgated ------------------------------------------------------------------
# $1 mode (relay|transcode). Relayed: the phone offers Opus like the browser,
# so nothing is transcoded. Transcoded: browsers may use only Opus and the
# phone only PCMU (media.webrtc_codecs "opus", peer codecs "pcmu").
run_callgated() {
  local mode=$1 peer_codecs
  [[ $mode == relay ]] && peer_codecs=opus || peer_codecs=pcmu
  local ws_port uas_port sip_port dir=$work/$mode
  mkdir -p "$dir"
  ws_port=$(free_port tcp)
  sip_port=$(free_port udp)
  uas_port=$(free_port udp)
  cat >"$dir/config.json" <<JSON
{
  "version": 1,
  "system": {"name": "bench", "log_level": "warn", "control_socket": "$dir/ctl.sock"},
  "media": {"workers": 1, "rtp_port_min": 30000, "rtp_port_max": 39999,
            "inactivity_timeout_s": 30, "webrtc_codecs": "opus",
            "opus_complexity": ${OPUS_COMPLEXITY:-5}},
  "media_interfaces": [{"name": "loopback", "address": "127.0.0.1", "advertised_address": "",
                        "enabled": true}],
  "listeners": [{"name": "ws", "transport": "ws", "address": "127.0.0.1", "port": $ws_port,
                 "advertised_host": "", "enabled": true},
                {"name": "udp", "transport": "udp", "address": "127.0.0.1", "port": $sip_port,
                 "advertised_host": "", "enabled": true}],
  "peers": [{"name": "phones", "host": "127.0.0.1", "port": $uas_port, "transport": "udp",
             "username": "", "password": "", "realm": "", "codecs": "$peer_codecs",
             "media_encryption": "none", "media_interface": "loopback", "rtp_latching": true,
             "enabled": true}],
  "routes": [{"name": "all", "priority": 1, "match_user_prefix": "", "match_domain": "",
              "target_type": "peer", "peer": "phones", "enabled": true}]
}
JSON
  "$ctl" --db "$dir/bench.db" import "$dir/config.json" >/dev/null
  # GATED_WRAP runs callgated under a profiler, e.g. GATED_WRAP="heaptrack -o /tmp/heap".
  # shellcheck disable=SC2086
  "${prio[@]}" taskset -c 0 ${GATED_WRAP:-} "$gated" --db "$dir/bench.db" --log-level warn 2>"$dir/gated.log" &
  local gw=$!
  pids+=("$gw")
  boost "$gw"
  for _ in $(seq 600); do [[ -S $dir/ctl.sock ]] && break; sleep 0.1; done
  sleep 0.5
  echo "## callgated $mode (pid $gw, rss at start $(awk '/VmRSS/ {print $2}' /proc/$gw/status) KiB)"
  run_gen "$work/callgated-$mode.txt" --target callgated --mode "$mode" \
    --ws "127.0.0.1:$ws_port" --uas-port "$uas_port" --pid "$gw" --control "$dir/ctl.sock" \
    --steps "$([[ $mode == relay ]] && echo "$steps_relay" || echo "$steps_transcode")" \
    --measure-s "$measure" --budget-s "$budget"
  if ! kill -0 "$gw" 2>/dev/null; then
    echo "callgated exited during the run; its log:"
    tail -20 "$dir/gated.log"
  fi
  grep -c . "$dir/gated.log" >/dev/null && {
    echo "# callgated log lines: $(wc -l <"$dir/gated.log") (first ones below)"
    head -5 "$dir/gated.log" | cut -c1-200
  }
  stop_pid "$gw"
}

for m in ${MODES:-relay transcode}; do
  run_callgated "$m"
done

# ---- rtpengine --------------------------------------------------------------------
run_rtpengine() {
  if ! command -v rtpengine >/dev/null 2>&1; then
    echo "# rtpengine missing: installing Debian's rtpengine-daemon"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        rtpengine-daemon >"$work/apt.log" 2>&1; then
      echo "rtpengine: cannot install rtpengine-daemon (see apt output below); skipped"
      tail -5 "$work/apt.log"
      return 1
    fi
  fi
  local ng_port dir=$work/rtpengine
  mkdir -p "$dir"
  ng_port=$(free_port udp)
  # Userspace only (--table=-1), one poller thread like one media worker.
  "${prio[@]}" taskset -c 0 rtpengine --table=-1 --interface=127.0.0.1 --listen-ng="127.0.0.1:$ng_port" \
    --port-min=40000 --port-max=59999 --num-threads=1 --foreground --log-stderr \
    --log-level=4 --delete-delay=0 --timeout=60 2>"$dir/rtpengine.log" &
  local re=$!
  pids+=("$re")
  boost "$re"
  sleep 1.5
  if ! kill -0 "$re" 2>/dev/null; then
    echo "rtpengine did not start:"
    tail -10 "$dir/rtpengine.log"
    return 1
  fi
  echo "## rtpengine relay (pid $re, $(rtpengine --version 2>&1 | head -1))"
  run_gen "$work/rtpengine-relay.txt" --target rtpengine --mode relay \
    --ng "127.0.0.1:$ng_port" --pid "$re" --steps "$steps_relay" --measure-s "$measure" \
    --budget-s "$budget"
  if grep -q 'max_calls_ok=0 ' "$work/rtpengine-relay.txt"; then
    echo "# rtpengine log (last lines):"
    tail -15 "$dir/rtpengine.log" | cut -c1-240
  fi
  stop_pid "$re"
}

if [[ ${SKIP_RTPENGINE:-0} != 1 ]]; then
  run_rtpengine || echo "rtpengine comparison not run"
fi

# ---- ratios -------------------------------------------------------------------------
field() {  # $1 file, $2 line prefix, $3 key
  [[ -f $1 ]] || return 0
  { grep "^$2 " "$1" | tail -1 | tr ' ' '\n' | awk -F= -v k="$3" '$1 == k {print $2}'; } || true
}
field_of() {  # $1 file, $2 line start, $3 key
  { grep "^$2 " "$1" | tail -1 | tr ' ' '\n' | awk -F= -v k="$3" '$1 == k {print $2}'; } || true
}
echo "## summary"
for f in "$work"/callgated-*.txt "$work"/rtpengine-relay.txt; do
  [[ -f $f ]] && grep '^summary ' "$f"
done
cg=$work/callgated-relay.txt
re=$work/rtpengine-relay.txt
if [[ -f $re ]] && grep -q '^summary ' "$re"; then
  cg_max=$(field "$cg" summary max_calls_ok)
  re_max=$(field "$re" summary max_calls_ok)
  cg_prompt=$(field "$cg" summary max_calls_prompt)
  re_prompt=$(field "$re" summary max_calls_prompt)
  re_stop=$(field "$re" summary stopped_by)
  cg_stop=$(field "$cg" summary stopped_by)
  # CPU per packet at the same load, the highest both passed while neither
  # was saturated (a saturated target batches more per wake-up and looks
  # cheaper per packet than it is).
  unsaturated() {
    { grep '^result ' "$1" | grep ' ok=1' | tr ' ' '\n' |
        awk -F= '$1=="calls"{c=$2} $1=="target_cpu_pct"{ if ($2 < 90) print c }'; } || true
  }
  common=$( { unsaturated "$cg"; unsaturated "$re"; } | sort -n | uniq -d | tail -1)
  cg_us="" re_us=""
  if [[ -n $common ]]; then
    cg_us=$(field_of "$cg" "result calls=$common" us_per_pkt)
    re_us=$(field_of "$re" "result calls=$common" us_per_pkt)
  fi
  python3 - "$cg_max" "$re_max" "$cg_prompt" "$re_prompt" "${common:-0}" "${cg_us:-0}" \
      "${re_us:-0}" "$cg_stop" "$re_stop" <<'PY'
import sys
a = sys.argv[1:]
cg_max, re_max, cg_prompt, re_prompt, common, cg_us, re_us = (float(x or 0) for x in a[:7])
cg_stop, re_stop = a[7], a[8]
ratio = lambda x, y: "%.2f" % (x / y) if y else "n/a"
bound = lambda stop: " (a lower bound: the generator saturated first)" if stop == "generator" else ""
print("ratio relayed max_calls(<0.1%% loss) callgated/rtpengine = %s (%d%s / %d%s)"
      % (ratio(cg_max, re_max), cg_max, bound(cg_stop), re_max, bound(re_stop)))
print("ratio relayed max_calls(p99<50ms) callgated/rtpengine = %s (%d / %d)"
      % (ratio(cg_prompt, re_prompt), cg_prompt, re_prompt))
print("ratio relayed cpu_per_packet callgated/rtpengine = %s (%.2f / %.2f us at %d calls, both below 90%% cpu)"
      % (ratio(cg_us, re_us), cg_us, re_us, common))
PY
else
  echo "ratio: no rtpengine figures"
fi
