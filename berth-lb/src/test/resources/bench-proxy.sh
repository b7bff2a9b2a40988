#!/bin/bash
# Side-by-side: wrk -> {backend direct, Berth listener, HAProxy} -> the same Netty backend.
# Core 0: the proxy under test (Berth with one event loop, HAProxy with nbthread 1); core 1: wrk and the backend.
# Needs Debian's wrk and haproxy (apt-get install wrk haproxy). Run from anywhere: berth-lb/src/test/resources/bench-proxy.sh
set -u
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
(cd "$ROOT" && mvn -o -q -pl berth-lb test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=/tmp/lb-cp.txt)
CP=$ROOT/berth-lb/target/classes:$ROOT/berth-lb/target/test-classes:$(cat /tmp/lb-cp.txt)
DUR=${DUR:-15}
P="nice -n -15 taskset -c"
$P 1 $J -Xmx256m -cp $CP io.berth.lb.bench.BenchBackend 19100 > /tmp/backend.log 2>&1 & BACK=$!
$P 0 $J -Xmx512m -XX:ActiveProcessorCount=1 -cp $CP io.berth.lb.bench.BenchProxy 19200 19100 1 > /tmp/berth.log 2>&1 & BERTH=$!
cat > /tmp/haproxy.cfg <<'HA'
global
  nbthread 1
  maxconn 4000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
  http-reuse always
listen bench
  bind 127.0.0.1:19300
  server b1 127.0.0.1:19100
HA
$P 0 haproxy -f /tmp/haproxy.cfg > /tmp/haproxy.log 2>&1 & HAP=$!
sleep 10
for p in 19100 19200 19300; do curl -s -o /dev/null -w "$p %{http_code}\n" http://127.0.0.1:$p/; done
$P 1 wrk -t1 -c64 -d10s http://127.0.0.1:19200/ > /dev/null   # JIT warm-up
declare -A MAX
for round in 1 2 3; do
  for target in 19100:direct 19200:berth 19300:haproxy; do
    out=$($P 1 wrk -t1 -c64 -d${DUR}s --latency http://127.0.0.1:${target%%:*}/)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    echo "max round=$round ${target#*:} rps=$rps $(echo "$out" | awk '/ 50%/ {printf "p50=%s ", $2} / 99%/ {printf "p99=%s", $2}')"
    [ "${target#*:}" = berth ] && MAX[$round]=$rps
  done
done
HALF=$(printf "%s\n" "${MAX[@]}" | sort -n | tail -1 | awk '{printf "%d", $1/2}')
DELAY=$(awk -v r=$HALF 'BEGIN {printf "%.3f", 16*1000/r}')
echo "half load: ~$HALF req/s as 16 connections each waiting ${DELAY} ms between requests"
printf 'function delay() return %s end\n' "$DELAY" > /tmp/pace.lua
for round in 1 2; do
  for target in 19100:direct 19200:berth 19300:haproxy; do
    out=$($P 1 wrk -t1 -c16 -d${DUR}s --latency -s /tmp/pace.lua http://127.0.0.1:${target%%:*}/)
    echo "half round=$round ${target#*:} rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '/ 50%/ {printf "p50=%s ", $2} / 90%/ {printf "p90=%s ", $2} / 99%/ {printf "p99=%s", $2}')"
  done
done
kill $BACK $BERTH $HAP
