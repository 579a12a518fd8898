#!/usr/bin/env bash
# What a CPU profiler attributes to metering: a second, steadier view of metering-overhead.sh.
#
# The same set-up (one simulator, a proxy without metering and one with it, each under its own `hey`
# load at RATE req/s at the same time), both proxies sampled by async-profiler (CPU time, every
# 499 µs, one file per 30 s window). After WARMUP seconds, WINDOWS windows are summed:
#   metering = samples of the metering proxy in metering's own code (stacks through MeteredExchange
#              or Metering) plus all of its usage-ledger-writer thread,
#   baseline = every sample of the proxy without metering, JIT compiler threads left out.
# metering / baseline is the share of the proxy's CPU per request that metering's code takes. It leaves
# out what metering costs indirectly (garbage collection, caches, code the JIT compiles differently),
# which the A/B bench counts but cannot tell from its noise. Also prints where metering's samples go.
#
#   bash bench/metering-profile.sh    # needs: mvn package done, apt-get install -y hey
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
RATE=${RATE:-500}
WORKERS=${WORKERS:-20}
WARMUP=${WARMUP:-120}       # a multiple of 30
WINDOWS=${WINDOWS:-4}
OP=${OP:-converse}
PROFILER_VERSION=4.1
OUT=$(mktemp -d)
JAVA_OPTS=${JAVA_OPTS:-}    # JVM options for both proxies, e.g. -XX:+PrintCompilation (printed to /tmp/bench-proxy-PORT.log)
PROFILER_OPTS=${PROFILER_OPTS:-}  # more async-profiler options, e.g. ,ann (marks frames interpreted _[0], C1 _[1], inlined _[i])
DETAIL=${DETAIL:-0}         # >0: also list the DETAIL hottest leaf frames of metering's samples
[ -f "$JAR" ] || mvn -B -q package -DskipTests
command -v hey >/dev/null || { echo "install hey: apt-get install -y hey" >&2; exit 1; }

# async-profiler from Maven Central (the jar carries the native library of each platform)
LIB=target/async-profiler/linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')/libasyncProfiler.so
if [ ! -f "$LIB" ]; then
  mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:$PROFILER_VERSION -DoutputDirectory=target/async-profiler
  (cd target/async-profiler && unzip -q -o "async-profiler-$PROFILER_VERSION.jar")
fi

java -Xmx256m -Dquarkus.http.port=18900 -Dproxy.simulator.enabled=true -Dproxy.simulator.port=18901 \
     -Dproxy.tenants-file=deploy/demo/tenants.yaml -Dquarkus.log.level=WARN -jar "$JAR" >/tmp/bench-sim.log 2>&1 &
PIDS=($!)
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$OUT"' EXIT
start() {  # port, metering on?
  java -agentpath:"$PWD/$LIB"=start,event=cpu,interval=499us,threads,loop=30s,file="$OUT/$2-%n{999}.collapsed"$PROFILER_OPTS \
       -Xmx256m $JAVA_OPTS -Dquarkus.http.port=$1 -Dproxy.upstream-url=http://127.0.0.1:18901 \
       -Dproxy.tenants-file=deploy/demo/tenants.yaml -Dproxy.ledger.dir="$OUT/ledger-$1" \
       -Dproxy.profiles.discovery.enabled=false -Dproxy.signing.access-key-id=AKIASIMULATOR0000001 \
       -Dproxy.signing.secret-access-key=simulator-secret-key -Dproxy.metering.enabled=$2 -Dquarkus.log.level=WARN \
       -jar "$JAR" >/tmp/bench-proxy-$1.log 2>&1 &
  PIDS+=($!)
}
start 18910 false
start 18920 true
sleep 5
BODY='{"messages":[{"role":"user","content":[{"text":"Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]] [[sim:cache-read=30]] [[sim:events=20]]"}]}]}'
SECONDS_RUN=$((WARMUP + WINDOWS * 30 + 10))
LOADS=()
for port in 18910 18920; do
  hey -z "${SECONDS_RUN}s" -c "$WORKERS" -q $((RATE / WORKERS)) -m POST -T application/json -H "X-Tenant-Id: acme" \
      -d "$BODY" "http://127.0.0.1:$port/model/anthropic.claude-3-haiku-20240307-v1%3A0/$OP" >/dev/null &
  LOADS+=($!)
done
wait "${LOADS[@]}"
kill "${PIDS[@]}"
while kill -0 "${PIDS[@]}" 2>/dev/null; do sleep 0.2; done

first=$((WARMUP / 30)) last=$((WARMUP / 30 + WINDOWS - 1))
files() { for n in $(seq "$first" "$last"); do printf '%s/%s-%d.collapsed ' "$OUT" "$1" "$n"; done; }
# (collapsed stacks: frames joined by ';', then the sample count; thread names hold spaces)
awk -v windows="$WINDOWS" -v from="$WARMUP" -v detail="$DETAIL" '
  FNR == 1 { on = FILENAME ~ /true-/ }
  {
    n = $NF; stack = $0; sub(/ [0-9]+$/, "", stack)
    if (!on) { if (stack !~ /^\[C[12] CompilerThre/) base += n; next }
    writer = stack ~ /^\[usage-ledger-writer/
    if (!writer && stack !~ /MeteredExchange|metering\/Metering\./) next
    metering += n
    if (writer) { p = "ledger writer thread"; part[p] += n }
    else if (stack ~ /UsageLedger\.append/) { p = "ledger line and journal"; part[p] += n }
    else if (stack ~ /MeteredExchange\.on(Bytes|Headers)|Metering\.observe/) { p = "usage extraction"; part[p] += n }
    else if (stack ~ /PrometheusUsageMeters/) { p = "Prometheus"; part[p] += n }
    else if (stack ~ /PriceTable|ModelPrice/) { p = "pricing"; part[p] += n }
    else if (stack ~ /CloudWatchExporter/) { p = "CloudWatch aggregation"; part[p] += n }
    else { p = "the rest (usage record, futures, ...)"; part[p] += n }
    if (detail > 0) { leaf = stack; sub(/.*;/, "", leaf); self[p " | " leaf] += n }
  }
  END {
    printf "%d windows of 30 s after %d s: metering %d samples, proxy without metering %d samples (JIT threads left out)\n",
           windows, from, metering, base
    printf "metering code = %.1f %% of the proxy'"'"'s CPU per request\n", 100 * metering / base
    for (p in part) printf "  %6d samples  %4.1f %%  %s\n", part[p], 100 * part[p] / base, p | "sort -rn"
    close("sort -rn")
    if (detail > 0) {
      print "hottest leaf frames of metering'"'"'s samples:"
      for (f in self) printf "  %6d  %s\n", self[f], f | ("sort -rn | head -" detail)
    }
  }' $(files false) $(files true)
if [ "$DETAIL" -gt 0 ]; then  # the raw stacks, for a closer look
  rm -rf target/profile-last && mkdir -p target/profile-last && cp "$OUT"/*.collapsed target/profile-last/
  echo "collapsed stacks kept in target/profile-last/"
fi
