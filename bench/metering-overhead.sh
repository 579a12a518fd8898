#!/usr/bin/env bash
# Measures what metering costs the proxy in CPU per request, at a fixed request rate.
#
# Two proxies run side by side, one with metering off and one with it on (proxy.metering.enabled),
# each under its own `hey` load at RATE req/s at the same time, in front of one built-in Bedrock
# simulator (a JVM of its own, not counted). Run together, both see the same machine noise; each
# round starts fresh proxies (every other round the metering one first) and measures after a long
# warm-up, when the JIT has mostly settled. CPU is the proxy process's utime+stime from /proc over
# the measured run, without the JIT compiler threads (start-up work that a native build does not
# have at all; shown apart). Prints each round, the median of the on/off ratios and their mean with
# a 95 % interval. ON_METERING=false runs A/A: both proxies without metering, to see the noise.
#
#   bash bench/metering-overhead.sh     # needs: mvn package done, apt-get install -y hey
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
RATE=${RATE:-500}
WORKERS=${WORKERS:-20}
WARMUP=${WARMUP:-150}
DURATION=${DURATION:-60}
ROUNDS=${ROUNDS:-6}
OP=${OP:-converse}          # converse | converse-stream
ON_OPTS=${ON_OPTS:-}        # extra -D options for the metering proxy, e.g. -Dproxy.ledger.commit-interval=0s
JAVA_OPTS=${JAVA_OPTS:-}    # JVM options for both proxies, e.g. -XX:TieredStopAtLevel=1
ON_METERING=${ON_METERING:-true}  # false: an A/A run (both proxies without metering) shows the bench's own noise
SIM_PORT=18901 OFF_PORT=18910 ON_PORT=18920
[ -f "$JAR" ] || mvn -B -q package -DskipTests
command -v hey >/dev/null || { echo "install hey: apt-get install -y hey" >&2; exit 1; }

java -Xmx256m -Dquarkus.http.port=18900 -Dproxy.simulator.enabled=true -Dproxy.simulator.port=$SIM_PORT \
     -Dproxy.tenants-file=deploy/demo/tenants.yaml -Dquarkus.log.level=WARN -jar "$JAR" >/tmp/bench-sim.log 2>&1 &
SIM=$!
PROXIES=()
trap 'kill $SIM "${PROXIES[@]}" 2>/dev/null || true' EXIT
sleep 4

# 120 input tokens (30 from cache), 40 output tokens in 20 text events for the stream
BODY='{"messages":[{"role":"user","content":[{"text":"Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]] [[sim:cache-read=30]] [[sim:events=20]]"}]}]}'

