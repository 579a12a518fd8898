#!/usr/bin/env bash
# Metering's CPU per request measured inside each JVM: a crossover, the steadier companion of the A/B in
# metering-overhead.sh. There, each JVM compiles the proxy a little differently and that alone moves its CPU
# per request by up to ±10 %; here every proxy is its own control.
#
# PROXIES proxies (metering configured on) run side by side in front of one built-in simulator, each under its
# own `hey` load at RATE req/s for the whole round (new connections make the JIT recompile the connection
# code, so the load is never restarted), each with the bench-only agent bench/toggle (MeteringToggle), which
# switches metering on and off while the JVM runs. After WARMUP seconds of windows alternating on and off (the
# JIT compiles both ways), WINDOWS windows of DURATION seconds are measured, in the order off on on off off on
# ... (on off off on ... in every other proxy, so the machine's load stays level and drift cancels). CPU is
# the on-CPU time of every thread but the JIT compilers (shown apart) and the agent's, from
# /proc/<pid>/task/*/schedstat (nanoseconds). Requests are counted by the bytes the proxy received on the load's
# connections (`ss`; every request is the same bytes), in requests of the size that the "on" windows show
# (their bytes over the requests metering counted, bedrock_tenant_requests_total). A proxy's result: its CPU per request with metering on
# over its CPU per request with it off, minus 1, after taking out what moved every proxy in the same window
# (bench/crossover-summary.awk). Checked: each proxy's ledger holds a line per request metering counted, and the
# off windows meter nothing (but the few requests in flight at a toggle).
#
# What it leaves out: the A/B's question whether the mere presence of metering's code makes the JIT compile
# the rest of the proxy worse (with C2 kept from inlining metering, the A/B did not change: bench/README.md).
# The ledger writer's last round of an "on" window (at most fsync-interval, 1 s) falls in the next window.
#
#   bash bench/metering-crossover.sh    # needs: mvn package done, apt-get install -y hey; ROUNDS=3 ~ 25 min
#   PROFILE=1 ROUNDS=1 bash bench/metering-crossover.sh   # and where the on windows' CPU goes (async-profiler)
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
RATE=${RATE:-500}
WORKERS=${WORKERS:-20}
PROXIES=${PROXIES:-6}       # each ~10 % of a core at 500 req/s and its hey ~5 %: 6 keep 2 cores under 80 % busy
WARMUP=${WARMUP:-240}       # in windows of WARMUP_WINDOW seconds, alternating
WARMUP_WINDOW=${WARMUP_WINDOW:-20}
WINDOWS=${WINDOWS:-8}       # measured; a multiple of 4 keeps the off on on off pattern whole
DURATION=${DURATION:-20}
ROUNDS=${ROUNDS:-3}
OP=${OP:-converse}          # converse | converse-stream
JAVA_OPTS=${JAVA_OPTS:-}
PROFILE=${PROFILE:-0}       # 1: also profile every window (async-profiler) and show where the on windows' extra CPU goes
SIM_PORT=18901
[ -f "$JAR" ] || mvn -B -q package -DskipTests
command -v hey >/dev/null || { echo "install hey: apt-get install -y hey" >&2; exit 1; }

AGENT=target/bench-toggle/metering-toggle.jar
mkdir -p target/bench-toggle/classes
javac -d target/bench-toggle/classes bench/toggle/dev/bedrocktenant/bench/MeteringToggle.java
printf 'Premain-Class: dev.bedrocktenant.bench.MeteringToggle\n' >target/bench-toggle/manifest
jar cfm "$AGENT" target/bench-toggle/manifest -C target/bench-toggle/classes .
PROFILER_JAR=target/async-profiler/async-profiler-4.1.jar
PROFILER_LIB=target/async-profiler/linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')/libasyncProfiler.so
if [ "$PROFILE" = 1 ] && [ ! -f "$PROFILER_LIB" ]; then  # as in metering-profile.sh
  mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.1 -DoutputDirectory=target/async-profiler
  (cd target/async-profiler && unzip -q -o async-profiler-4.1.jar)
fi

. bench/common.sh
start_simulator

load() {  # port: one load for the whole round (new connections make the JIT recompile), until interrupted
  hey -z 3600s -c "$WORKERS" -q $((RATE / WORKERS)) -m POST -T application/json -H "X-Tenant-Id: acme" -d "$BODY" \
      "http://127.0.0.1:$1/model/anthropic.claude-3-haiku-20240307-v1%3A0/$OP" |
    awk '/^Error distribution/ {err = 1}
         $1 ~ /^\[[0-9]+\]$/ { v = $1; gsub(/[][]/, "", v); if (err) e += v; else if (v == 200) n = $2; else e += $2 }
         END {print n + 0, e + 0}'  # (answered 200; other statuses and errors)
}
cpu_ns() {  # pid: on-CPU nanoseconds of all threads but the JIT compilers and the toggle agent; of the JIT
  for task in /proc/$1/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in C1*|C2*) kind=jit ;; metering-toggl*) continue ;; *) kind=rest ;; esac
    echo "$kind $(awk '{print $1}' "$task/schedstat" 2>/dev/null || echo 0)"
  done | awk '{s[$1] += $2} END {printf "%.0f %.0f\n", s["rest"], s["jit"]}'
}
metered_requests() {  # port: requests metering has counted so far (bedrock_tenant_requests_total)
  curl -s "http://127.0.0.1:$1/metrics" | awk '/^bedrock_tenant_requests_total\{/ {s += $NF} END {printf "%.0f\n", s}'
}
state() {  # window (from 0), proxy: on or off; off on on off ... and the mirror image for odd proxies
  local phase=$(( ($1 + $2 % 2 * 2) % 4 ))
  if (( phase == 1 || phase == 2 )); then echo on; else echo off; fi
}

