#!/bin/bash
# Registry push/pull benchmark, side by side in one run (docs/benchmarks.md, issue 6): ROUNDS rounds; in
# each, for each client (skopeo, then curl via curlpp.sh), a fresh ~200 MB image (genimg.py) is pushed to
# and pulled from every target, the targets' order rotating from round to round. Targets:
#   berth            BenchRegistry (address and password from BERTH_LOG)
#   berth-2          a second BenchRegistry, e.g. another build (SECOND_LOG; optional)
#   docker-registry  REGISTRY (host:port, no auth)
# Prints "client op target round seconds" lines, then the medians and Berth's ratios.
# BenchRegistry makes repositories bench/r0..r99 when given 100: rounds 1-49.
# usage: BERTH_LOG=... [SECOND_LOG=...] REGISTRY=127.0.0.1:5056 compare.sh WORK_DIR ROUNDS [FIRST_ROUND]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$1; rounds=$2; first=${3:-1}
addr() { grep ^host "$1" | cut -d' ' -f2; }
pass() { grep ^password "$1" | cut -d' ' -f2; }
targets=("berth|$(addr "$BERTH_LOG")|AWS:$(pass "$BERTH_LOG")")
[ -n "${SECOND_LOG:-}" ] && targets+=("berth-2|$(addr "$SECOND_LOG")|AWS:$(pass "$SECOND_LOG")")
targets+=("docker-registry|$REGISTRY|")
out=$(mktemp); TIMEFORMAT=%R
for run in $(seq "$first" $((first + rounds - 1))); do
  for client in skopeo curl; do
    rm -rf "$dir/img"; python3 "$here/genimg.py" "$dir/img"; sync
    n=${#targets[@]}
    for k in $(seq 0 $((n - 1))); do
      IFS='|' read -r name host cred <<< "${targets[$(( (k + run) % n ))]}"
      repo="bench/r$run"; [ $client = curl ] && repo="bench/r$((run + 50))"
      rm -rf "$dir/pull"
      if [ $client = skopeo ]; then
        dc=(); sc=(); [ -n "$cred" ] && dc=(--dest-creds "$cred") && sc=(--src-creds "$cred")
        push=$( { time skopeo copy -q --dest-tls-verify=false "${dc[@]}" "oci:$dir/img:v1" "docker://$host/$repo:v1" >/dev/null; } 2>&1 )
        pull=$( { time skopeo copy -q --src-tls-verify=false "${sc[@]}" "docker://$host/$repo:v1" "dir:$dir/pull" >/dev/null; } 2>&1 )
      else
        push=$("$here/curlpp.sh" push "$dir/img" "http://$host" "$repo" v1 "$cred")
        pull=$("$here/curlpp.sh" pull "$dir/img" "http://$host" "$repo" v1 "$cred" "$dir/pull")
      fi
      echo "$client push $name $run $push" | tee -a "$out"; echo "$client pull $name $run $pull" | tee -a "$out"
    done
  done
done
python3 - "$out" <<'PY'
import sys, statistics as st, collections
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    c, op, t, _, s = line.split(); d[(c, op, t)].append(float(s))
for c in ("skopeo", "curl"):
    for op in ("push", "pull"):
        ref = st.median(d[(c, op, "docker-registry")])
        row = [f"{t} {st.median(v):.3f} s ({ref / st.median(v):.2f}x)" for (c2, o2, t), v in d.items() if (c2, o2) == (c, op)]
        print(f"median {c} {op}: " + ", ".join(row))
PY
rm -f "$out"