start() {  # port, metering on?, extra options; prints pid and ledger dir
  local ledger; ledger=$(mktemp -d)
  java -Xmx256m $JAVA_OPTS $3 -Dquarkus.http.port=$1 -Dproxy.upstream-url=http://127.0.0.1:$SIM_PORT \
       -Dproxy.tenants-file=deploy/demo/tenants.yaml -Dproxy.ledger.dir="$ledger" -Dproxy.profiles.discovery.enabled=false \
       -Dproxy.signing.access-key-id=AKIASIMULATOR0000001 -Dproxy.signing.secret-access-key=simulator-secret-key \
       -Dproxy.metering.enabled=$2 -Dquarkus.log.level=WARN -jar "$JAR" >/tmp/bench-proxy-$1.log 2>&1 &
  echo "$! $ledger"
}
load() {  # port, seconds; prints the requests answered 200
  hey -z "$2s" -c "$WORKERS" -q $((RATE / WORKERS)) -m POST -T application/json -H "X-Tenant-Id: acme" -d "$BODY" \
      "http://127.0.0.1:$1/model/anthropic.claude-3-haiku-20240307-v1%3A0/$OP" | awk '/\[200\]/ {print $2}'
}
ticks() {  # pid, jit|other: CPU ticks of the JIT compiler threads, or of all the others
  for task in /proc/$1/task/*; do
    case "$(cat "$task/comm")" in C1*|C2*) kind=jit ;; *) kind=other ;; esac
    if [ "$kind" = "$2" ]; then awk '{print $14 + $15}' "$task/stat"; fi
  done | awk '{s += $1} END {print s + 0}'
}

ratios=()
FIRST_PORT=$OFF_PORT SECOND_PORT=$ON_PORT
for round in $(seq "$ROUNDS"); do
  # every other round the metering proxy starts first, on the other port: an A/A run showed the
  # second-started proxy some 5 % cheaper, a bias that alternating cancels
  if (( round % 2 )); then OFF_PORT=$FIRST_PORT ON_PORT=$SECOND_PORT
    read -r OFF OFF_LEDGER < <(start $OFF_PORT false "")
    read -r ON ON_LEDGER < <(start $ON_PORT "$ON_METERING" "$ON_OPTS")
  else OFF_PORT=$SECOND_PORT ON_PORT=$FIRST_PORT
    read -r ON ON_LEDGER < <(start $ON_PORT "$ON_METERING" "$ON_OPTS")
    read -r OFF OFF_LEDGER < <(start $OFF_PORT false "")
  fi
  PROXIES=("$OFF" "$ON")
  sleep 5
  load $OFF_PORT "$WARMUP" >/tmp/bench-warm-off & a=$!
  load $ON_PORT "$WARMUP" >/tmp/bench-warm-on & b=$!
  wait $a $b
  off0=$(ticks "$OFF" other); on0=$(ticks "$ON" other); offj0=$(ticks "$OFF" jit); onj0=$(ticks "$ON" jit)
  load $OFF_PORT "$DURATION" >/tmp/bench-n-off & a=$!
  load $ON_PORT "$DURATION" >/tmp/bench-n-on & b=$!
  wait $a $b
  off1=$(ticks "$OFF" other); on1=$(ticks "$ON" other); offj1=$(ticks "$OFF" jit); onj1=$(ticks "$ON" jit)
  rss=$(awk '/VmRSS/ {print $2}' /proc/"$ON"/status)
  kill "$OFF" "$ON"
  while kill -0 "$OFF" 2>/dev/null || kill -0 "$ON" 2>/dev/null; do sleep 0.1; done  # (not children: no wait)
  lines=$(cat "$ON_LEDGER"/*.jsonl 2>/dev/null | wc -l || true)  # (none in an A/A run)
  answered=$(( $(cat /tmp/bench-warm-on) + $(cat /tmp/bench-n-on) ))
  rm -rf "$OFF_LEDGER" "$ON_LEDGER"
  ratio=$(awk -v a=$((off1 - off0)) -v b=$((on1 - on0)) -v na="$(cat /tmp/bench-n-off)" -v nb="$(cat /tmp/bench-n-on)" \
              -v ja=$((offj1 - offj0)) -v jb=$((onj1 - onj0)) -v hz="$(getconf CLK_TCK)" -v r="$round" -v rss="$rss" \
              -v lines="$lines" -v answered="$answered" -v d="$DURATION" 'BEGIN {
      off = a * 1000 / hz / na; on = b * 1000 / hz / nb
      printf "round %d  off: %d req (%.0f/s) %.4f ms/req (JIT %.4f)   on: %d req %.4f ms/req (JIT %.4f)   on/off %+.1f%%   rss_on %.0f MB   ledger %d lines / %d answered\n",
             r, na, na / d, off, ja * 1000 / hz / na, nb, on, jb * 1000 / hz / nb, (on / off - 1) * 100, rss / 1024, lines, answered > "/dev/stderr"
      printf "%.2f\n", (on / off - 1) * 100 }')
  ratios+=("$ratio")
done
printf '%s\n' "${ratios[@]}" | sort -g | awk -v op="$OP" -v rate="$RATE" '{v[NR] = $1; s += $1} END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  mean = s / NR; for (i = 1; i <= NR; i++) ss += (v[i] - mean) ^ 2
  split("12.71 4.30 3.18 2.78 2.57 2.45 2.36 2.31 2.26 2.23", t, " ")   # Student t, 97.5 %, by degrees of freedom
  half = NR > 1 ? (NR - 1 <= 10 ? t[NR - 1] : 2.0) * sqrt(ss / (NR - 1) / NR) : 0
  printf "OP=%s RATE=%s ROUNDS=%d: metering adds a median %+.1f%% CPU per request (rounds from %+.1f%% to %+.1f%%; mean %+.1f%%, 95%% interval %+.1f%% to %+.1f%%)\n", op, rate, NR, m, v[1], v[NR], mean, mean - half, mean + half}'
