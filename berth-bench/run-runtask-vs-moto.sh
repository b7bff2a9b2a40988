#!/usr/bin/env bash
# Issue 4: RunTask throughput, Berth beside moto_server in the same run, same driver (ScaleBench:
# RunTask count 10 with spread(az) + binpack(memory) from CLIENTS SDK clients until TASKS are placed).
# Berth: a server (durable SQLite) and INSTANCES hollow instances; moto: INSTANCES EC2 instances
# registered as container instances (moto keeps everything in memory and runs no containers).
# Usage: berth-bench/run-runtask-vs-moto.sh [INSTANCES=100] [TASKS=5000] [CLIENTS=16]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
instances=${1:-100}; tasks=${2:-5000}; clients=${3:-16}
. "$root/bin/lib/env.sh"
berth_java
cd "$root"
mvn -q -B -ntp -Dmaven.test.skip=true install -pl berth-bench -am
cp="berth-bench/target/berth-bench.jar:berth-bench/target/lib/*"
data=$(mktemp -d); port=$((20000 + RANDOM % 10000)); moto_port=$((30000 + RANDOM % 10000))
export BERTH_ACCESS_KEY_ID=AKIARUNTASKBENCH0001 BERTH_SECRET_ACCESS_KEY=runtask-bench-secret-012345
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${BERTH_JVM_DEFAULTS[@]}")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
aws_env=(env AWS_ACCESS_KEY_ID=$BERTH_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$BERTH_SECRET_ACCESS_KEY AWS_REGION=us-east-1)

echo "== moto_server ($(python3 -c 'import moto; print(moto.__version__)'))"
moto_server -H 127.0.0.1 -p "$moto_port" > "$data/moto.log" 2>&1 &
pids+=($!)
until curl -s -o /dev/null "http://127.0.0.1:$moto_port/moto-api/"; do sleep 0.3; done
MOTO="http://127.0.0.1:$moto_port" INSTANCES="$instances" python3 - <<'PY'
import boto3, json, os
kw = dict(endpoint_url=os.environ["MOTO"], region_name="us-east-1",
          aws_access_key_id="x", aws_secret_access_key="y")
ec2, ecs = boto3.client("ec2", **kw), boto3.client("ecs", **kw)
ecs.create_cluster(clusterName="scale")
n = int(os.environ["INSTANCES"])
ids = []
while len(ids) < n:
    r = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=min(100, n - len(ids)), InstanceType="m5.large")
    ids += [i["InstanceId"] for i in r["Instances"]]
for k, i in enumerate(ids):
    az = "us-east-1" + "abc"[k % 3]
    ecs.register_container_instance(cluster="scale", instanceIdentityDocument=json.dumps(
        {"instanceId": i, "region": "us-east-1", "availabilityZone": az}), totalResources=[
        {"name": "CPU", "type": "INTEGER", "integerValue": 8192},
        {"name": "MEMORY", "type": "INTEGER", "integerValue": 65536}],
        attributes=[{"name": "ecs.availability-zone", "value": az}])
print(f"{n} container instances registered in moto")
PY
"${java[@]}" -Dendpoint="http://127.0.0.1:$moto_port" -Dtasks="$tasks" -Dclients="$clients" -cp "$cp" \
  io.berth.bench.scale.ScaleBench | grep -E "sustained|CPU seconds"
kill "${pids[0]}"; pids=()

echo "== Berth (durable, SQLite)"
"${java[@]}" -Xmx2g -cp "$cp" io.berth.server.Main server --port "$port" --data-dir "$data/berth" > "$data/server.log" 2>&1 &
pids+=($!)
until grep -q "ready" "$data/server.log"; do sleep 0.5; done
"${aws_env[@]}" /usr/bin/aws --endpoint-url "http://127.0.0.1:$port" ecs create-cluster --cluster-name scale > /dev/null
"${java[@]}" -Xmx1g -cp "$cp" io.berth.server.Main agent --server "http://127.0.0.1:$port" --cluster scale \
  --simulate "$instances" --simulate-cpu 8192 --simulate-memory 65536 --simulate-start-delay PT1S \
  --state-dir "$data/agent" > "$data/fleet.log" 2>&1 &
pids+=($!)
until [ "$("${aws_env[@]}" /usr/bin/aws --endpoint-url "http://127.0.0.1:$port" ecs describe-clusters --clusters scale \
  --query 'clusters[0].registeredContainerInstancesCount' --output text)" -ge "$instances" ]; do sleep 1; done
echo "$instances hollow instances registered in Berth"
"${java[@]}" -Dendpoint="http://127.0.0.1:$port" -Dtasks="$tasks" -Dclients="$clients" -cp "$cp" \
  io.berth.bench.scale.ScaleBench | grep -E "sustained|CPU seconds"
