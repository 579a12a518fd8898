#!/usr/bin/env bash
# Measures what metering costs the proxy in CPU per request, at a fixed request rate.
#
# PAIRS pairs of proxies run side by side, in each pair one with metering off and one with it on
# (proxy.metering.enabled), every proxy under its own `hey` load at RATE req/s at the same time, in
# front of one built-in Bedrock simulator (a JVM of its own, not counted). Run together, all see the
# same machine noise. Each round starts fresh proxies (in every other pair the metering one first) and
# measures after a long warm-up, when the JIT has mostly settled; the load runs on from the warm-up into the
# measured window (restarting it opened new connections, and their code made the JIT recompile the
# connection handling in the window). CPU is the proxy process's
# utime+stime from /proc over the measured run, without the JIT compiler threads (start-up work that a
# native build does not have at all; shown apart). Each JVM compiles the proxy a little differently,
# and that alone moves its CPU per request by up to ±10 %: the pairs of all rounds are independent
# samples, and the script prints each, their median and their mean, each with a 95 % interval
# (bench/overhead-summary.awk, which also pools saved runs).
# ON_METERING=false runs A/A: both proxies of a pair without metering, to see the noise.
#
#   bash bench/metering-overhead.sh     # needs: mvn package done, apt-get install -y hey
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
RATE=${RATE:-500}
WORKERS=${WORKERS:-20}
WARMUP=${WARMUP:-150}
DURATION=${DURATION:-60}
ROUNDS=${ROUNDS:-4}
PAIRS=${PAIRS:-3}           # pairs per round; each proxy takes ~10 % of a core at 500 req/s, its hey ~5 %
OP=${OP:-converse}          # converse | converse-stream
ON_OPTS=${ON_OPTS:-}        # extra -D options for the metering proxy, e.g. -Dproxy.ledger.commit-interval=0s
JAVA_OPTS=${JAVA_OPTS:-}    # JVM options for both proxies, e.g. -XX:TieredStopAtLevel=1
ON_METERING=${ON_METERING:-true}  # false: an A/A run (both proxies without metering) shows the bench's own noise
SIM_PORT=18901
[ -f "$JAR" ] || mvn -B -q package -DskipTests
command -v hey >/dev/null || { echo "install hey: apt-get install -y hey" >&2; exit 1; }

. bench/common.sh
start_simulator