round() {  # prints "window WINDOW PROXY on|off CPU_NS REQUEST_BYTES JIT_NS METERED" per measured window and proxy,
           # then "ledger PROXY LINES METERED ANSWERED ERRORS" per proxy
  dir=$(mktemp -d) pids=()  # (not local: the trap runs as this subshell exits)
  local ports=() i
  trap 'pkill -f "hey .*127.0.0.1:189" || true; kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT
  for i in $(seq 0 $((PROXIES - 1))); do
    local port=$((18910 + i)) agent="$PWD/$AGENT=$dir/control-$i"
    [ "$PROFILE" = 1 ] && mkdir -p "$dir/profile-$i" && agent+=",$dir/profile-$i,$PWD/$PROFILER_JAR,$PWD/$PROFILER_LIB"
    echo on start >"$dir/control-$i"
    java -javaagent:"$agent" -Xmx256m $JAVA_OPTS -Dquarkus.http.port=$port \
         -Dproxy.upstream-url=http://127.0.0.1:$SIM_PORT -Dproxy.tenants-file=deploy/demo/tenants.yaml \
         -Dproxy.ledger.dir="$dir/ledger-$i" -Dproxy.profiles.discovery.enabled=false \
         -Dproxy.signing.access-key-id=AKIASIMULATOR0000001 -Dproxy.signing.secret-access-key=simulator-secret-key \
         -Dproxy.metering.enabled=true -Dquarkus.log.level=WARN -jar "$JAR" >/tmp/bench-proxy-$port.log 2>&1 &
    pids+=($!); ports+=("$port")
  done
  sleep 5
  local warm=$((WARMUP / WARMUP_WINDOW)) w loads=()
  for i in "${!pids[@]}"; do
    load "${ports[$i]}" >"$dir/n-$i" & loads+=($!)
  done
  for w in $(seq $((-warm)) $((WINDOWS - 1))); do
    local seconds=$DURATION states=() before=() after=()
    (( w < 0 )) && seconds=$WARMUP_WINDOW
    for i in "${!pids[@]}"; do states+=("$(state $((w + warm * 4)) "$i")"); done
    toggle "$w" "${states[@]}"
    for i in "${!pids[@]}"; do
      before+=("$(cpu_ns "${pids[$i]}") $(received_bytes "${ports[$i]}") $(metered_requests "${ports[$i]}")")
    done
    sleep "$seconds"
    for i in "${!pids[@]}"; do
      after+=("$(cpu_ns "${pids[$i]}") $(received_bytes "${ports[$i]}") $(metered_requests "${ports[$i]}")")
    done
    for i in "${!pids[@]}"; do
      local b a; read -ra b <<<"${before[$i]}"; read -ra a <<<"${after[$i]}"
      (( w >= 0 )) && echo "window $w $i ${states[$i]} $((a[0] - b[0])) $((a[2] - b[2])) $((a[1] - b[1])) $((a[3] - b[3]))"
    done
  done
  toggle end $(for i in "${!pids[@]}"; do echo done; done)  # (ends the last profiled window)
  for i in "${!pids[@]}"; do pkill -INT -f "hey .*127.0.0.1:${ports[$i]}/" || true; done  # (hey then reports)
  wait "${loads[@]}"
  local counted=(); for i in "${!pids[@]}"; do counted+=("$(metered_requests "${ports[$i]}")"); done
  sleep 2  # the writer's last round
  kill "${pids[@]}"
  while kill -0 "${pids[@]}" 2>/dev/null; do sleep 0.1; done
  for i in "${!pids[@]}"; do
    local answered errors; read -r answered errors <"$dir/n-$i"
    echo "ledger $i $(cat "$dir/ledger-$i"/usage-*.jsonl 2>/dev/null | wc -l) ${counted[$i]} $answered $errors"
  done
  if [ "$PROFILE" = 1 ]; then
    rm -rf target/crossover-profile && cp -r "$dir" target/crossover-profile && rm -rf target/crossover-profile/ledger-*
  fi
}
toggle() {  # window, then the state of each proxy: tells every agent, waits until all have applied it
  local w=$1 i; shift
  local states=("$@")
  for i in "${!states[@]}"; do echo "${states[$i]} $w" >"$dir/control-$i"; done
  for i in "${!states[@]}"; do  # the agent polls every 50 ms
    for _ in $(seq 100); do [ "$(cat "$dir/control-$i.applied" 2>/dev/null)" = "${states[$i]} $w" ] && break; sleep 0.1; done
    [ "$(cat "$dir/control-$i.applied" 2>/dev/null)" = "${states[$i]} $w" ] || { echo "proxy $i: toggle not applied" >&2; exit 1; }
  done
}

windows=$(mktemp)
for r in $(seq "$ROUNDS"); do
  while read -r kind a b c d e f g; do
    if [ "$kind" = ledger ]; then  # one line per request metered
      echo "round $r proxy $a: $d requests answered, $e errors; metering counted $c, the ledger holds $b lines$([ "$b" = "$c" ] \
           || echo '  MISMATCH')" >&2
    else
      echo "window $r $a $b $c $d $e $f $g" | tee -a "$windows" >&2
    fi
  done < <(round)
  awk -v round="$r" '$2 == round' "$windows" | awk -f bench/crossover-summary.awk >&2
done
awk -f bench/crossover-summary.awk "$windows" | awk -v op="$OP" -v rate="$RATE" -v unit=proxies -f bench/overhead-summary.awk
if [ "$PROFILE" = 1 ]; then  # the last round's profiles: samples per 1000 requests, on windows against off windows
  awk -v round="$ROUNDS" '$2 == round' "$windows" | awk -f bench/crossover-profile.awk - target/crossover-profile/profile-*/*.collapsed
fi
rm -f "$windows"
