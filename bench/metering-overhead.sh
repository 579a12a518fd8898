#!/usr/bin/env bash
# Measures what metering costs the proxy in CPU per request, at a fixed 500 req/s.
#
# Two JVMs: the built-in Bedrock simulator alone (so its CPU is not counted), and the proxy under
# test, run once with metering on and once off (proxy.metering.enabled), alternating ROUNDS times.
# Load: `hey` (Debian package) at 500 req/s for DURATION seconds after a warm-up; CPU is the proxy
# process's utime+stime from /proc over the measured run. Prints CPU ms per request per mode.
#
#   bash bench/metering-overhead.sh            # needs: mvn package done, apt-get install hey
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
RATE=${RATE:-500}
WORKERS=${WORKERS:-20}
WARMUP=${WARMUP:-20}
DURATION=${DURATION:-30}
ROUNDS=${ROUNDS:-2}
OP=${OP:-converse}          # converse | converse-stream
SIM_PORT=18901 PROXY_PORT=18910
[ -f "$JAR" ] || mvn -B -q package -DskipTests
command -v hey >/dev/null || { echo "install hey: apt-get install -y hey" >&2; exit 1; }

java -Xmx256m -Dquarkus.http.port=18900 -Dproxy.simulator.enabled=true -Dproxy.simulator.port=$SIM_PORT \
     -Dproxy.tenants-file=deploy/demo/tenants.yaml -Dquarkus.log.level=WARN -jar "$JAR" >/tmp/bench-sim.log 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null; kill $PROXY 2>/dev/null || true' EXIT
sleep 4

BODY='{"messages":[{"role":"user","content":[{"text":"Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]] [[sim:cache-read=30]]"}]}]}'
URL="http://127.0.0.1:$PROXY_PORT/model/anthropic.claude-3-haiku-20240307-v1%3A0/$OP"
ticks() { awk '{print $14 " " $15}' /proc/$1/stat; }
HZ=$(getconf CLK_TCK)

run() {  # $1 = true|false
  LEDGER=$(mktemp -d)
  java -Xmx256m -Dquarkus.http.port=$PROXY_PORT -Dproxy.upstream-url=http://127.0.0.1:$SIM_PORT \
       -Dproxy.tenants-file=deploy/demo/tenants.yaml -Dproxy.ledger.dir="$LEDGER" \
       -Dproxy.signing.access-key-id=AKIASIMULATOR0000001 -Dproxy.signing.secret-access-key=simulator-secret-key \
       -Dproxy.metering.enabled=$1 -Dquarkus.log.level=WARN -jar "$JAR" >/tmp/bench-proxy.log 2>&1 &
  PROXY=$!
  sleep 4
  warm=$(hey -z ${WARMUP}s -c $WORKERS -q $((RATE / WORKERS)) -m POST -T application/json -H "X-Tenant-Id: acme" -d "$BODY" "$URL" | awk '/\[200\]/ {print $2}')
  read -r user0 sys0 < <(ticks $PROXY)
  out=$(hey -z ${DURATION}s -c $WORKERS -q $((RATE / WORKERS)) -m POST -T application/json -H "X-Tenant-Id: acme" -d "$BODY" "$URL")
  read -r user1 sys1 < <(ticks $PROXY)
  requests=$(echo "$out" | awk '/\[200\]/ {print $2}')
  rss=$(awk '/VmRSS/ {print $2}' /proc/$PROXY/status)
  kill $PROXY; wait $PROXY 2>/dev/null || true
  lines=$(cat "$LEDGER"/*.jsonl 2>/dev/null | wc -l || true)
  rm -rf "$LEDGER"
  awk -v m="$1" -v u=$((user1 - user0)) -v s=$((sys1 - sys0)) -v hz=$HZ -v n="${requests:-0}" -v rss="$rss" -v l="$lines" -v w="${warm:-0}" -v d=$DURATION \
    'BEGIN { printf "metering=%-5s requests=%d (%.0f/s) cpu_ms_per_request=%.4f (user %.4f, sys %.4f) rss_mb=%.0f ledger_lines=%d of %d answered\n", m, n, n/d, ((u+s)*1000/hz)/n, (u*1000/hz)/n, (s*1000/hz)/n, rss/1024, l, n + w }'
}

for round in $(seq "$ROUNDS"); do
  run true
  run false
done
