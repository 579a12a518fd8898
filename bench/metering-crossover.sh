#!/usr/bin/env bash
# What metering (usage extraction, pricing, Prometheus, the durable usage ledger; CloudWatch off) costs the
# proxy in CPU per request at RATE req/s, measured before and after inside the same JVMs: between JVMs, how
# each one happens to compile the proxy moves its CPU per request by ±5–10 %, more than the 5 % target.
#
# PROXIES proxies, all configured to meter, run side by side in front of one built-in simulator, each under one
# `hey` load for the whole round (new connections would make the JIT recompile the connection code) and with
# the bench-only agent bench/toggle, which switches metering on and off inside the running JVM. The even
# proxies are switched: WARMUP s, then WINDOWS measured windows of DURATION s, with metering off since their
# first request (phase a: the JIT has compiled the proxy without it); SETTLE s and WINDOWS windows on (b:
# recompiled with it); COOLDOWN s and WINDOWS windows off again (c). The odd proxies never meter: they show
# how the machine moved between the phases, minutes apart. bench/crossover.awk compares the phases.
#
# Per window and proxy: the on-CPU time of every thread but the JIT compilers (start-up work a native build
# does not have; shown apart) and the agent, from /proc/<pid>/task/*/schedstat; the bytes the proxy received
# on the load's connections (`ss`; every request is the same bytes); and the requests metering counted.
# Checked: each ledger holds one line per request metering counted; windows with metering off meter nothing.
#
#   bash bench/metering-crossover.sh                     # ROUNDS=3: ~45 min
#   PROFILE=1 ROUNDS=1 bash bench/metering-crossover.sh  # and where phase b's extra CPU goes (async-profiler)
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
RATE=${RATE:-500}
WORKERS=${WORKERS:-20}      # keep-alive connections per load
PROXIES=${PROXIES:-6}       # each ~10 % of a core at 500 req/s and its hey ~5 %: 6 keep 2 cores under 80 % busy
WARMUP=${WARMUP:-240}       # seconds off before phase a
SETTLE=${SETTLE:-240}       # seconds on before phase b
COOLDOWN=${COOLDOWN:-60}    # seconds off before phase c
WINDOWS=${WINDOWS:-4}       # measured windows per phase
DURATION=${DURATION:-20}
ROUNDS=${ROUNDS:-3}         # each with fresh JVMs
OP=${OP:-converse}          # converse | converse-stream
JAVA_OPTS=${JAVA_OPTS:-}
PROFILE=${PROFILE:-0}       # 1: profile every window of every proxy; kept in target/crossover-profile
SIM_PORT=18901
# 120 input tokens (30 from cache), 40 output tokens in 20 text events for the stream
BODY='{"messages":[{"role":"user","content":[{"text":"Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]] [[sim:cache-read=30]] [[sim:events=20]]"}]}]}'

command -v hey >/dev/null || { echo "needs hey: apt-get install -y hey" >&2; exit 1; }
[ -f "$JAR" ] || mvn -B -q -Dstyle.color=never package -DskipTests
AGENT=target/bench-toggle/metering-toggle.jar
mkdir -p target/bench-toggle/classes
javac -d target/bench-toggle/classes bench/toggle/dev/bedrocktenant/bench/MeteringToggle.java
printf 'Premain-Class: dev.bedrocktenant.bench.MeteringToggle\n' >target/bench-toggle/manifest
jar cfm "$AGENT" target/bench-toggle/manifest -C target/bench-toggle/classes .
PROFILER_JAR=target/async-profiler/async-profiler-4.1.jar  # from Maven Central; carries each platform's library
PROFILER_LIB=target/async-profiler/linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')/libasyncProfiler.so
if [ "$PROFILE" = 1 ] && [ ! -f "$PROFILER_LIB" ]; then
  mvn -B -q -Dstyle.color=never dependency:copy -Dartifact=tools.profiler:async-profiler:4.1 -DoutputDirectory=target/async-profiler
  (cd target/async-profiler && unzip -q -o async-profiler-4.1.jar)
fi