start() {  # port, metering on?, extra options; prints pid and ledger dir
  local ledger; ledger=$(mktemp -d)
  java -Xmx256m $JAVA_OPTS $3 -Dquarkus.http.port=$1 -Dproxy.upstream-url=http://127.0.0.1:$SIM_PORT \
       -Dproxy.tenants-file=deploy/demo/tenants.yaml -Dproxy.ledger.dir="$ledger" -Dproxy.profiles.discovery.enabled=false \
       -Dproxy.signing.access-key-id=AKIASIMULATOR0000001 -Dproxy.signing.secret-access-key=simulator-secret-key \
       -Dproxy.metering.enabled=$2 -Dquarkus.log.level=WARN -jar "$JAR" >/tmp/bench-proxy-$1.log 2>&1 &
  echo "$! $ledger"
}
load() {  # port; runs until interrupted (new connections make the JIT recompile); prints the requests answered 200
  hey -z 3600s -c "$WORKERS" -q $((RATE / WORKERS)) -m POST -T application/json -H "X-Tenant-Id: acme" -d "$BODY" \
      "http://127.0.0.1:$1/model/anthropic.claude-3-haiku-20240307-v1%3A0/$OP" |
    awk '$1 == "[200]" && $3 == "responses" {n = $2} END {print n + 0}'  # (not an error line counted 200 times)
}
ticks() {  # pid: CPU ticks of all threads but the JIT compilers, of the JIT compilers, of the garbage
           # collector (and VM thread), and of the usage-ledger threads (all but JIT include these two)
  for task in /proc/$1/task/*; do
    case "$(cat "$task/comm")" in
      C1*|C2*) kind=jit ;; "GC Thread"*|G1*|"VM Thread") kind=gc ;; usage-ledger*) kind=writer ;; *) kind=rest ;;
    esac
    echo "$kind $(awk '{print $14 + $15}' "$task/stat")"
  done | awk '{t[$1] += $2} END {print t["rest"] + t["gc"] + t["writer"], t["jit"] + 0, t["gc"] + 0, t["writer"] + 0}'
}

measure() {  # round: warms up and measures every pair at once; prints one line per pair
  local pids=() ledgers=() ports=() roles=() loads=() i
  trap 'pkill -f "hey .*127.0.0.1:189" || true; kill "${pids[@]}" 2>/dev/null || true' EXIT  # (in a subshell of its own)
  for i in $(seq 0 $((PAIRS - 1))); do
    # metering first in every other pair (alternating by round too): an A/A run showed the
    # second-started proxy some 5 % cheaper, a bias that alternating cancels
    local order="off on"
    if (( (round + i) % 2 == 0 )); then order="on off"; fi
    for role in $order; do
      local port=$((18910 + ${#pids[@]})) pid ledger metering=false opts=""
      if [ "$role" = on ]; then metering=$ON_METERING opts=$ON_OPTS; fi
      read -r pid ledger < <(start $port "$metering" "$opts")
      pids+=("$pid"); ledgers+=("$ledger"); ports+=("$port"); roles+=("$role")
    done
  done
  sleep 5
  # One load per proxy from warm-up to the end: requests in the measured window are the bytes received on its
  # connections (`ss`) over a request's size (every request is the same bytes): the bytes received by the end
  # over the requests answered.
  for i in "${!pids[@]}"; do load "${ports[$i]}" >/tmp/bench-n-$i & loads+=($!); done
  sleep "$WARMUP"
  local before=() after=() received=()
  for i in "${!pids[@]}"; do before+=("$(ticks "${pids[$i]}") $(received_bytes "${ports[$i]}")"); done
  sleep "$DURATION"
  for i in "${!pids[@]}"; do after+=("$(ticks "${pids[$i]}") $(received_bytes "${ports[$i]}")"); done
  for i in "${!pids[@]}"; do
    received+=("$(received_bytes "${ports[$i]}")")
    pkill -INT -f "hey .*127.0.0.1:${ports[$i]}/" || true  # (hey then reports)
  done
  wait "${loads[@]}"
  local rss=(); for i in "${!pids[@]}"; do rss+=("$(awk '/VmRSS/ {print $2}' /proc/"${pids[$i]}"/status)"); done
  kill "${pids[@]}"
  while kill -0 "${pids[@]}" 2>/dev/null; do sleep 0.1; done  # (not children: no wait)
  for i in "${!pids[@]}"; do
    local lines; lines=$(cat "${ledgers[$i]}"/*.jsonl 2>/dev/null | wc -l || true)  # (none without metering)
    local t0 t1 answered requests; read -ra t0 <<<"${before[$i]}"; read -ra t1 <<<"${after[$i]}"
    answered=$(cat /tmp/bench-n-$i)
    requests=$(awk -v b="$((t1[4] - t0[4]))" -v total="${received[$i]}" -v n="$answered" 'BEGIN {printf "%.0f", b * n / total}')
    echo "${roles[$i]} $((t1[0] - t0[0])) $((t1[1] - t0[1])) $requests ${rss[$i]} $lines" \
         "$answered $((t1[2] - t0[2])) $((t1[3] - t0[3]))"
    rm -rf "${ledgers[$i]}"
  done
}

ratios=()
for round in $(seq "$ROUNDS"); do
  # per proxy: role (off|on) cpu_ticks jit_ticks requests rss_kb ledger_lines answered gc_ticks writer_ticks;
  # in start order, pair by pair
  mapfile -t proxies < <(measure)
  for i in $(seq 0 $((PAIRS - 1))); do
    read -r m1 c1 j1 n1 r1 l1 a1 g1 w1 <<<"${proxies[$((2 * i))]}"
    read -r m2 c2 j2 n2 r2 l2 a2 g2 w2 <<<"${proxies[$((2 * i + 1))]}"
    if [ "$m1" = off ]; then first=off; set -- $c1 $j1 $n1 $g1 $c2 $j2 $n2 $r2 $l2 $a2 $g2 $w2
    else first=on; set -- $c2 $j2 $n2 $g2 $c1 $j1 $n1 $r1 $l1 $a1 $g1 $w1; fi
    ratio=$(awk -v a="$1" -v ja="$2" -v na="$3" -v ga="$4" -v b="$5" -v jb="$6" -v nb="$7" -v rss="$8" -v lines="$9" \
                -v answered="${10}" -v gb="${11}" -v wb="${12}" -v hz="$(getconf CLK_TCK)" -v r="$round" -v p="$((i + 1))" \
                -v first="$first" -v d="$DURATION" 'BEGIN {
        off = a * 1000 / hz / na; on = b * 1000 / hz / nb
        printf "round %d pair %d (%s first)  off: %d req (%.0f/s) %.4f ms/req (of it GC %.4f; JIT %.4f)   on: %d req %.4f ms/req (of it GC %.4f, ledger threads %.4f; JIT %.4f)   on/off %+.1f%%   rss_on %.0f MB   ledger %d lines / %d answered\n",
               r, p, first, na, na / d, off, ga * 1000 / hz / na, ja * 1000 / hz / na, nb, on, gb * 1000 / hz / nb,
               wb * 1000 / hz / nb, jb * 1000 / hz / nb, (on / off - 1) * 100, rss / 1024, lines, answered > "/dev/stderr"
        printf "%.2f\n", (on / off - 1) * 100 }')
    ratios+=("$ratio")
  done
done
printf '%s\n' "${ratios[@]}" | awk -v op="$OP" -v rate="$RATE" -f bench/overhead-summary.awk
