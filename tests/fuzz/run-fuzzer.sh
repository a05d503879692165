#!/usr/bin/env bash
# run-fuzzer.sh BINARY SEED_CORPUS WORK_DIR SECONDS
# Replays the committed seed corpus, then fuzzes for SECONDS into a scratch
# corpus so the committed one only changes when someone chooses to merge.
set -euo pipefail
binary=$1 seeds=$2 work=$3 seconds=$4
mkdir -p "$work"
artifacts="$work/artifacts/"
mkdir -p "$artifacts"
exec "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts" -print_final_stats=1 "$work" "$seeds"