timeline() {  # one line per window: its name, its phase ("-": not measured), seconds, the switched proxies' state
  local n=0
  span() { local k; for k in $(seq "$1"); do echo "$n $2 $3 $4"; n=$((n + 1)); done; }
  span 1 - "$WARMUP" off
  span "$WINDOWS" a "$DURATION" off
  span 1 - "$SETTLE" on
  span "$WINDOWS" b "$DURATION" on
  span 1 - "$COOLDOWN" off
  span "$WINDOWS" c "$DURATION" off
}
state_of() { (( $1 % 2 == 0 )) || [ "$2" = done ] && echo "$2" || echo off; }  # proxy, switched state: controls stay off
toggle() {  # window, state of the switched proxies: tells every agent, waits until all have applied it
  local i line
  for i in "${!pids[@]}"; do echo "$(state_of "$i" "$2") $1" >"$dir/control-$i"; done
  for i in "${!pids[@]}"; do  # the agent polls every 50 ms
    line="$(state_of "$i" "$2") $1"
    for _ in $(seq 100); do [ "$(cat "$dir/control-$i.applied" 2>/dev/null)" = "$line" ] && continue 2; sleep 0.1; done
    echo "proxy $i: toggle not applied" >&2; exit 1
  done
}
cpu_ns() {  # pid: on-CPU ns of all threads but the JIT compilers and the agent; of the JIT; and, of those
            # counted, the garbage collector's (and VM thread's) and the usage ledger's threads'
  for task in /proc/$1/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1*|C2*) kind=jit ;; metering-toggl*) continue ;; "GC Thread"*|G1*|"VM Thread") kind=gc ;; usage-ledger*) kind=ledger ;;
      *) kind=rest ;;
    esac
    echo "$kind $(awk '{print $1}' "$task/schedstat" 2>/dev/null || echo 0)"
  done | awk '{s[$1] += $2} END {printf "%.0f %.0f %.0f %.0f\n", s["rest"] + s["gc"] + s["ledger"], s["jit"], s["gc"], s["ledger"]}'
}
received_bytes() {  # port: bytes received on its open connections (the load's requests)
  ss -tin state established "( sport = :$1 )" | grep -o 'bytes_received:[0-9]*' | awk -F: '{s += $2} END {printf "%.0f\n", s}'
}
metered_requests() {  # port: requests metering has counted so far
  curl -s "http://127.0.0.1:$1/metrics" | awk '/^bedrock_tenant_requests_total\{/ {s += $NF} END {printf "%.0f\n", s}'
}
await() {  # port: until something listens there (the agent finds metering before the HTTP server is up)
  for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return; sleep 0.1; done
  echo "nothing listens on port $1" >&2; exit 1
}
sample() { echo "$(cpu_ns "${pids[$1]}") $(received_bytes "${ports[$1]}") $(metered_requests "${ports[$1]}")"; }  # proxy

