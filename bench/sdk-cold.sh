#!/usr/bin/env bash
# What an application's own SDK lives with beside a just-started proxy: boto3, the AWS SDK for JavaScript v3 (HTTP/2)
# and the AWS SDK for Java v2, each from a fresh process, first straight to the built-in simulator and then through
# a freshly started proxy (tenant acme by header, re-signing, metering: Prometheus and the usage ledger), at a
# sidecar's typical rate: one call every INTERVAL_MS ms (none sooner; a late call starts at once) for CALLS calls,
# every STREAM_EVERY-th a ConverseStream of 20 events, the rest Converse. Prints, per client, the median added
# latency over calls 1-100 / 101-1,000 / 1,001-3,000 and the added time to a stream's first event, over ROUNDS rounds.
# The simulator (its own JVM, the system's JDK) is warmed up first, so that what is added is the proxy's.
# WARM=<seconds> loads each proxy first, over HTTP/1.1 (wrk) and then HTTP/2 (h2load), so that the same clients
# measure it warm: what is left of the cold figures once the JIT has compiled both protocols' paths.
#
#   bash bench/sdk-cold.sh                 # MODE=sidecar: 3,000 calls, one every 2 ms, 3 rounds (~12 min)
#   MODE=slow bash bench/sdk-cold.sh       # a few calls a second: 300 calls, one every 250 ms (~24 min)
#   QUICK=1 bash bench/sdk-cold.sh         # checks that it runs: 1,000 calls, 1 round (~2 min)
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 JAVA_OPTS='-XX:AOTCache=app.aot' bash bench/sdk-cold.sh
#   CLIENTS='boto3 java' bash bench/sdk-cold.sh
#   WARM=10 bash bench/sdk-cold.sh         # the same clients beside a proxy loaded for 10 s + 10 s first
#
# Needs python3 with boto3, node and npm (the SDK is installed into CACHE, outside the repository), curl; with
# WARM, wrk and h2load (Debian: wrk, nghttp2-client).
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=${QUICK:-0}
MODE=${MODE:-sidecar}   # sidecar | slow
case $MODE in
  sidecar) CALLS=${CALLS:-$([ "$QUICK" = 1 ] && echo 1000 || echo 3000)}; INTERVAL_MS=${INTERVAL_MS:-2} ;;
  slow) CALLS=${CALLS:-$([ "$QUICK" = 1 ] && echo 100 || echo 300)}; INTERVAL_MS=${INTERVAL_MS:-250} ;;
  *) echo "MODE is sidecar or slow" >&2; exit 1 ;;
esac
STREAM_EVERY=${STREAM_EVERY:-10}
CLIENTS=${CLIENTS:-boto3 js java}
WARMUP_CALLS=${WARMUP_CALLS:-$([ "$QUICK" = 1 ] && echo 3000 || echo 20000)}  # the simulator's, by the Java client
ROUNDS=${ROUNDS:-$([ "$QUICK" = 1 ] && echo 1 || echo 3)}  # fresh clients and proxy each round: cold JVMs differ by ms
WARM=${WARM:-0}  # s of load on each proxy over HTTP/1.1, then as long over HTTP/2, before its client's calls
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/btp-bench
JS_SDK_VERSION=${JS_SDK_VERSION:-3.1178.0}

python3 -c 'import boto3' || { echo "needs python3 with boto3" >&2; exit 1; }
if [ "$WARM" != 0 ]; then
  for tool in wrk h2load; do command -v $tool >/dev/null || { echo "WARM needs $tool: apt-get install -y wrk nghttp2-client" >&2; exit 1; }; done
fi
if [[ " $CLIENTS " == *" js "* ]]; then
  JS_DIR=$CACHE/aws-sdk-js-$JS_SDK_VERSION
  [ -d "$JS_DIR/node_modules/@aws-sdk/client-bedrock-runtime" ] ||
    npm install --prefix "$JS_DIR" --no-audit --no-fund --silent "@aws-sdk/client-bedrock-runtime@$JS_SDK_VERSION" >&2
fi
source bench/micro-build.sh  # CP: the proxy's classpath, the AWS SDK for Java v2 among it
mkdir -p target/bench-sdk
javac -d target/bench-sdk -cp "$CP" bench/sdk/dev/bedrocktenant/bench/SdkColdClient.java
source bench/processes.sh

