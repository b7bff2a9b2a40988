#!/usr/bin/env bash
# Issue 4, end to end through the API, durable: TASKS tasks onto INSTANCES hollow instances.
# Usage: [STRATEGY=binpack|spread] [WARMUP=N] berth-bench/run-scale-bench.sh [INSTANCES=5000] [TASKS=100000] [CLIENTS=32]
# WARMUP=N: first place N tasks, stop them, then measure TASKS on warm JVMs (see ScaleBench).
# Starts a server (-Xmx2g) and a hollow fleet as separate processes, drives RunTask, stops both
# by PID, and prints the server's heap use at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
instances=${1:-5000}; tasks=${2:-100000}; clients=${3:-32}
. "$root/bin/lib/env.sh"
berth_java
cd "$root"
mvn -q -B -ntp -Dmaven.test.skip=true install -pl berth-bench -am
cp="berth-bench/target/berth-bench.jar:berth-bench/target/lib/*"
data=$(mktemp -d); port=$((20000 + RANDOM % 20000))
export BERTH_ACCESS_KEY_ID=AKIASCALEBENCH000001 BERTH_SECRET_ACCESS_KEY=scale-bench-secret-0123456789
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${BERTH_JVM_DEFAULTS[@]}")
"${java[@]}" -Xmx2g ${SERVER_OPTS:-} -cp "$cp" io.berth.server.Main server --port "$port" --data-dir "$data" > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server ${fleet:-} 2>/dev/null || true' EXIT
until grep -q "ready" "$data/server.log"; do sleep 0.5; done
aws_env=(env AWS_ACCESS_KEY_ID=$BERTH_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$BERTH_SECRET_ACCESS_KEY AWS_REGION=us-east-1)
"${aws_env[@]}" /usr/bin/aws --endpoint-url "http://127.0.0.1:$port" ecs create-cluster --cluster-name scale > /dev/null
"${java[@]}" -Xmx1g ${FLEET_OPTS:-} -cp "$cp" io.berth.server.Main agent --server "http://127.0.0.1:$port" --cluster scale \
  --simulate "$instances" --simulate-cpu 8192 --simulate-memory 65536 --simulate-start-delay PT1S \
  --state-dir "$data/agent" > "$data/fleet.log" 2>&1 &
fleet=$!
until [ "$("${aws_env[@]}" /usr/bin/aws --endpoint-url "http://127.0.0.1:$port" ecs describe-clusters --clusters scale \
  --query 'clusters[0].registeredContainerInstancesCount' --output text)" -ge "$instances" ]; do sleep 1; done
echo "$instances hollow instances registered"
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in clock ticks (USER_HZ 100)
sys() { awk '{print $15}' "/proc/$1/stat"; }      # stime alone
cpu_since() { awk -v a="$2" -v b="$(cpu "$1")" 'BEGIN {printf "%.1f", (b - a) / 100}'; }
sys_since() { awk -v a="$2" -v b="$(sys "$1")" 'BEGIN {printf "%.1f", (b - a) / 100}'; }
server_cpu0=$(cpu "$server"); fleet_cpu0=$(cpu "$fleet"); server_sys0=$(sys "$server"); fleet_sys0=$(sys "$fleet")
"${java[@]}" -Dendpoint="http://127.0.0.1:$port" -Dtasks="$tasks" -Dclients="$clients" -Dstrategy="${STRATEGY:-binpack}" \
  -Dwarmup="${WARMUP:-0}" -Dserver.pid="$server" -Dfleet.pid="$fleet" -cp "$cp" \
  io.berth.bench.scale.ScaleBench
cpu_line="CPU seconds while placing and running: server $(cpu_since "$server" "$server_cpu0") (kernel $(sys_since "$server" "$server_sys0")), hollow fleet $(cpu_since "$fleet" "$fleet_cpu0") (kernel $(sys_since "$fleet" "$fleet_sys0"))"
echo "$cpu_line"
"$JAVA_HOME/bin/jcmd" "$server" GC.heap_info | head -4
if [[ -n ${JFR:-} ]]; then "$JAVA_HOME/bin/jcmd" "$server" JFR.dump filename="$JFR" > /dev/null; fi # SERVER_OPTS=-XX:StartFlightRecording
if [[ -n ${HISTOGRAM:-} ]]; then "$JAVA_HOME/bin/jcmd" "$server" GC.class_histogram | head -30; fi # live objects