round() {  # round: prints "window ROUND WINDOW PROXY on|off CPU_NS REQUEST_BYTES JIT_NS METERED PHASE GC_NS LEDGER_NS"
           # per measured window and proxy; checks the ledgers (stderr)
  dir=$(mktemp -d) pids=() ports=() loads=()  # (not local: the trap runs as this subshell exits)
  trap 'kill "${loads[@]}" "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT
  local plan=() i line w phase seconds state
  mapfile -t plan < <(timeline)
  for i in $(seq 0 $((PROXIES - 1))); do
    local port=$((18910 + i)) agent="$PWD/$AGENT=$dir/control-$i"
    [ "$PROFILE" = 1 ] && mkdir -p "$dir/profile-$i" && agent+=",$dir/profile-$i,$PWD/$PROFILER_JAR,$PWD/$PROFILER_LIB"
    echo "off start" >"$dir/control-$i"  # (applied before the first request: a control never meters one)
    java -javaagent:"$agent" -Xmx256m $JAVA_OPTS -Dquarkus.http.port=$port \
         -Dproxy.upstream-url=http://127.0.0.1:$SIM_PORT -Dproxy.tenants-file=deploy/demo/tenants.yaml \
         -Dproxy.ledger.dir="$dir/ledger-$i" -Dproxy.profiles.discovery.enabled=false \
         -Dproxy.signing.access-key-id=AKIASIMULATOR0000001 -Dproxy.signing.secret-access-key=simulator-secret-key \
         -Dproxy.metering.enabled=true -Dquarkus.log.level=WARN -jar "$JAR" >/tmp/bench-proxy-$port.log 2>&1 &
    pids+=($!); ports+=("$port")
  done
  for i in "${!ports[@]}"; do await "${ports[$i]}"; done
  toggle start off
  for i in "${!ports[@]}"; do  # (runs until interrupted)
    hey -z 24h -c "$WORKERS" -q $((RATE / WORKERS)) -m POST -T application/json -H "X-Tenant-Id: acme" -d "$BODY" \
        "http://127.0.0.1:${ports[$i]}/model/anthropic.claude-3-haiku-20240307-v1%3A0/$OP" >"$dir/hey-$i" &
    loads+=($!)
  done
  for line in "${plan[@]}"; do
    read -r w phase seconds state <<<"$line"
    toggle "$w" "$state"
    local before=() after=() b a
    for i in "${!pids[@]}"; do before+=("$(sample "$i")"); done
    sleep "$seconds"
    for i in "${!pids[@]}"; do after+=("$(sample "$i")"); done
    [ "$phase" = - ] && continue
    for i in "${!pids[@]}"; do
      read -ra b <<<"${before[$i]}"; read -ra a <<<"${after[$i]}"
      echo "window $1 $w $i $(state_of "$i" "$state") $((a[0] - b[0])) $((a[4] - b[4])) $((a[1] - b[1])) $((a[5] - b[5]))" \
           "$phase $((a[2] - b[2])) $((a[3] - b[3]))"
    done
  done
  toggle end done  # (ends the last profiled window)
  kill -INT "${loads[@]}" || true; wait "${loads[@]}" || true  # (hey then reports)
  local counted=(); for i in "${!pids[@]}"; do counted+=("$(metered_requests "${ports[$i]}")"); done
  sleep 2  # the ledger writer's last round
  kill "${pids[@]}" || true; wait "${pids[@]}" || true
  for i in "${!pids[@]}"; do
    local lines answered errors
    lines=$(cat "$dir/ledger-$i"/usage-*.jsonl 2>/dev/null | wc -l || true)  # (controls have no ledger file)
    read -r answered errors < <(awk '/^Error distribution/ {err = 1}  # hey: answered 200; other statuses and errors
        $1 ~ /^\[[0-9]+\]$/ { v = $1; gsub(/[][]/, "", v); if (err) e += v; else if (v == 200) n = $2; else e += $2 }
        END {print n + 0, e + 0}' "$dir/hey-$i")
    echo "round $1 proxy $i: $answered requests answered, $errors errors; metering counted ${counted[$i]}," \
         "the ledger holds $lines lines$([ "$lines" = "${counted[$i]}" ] || echo '  MISMATCH')" >&2
    [ "$errors" = 0 ] || sed -n '/^Status code distribution/,$p' "$dir/hey-$i" >&2
  done
  if [ "$PROFILE" = 1 ]; then rm -rf target/crossover-profile && mkdir -p target/crossover-profile && cp -r "$dir"/profile-* target/crossover-profile/; fi
}

java -Xmx256m -Dquarkus.http.port=18900 -Dproxy.simulator.enabled=true -Dproxy.simulator.port=$SIM_PORT \
     -Dproxy.tenants-file=deploy/demo/tenants.yaml -Dquarkus.log.level=WARN -jar "$JAR" >/tmp/bench-sim.log 2>&1 &
SIM=$!  # (its own JVM, not counted)
windows=$(mktemp)
trap 'kill $SIM 2>/dev/null || true; rm -f "$windows"' EXIT
await $SIM_PORT
for r in $(seq "$ROUNDS"); do
  round "$r" | tee -a "$windows" >&2
  awk -v round="$r" '$2 == round' "$windows" | awk -f bench/crossover.awk >&2
done
awk -v op="$OP" -v rate="$RATE" -f bench/crossover.awk "$windows"
if [ "$PROFILE" = 1 ]; then awk -f bench/crossover.awk "$windows" target/crossover-profile/profile-*/*.collapsed; fi