client() {  # name endpoint calls interval_ms tenant_header: the client's lines, one per call
  case $1 in
    boto3) python3 bench/sdk/cold-boto3.py "$2" "$3" "$4" "$STREAM_EVERY" "$5" ;;
    js) NODE_PATH=$JS_DIR/node_modules NODE_NO_WARNINGS=1 node bench/sdk/cold-js.cjs "$2" "$3" "$4" "$STREAM_EVERY" "$5" ;;
    java) java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "target/bench-sdk:$CP" dev.bedrocktenant.bench.SdkColdClient "$2" "$3" "$4" "$STREAM_EVERY" "$5" ;;
  esac
}

# The clients' own mix, at 16 connections: Converse, and every tenth call a ConverseStream (the stream's directive
# is in both bodies; Converse ignores it). HTTP/1.1 is boto3's protocol, HTTP/2 that of the JS and Java SDKs.
warm_up() {  # proxy URL
  local path=/model/anthropic.claude-3-haiku-20240307-v1%3A0 out
  printf '%s' '{"messages":[{"role":"user","content":[{"text":"Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]] [[sim:events=20]]"}]}]}' >"$WORK/warm-body"
  cat >"$WORK/warm.lua" <<LUA
wrk.method = "POST"
local f = io.open("$WORK/warm-body"); wrk.body = f:read("*a"); f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Tenant-Id"] = "acme"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "$path/" .. (n % $STREAM_EVERY == 0 and "converse-stream" or "converse"))
end
LUA
  out=$(wrk -t2 -c16 -d"$WARM"s --timeout 10s -s "$WORK/warm.lua" "$1")
  if grep -q 'Non-2xx' <<<"$out"; then echo "warm-up over HTTP/1.1: answers that are not 2xx" >&2; exit 1; fi
  echo "  warmed over HTTP/1.1: $(awk '/^Requests\/sec/ {printf "%.0f", $2 * '"$WARM"'}' <<<"$out") calls" >&2
  local uris=() i
  for i in $(seq "$STREAM_EVERY"); do uris+=("$1$path/$([ "$i" = "$STREAM_EVERY" ] && echo converse-stream || echo converse)"); done
  out=$(h2load -c16 -m1 -D "$WARM" -d "$WORK/warm-body" -H 'Content-Type: application/json' -H 'X-Tenant-Id: acme' "${uris[@]}")
  grep -q ' 0 failed, 0 errored' <<<"$out" && grep -q ' 0 4xx, 0 5xx' <<<"$out" || { echo "warm-up over HTTP/2: $(grep '^requests:' <<<"$out")" >&2; exit 1; }
  echo "  warmed over HTTP/2: $(awk '/^requests:/ {print $2}' <<<"$out") calls" >&2
}

start_simulator
echo "warming up the simulator: $WARMUP_CALLS calls" >&2
client java "$SIM_URL" "$WARMUP_CALLS" 0 0 >/dev/null
for r in $(seq "$ROUNDS"); do
  for c in $CLIENTS; do
    echo "$c, round $r of $ROUNDS: $CALLS calls, one every $INTERVAL_MS ms, straight to the simulator" >&2
    client "$c" "$SIM_URL" "$CALLS" "$INTERVAL_MS" 0 >"$WORK/$c-direct-$r"
    start_proxy "$c-$r"
    echo "$c, round $r of $ROUNDS: through a proxy ready in $((PROXY_READY_NS / 1000000)) ms" >&2
    [ "$WARM" = 0 ] || warm_up "http://127.0.0.1:$PROXY_PORT"
    client "$c" "http://127.0.0.1:$PROXY_PORT" "$CALLS" "$INTERVAL_MS" 1 >"$WORK/$c-proxy-$r"
    stop "$PROXY_PID"
  done
done

echo
echo "sdk-cold.sh: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+changes'), $(date -u +%FT%TZ), $(nproc) cores," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg), proxy on $($PROXY_JAVA -version 2>&1 | head -1) ${JAVA_OPTS:+($JAVA_OPTS)}," \
     "MODE=$MODE CALLS=$CALLS INTERVAL_MS=$INTERVAL_MS STREAM_EVERY=$STREAM_EVERY WARM=$WARM ROUNDS=$ROUNDS"
echo
# shellcheck disable=SC2086  # one argument per client
python3 bench/sdk/cold-summary.py "$WORK" "$ROUNDS" $CLIENTS
