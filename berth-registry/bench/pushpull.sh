#!/bin/bash
# Registry push/pull benchmark (by hand): ROUNDS rounds, each with a fresh ~200 MB image, pushed and
# pulled with skopeo to/from Berth (BenchRegistry, address and password from its log) and
# docker-registry (127.0.0.1:5055, or $REGISTRY; no auth). Prints wall seconds per copy.
# usage: pushpull.sh BENCH_DIR BERTH_LOG ROUNDS FIRST_ROUND
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$1; log=$2; rounds=$3; first=$4
port=$(grep ^host "$log" | cut -d: -f2); pw=$(grep ^password "$log" | cut -d' ' -f2)
registry=${REGISTRY:-127.0.0.1:5055}
TIMEFORMAT=%R
for run in $(seq "$first" $((first + rounds - 1))); do
  rm -rf "$dir/img"; python3 "$here/genimg.py" "$dir/img"
  for target in berth registry; do
    if [ $target = berth ]; then dest="docker://127.0.0.1:$port/bench/r$run:v1"; cred=(--dest-creds "AWS:$pw"); scred=(--src-creds "AWS:$pw")
    else dest="docker://$registry/bench/r$run:v1"; cred=(); scred=(); fi
    t=$( { time skopeo copy -q --dest-tls-verify=false "${cred[@]}" "oci:$dir/img:v1" "$dest" >/dev/null; } 2>&1 ); echo "push $target r$run $t"
    rm -rf "$dir/pull"; t=$( { time skopeo copy -q --src-tls-verify=false "${scred[@]}" "$dest" "dir:$dir/pull" >/dev/null; } 2>&1 ); echo "pull $target r$run $t"
  done
done
