#!/usr/bin/env bash
# RunTask -> RUNNING latency on the real Docker Engine, side by side with the engine API and
# `docker run -d` (issue 3). Usage: berth-bench/run-task-bench.sh [-Dtasks=50]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/lib/env.sh"
berth_java
berth_docker
cd "$root"
mvn -q -B -ntp -Dmaven.test.skip=true install -pl berth-bench -am
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "$@" \
  -cp "berth-bench/target/berth-bench.jar:berth-bench/target/lib/*" io.berth.bench.tasks.TaskStartBench
