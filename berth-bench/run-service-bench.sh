#!/usr/bin/env bash
# Issue 5: a rolling deployment (100/200) of a service, from UpdateService to stable again.
# Usage: berth-bench/run-service-bench.sh hollow [DESIRED=1000] [INSTANCES=100]
#        berth-bench/run-service-bench.sh docker [DESIRED=10]
# hollow: a server and a hollow fleet as separate processes; docker: a server with the local
# agent on this host's Docker Engine (the test images, httpd with a wget health check).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-hollow}
. "$root/bin/lib/env.sh"
berth_java
cd "$root"
mvn -q -B -ntp -Dmaven.test.skip=true install -pl berth-bench -am
cp="berth-bench/target/berth-bench.jar:berth-bench/target/lib/*"
data=$(mktemp -d); port=$((20000 + RANDOM % 20000))
export BERTH_ACCESS_KEY_ID=AKIAROLLBENCH0000001 BERTH_SECRET_ACCESS_KEY=roll-bench-secret-0123456789
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${BERTH_JVM_DEFAULTS[@]}")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
aws_env=(env AWS_ACCESS_KEY_ID=$BERTH_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$BERTH_SECRET_ACCESS_KEY AWS_REGION=us-east-1)
if [[ $mode == hollow ]]; then
  desired=${2:-1000}; instances=${3:-100}
  "${java[@]}" -Xmx2g -cp "$cp" io.berth.server.Main server --port "$port" --data-dir "$data" > "$data/server.log" 2>&1 &
  pids+=($!)
  until grep -q "ready" "$data/server.log"; do sleep 0.5; done
  "${java[@]}" -Xmx1g -cp "$cp" io.berth.server.Main agent --server "http://127.0.0.1:$port" \
    --simulate "$instances" --simulate-cpu 16384 --simulate-memory 131072 --simulate-start-delay PT0.5S \
    --state-dir "$data/agent" > "$data/fleet.log" 2>&1 &
  pids+=($!)
  until [ "$("${aws_env[@]}" /usr/bin/aws --endpoint-url "http://127.0.0.1:$port" ecs describe-clusters \
    --query 'clusters[0].registeredContainerInstancesCount' --output text 2>/dev/null)" -ge "$instances" ] 2>/dev/null; do sleep 1; done
  echo "$instances hollow instances registered"
  "${java[@]}" -Dendpoint="http://127.0.0.1:$port" -Ddesired="$desired" -cp "$cp" io.berth.bench.service.ServiceRollBench
else
  desired=${2:-10}
  berth_docker
  "$root/bin/berth" test-images > /dev/null
  "${java[@]}" -cp "$cp" io.berth.server.Main up --port "$port" --data-dir "$data" > "$data/server.log" 2>&1 &
  pids+=($!)
  until grep -q "registered as" "$data/server.log"; do sleep 0.5; done
  "${java[@]}" -Dendpoint="http://127.0.0.1:$port" -Ddesired="$desired" -Dimage=berth-test/httpd:1 -Dport=8080 -Dinit=true \
    -DhealthCommand="CMD-SHELL wget -qO- http://127.0.0.1:8080/health" -cp "$cp" io.berth.bench.service.ServiceRollBench
fi
