#!/usr/bin/env bash
# berth-bench/run-api-bench.sh [SideBySide options]
#
# Berth and moto_server side by side: SigV4-signed DescribeClusters and RegisterTaskDefinition
# from concurrent clients, the same requests against both. Builds berth-bench (and what it needs),
# then runs io.berth.bench.api.SideBySide, which starts `bin/berth server` on a fresh data
# directory and `moto_server -H 127.0.0.1`, loads each in turn, prints a table, writes it as
# markdown (berth-bench/target/api-bench-<time>.md unless --out), and stops both by their pids.
#
# Options (see --help): --ops, --targets, --clients (64), --threads (virtual), --transport
# (socket), --warmup (15s), --duration (30s), --repeat (1), --quiet-below, --quiet-timeout, --out,
# --keep-data. Environment: JAVA_HOME (a JDK 21+; default temurin 25), BENCH_SKIP_BUILD=1 (use
# what is built), BENCH_JAVA_OPTS (the driver's JVM options), BERTH_JAVA_OPTS (Berth's, e.g. a
# JFR recording: -XX:StartFlightRecording=duration=60s,filename=/tmp/berth.jfr).
#
# A benchmark, run by hand: never part of the build or the test suite.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ -z ${JAVA_HOME:-} || ! -x ${JAVA_HOME}/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export PATH="$JAVA_HOME/bin:$PATH"

if [[ -z ${BENCH_SKIP_BUILD:-} ]]; then
  echo "run-api-bench: building berth-bench…" >&2
  mvn=(mvn -q -B -ntp -Dmaven.test.skip=true install -pl berth-bench -am)
  (cd "$root" && "${mvn[@]}" -o) || (cd "$root" && "${mvn[@]}")
fi

command -v moto_server >/dev/null 2>&1 ||
  echo "run-api-bench: warning: moto_server is not on PATH (pip install 'moto[server]'), or use --targets berth" >&2

# Printed in the report as the command that produced it.
BENCH_COMMAND="berth-bench/run-api-bench.sh${*:+ $*}"
export BENCH_COMMAND

read -r -a driver_opts <<<"${BENCH_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}"
cd "$root"
exec java "${driver_opts[@]}" -cp "$root/berth-bench/target/berth-bench.jar:$root/berth-bench/target/lib/*" \
  io.berth.bench.api.SideBySide --root "$root" "$@"
