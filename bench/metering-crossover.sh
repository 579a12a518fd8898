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
# SCHEDULE=before-after answers that question inside each JVM: the even proxies run WARMUP seconds and
# WINDOWS/2 measured windows with metering never on (phase a: the JIT compiles the proxy without it, like the
# A/B's proxy without metering), then SETTLE seconds and WINDOWS/2 windows with it on (b: recompiled with it),
# then 60 s and WINDOWS/2 windows off again (c). The odd proxies never meter: controls for how the machine moved
# between the phases (bench/before-after-summary.awk).
#
#   bash bench/metering-crossover.sh    # needs: mvn package done, apt-get install -y hey; ROUNDS=3 ~ 25 min
#   PROFILE=1 ROUNDS=1 bash bench/metering-crossover.sh   # and where the on windows' CPU goes (async-profiler)
#   SCHEDULE=before-after bash bench/metering-crossover.sh   # ROUNDS=3 ~ 45 min (PROFILE=1: b against c)
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
SCHEDULE=${SCHEDULE:-crossover}  # crossover | before-after
SETTLE=${SETTLE:-240}       # before-after: seconds of metering before phase b is measured
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
cpu_ns() {  # pid: on-CPU nanoseconds of all threads but the JIT compilers and the toggle agent; of the JIT;
            # and of those counted, the garbage collector's (and VM thread's) and the usage ledger's threads'
  for task in /proc/$1/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1*|C2*) kind=jit ;; metering-toggl*) continue ;; "GC Thread"*|G1*|"VM Thread") kind=gc ;; usage-ledger*) kind=ledger ;;
      *) kind=rest ;;
    esac
    echo "$kind $(awk '{print $1}' "$task/schedstat" 2>/dev/null || echo 0)"
  done | awk '{s[$1] += $2} END {printf "%.0f %.0f %.0f %.0f\n", s["rest"] + s["gc"] + s["ledger"], s["jit"], s["gc"], s["ledger"]}'
}
metered_requests() {  # port: requests metering has counted so far (bedrock_tenant_requests_total)
  curl -s "http://127.0.0.1:$1/metrics" | awk '/^bedrock_tenant_requests_total\{/ {s += $NF} END {printf "%.0f\n", s}'
}
timeline() {  # one line per window of a round: its name (below 0 in the warm-up), its phase ("-": not
              # measured), its seconds, then each proxy's state
  local warm=$((WARMUP / WARMUP_WINDOW)) w i states
  if [ "$SCHEDULE" = before-after ]; then
    local n=0 half=$((WINDOWS / 2))
    windows_of() {  # count, seconds, state of the even proxies, phase; odd proxies stay off
      local k
      for k in $(seq "$1"); do
        states=""
        for i in $(seq 0 $((PROXIES - 1))); do if (( i % 2 == 0 )); then states+=" $3"; else states+=" off"; fi; done
        echo "$((n - warm)) $4 $2$states"; n=$((n + 1))
      done
    }
    windows_of "$warm" "$WARMUP_WINDOW" off -
    windows_of "$half" "$DURATION" off a
    windows_of $((SETTLE / WARMUP_WINDOW)) "$WARMUP_WINDOW" on -
    windows_of "$half" "$DURATION" on b
    windows_of $((60 / WARMUP_WINDOW)) "$WARMUP_WINDOW" off -
    windows_of "$half" "$DURATION" off c
    return
  fi
  for w in $(seq $((-warm)) $((WINDOWS - 1))); do  # off on on off ... and the mirror image for odd proxies
    states=""
    for i in $(seq 0 $((PROXIES - 1))); do
      local phase=$(( (w + warm * 4 + i % 2 * 2) % 4 ))
      if (( phase == 1 || phase == 2 )); then states+=" on"; else states+=" off"; fi
    done
    if (( w < 0 )); then echo "$w - $WARMUP_WINDOW$states"; else echo "$w x $DURATION$states"; fi
  done
}

round() {  # prints "window WINDOW PROXY on|off CPU_NS REQUEST_BYTES JIT_NS METERED PHASE GC_NS LEDGER_NS" per
           # measured window and proxy, then "ledger PROXY LINES METERED ANSWERED ERRORS" per proxy
  dir=$(mktemp -d) pids=()  # (not local: the trap runs as this subshell exits)
  local ports=() plan=() first=() i
  mapfile -t plan < <(timeline)
  read -ra first <<<"${plan[0]}"
  trap 'pkill -f "hey .*127.0.0.1:189" || true; kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT
  for i in $(seq 0 $((PROXIES - 1))); do
    local port=$((18910 + i)) agent="$PWD/$AGENT=$dir/control-$i"
    [ "$PROFILE" = 1 ] && mkdir -p "$dir/profile-$i" && agent+=",$dir/profile-$i,$PWD/$PROFILER_JAR,$PWD/$PROFILER_LIB"
    echo "${first[$((3 + i))]} start" >"$dir/control-$i"
    java -javaagent:"$agent" -Xmx256m $JAVA_OPTS -Dquarkus.http.port=$port \
         -Dproxy.upstream-url=http://127.0.0.1:$SIM_PORT -Dproxy.tenants-file=deploy/demo/tenants.yaml \
         -Dproxy.ledger.dir="$dir/ledger-$i" -Dproxy.profiles.discovery.enabled=false \
         -Dproxy.signing.access-key-id=AKIASIMULATOR0000001 -Dproxy.signing.secret-access-key=simulator-secret-key \
         -Dproxy.metering.enabled=true -Dquarkus.log.level=WARN -jar "$JAR" >/tmp/bench-proxy-$port.log 2>&1 &
    pids+=($!); ports+=("$port")
  done
  sleep 5
  toggle start "${first[@]:3}"  # (before any request: a control never meters one)
  local loads=() states=() line
  for i in "${!pids[@]}"; do
    load "${ports[$i]}" >"$dir/n-$i" & loads+=($!)
  done
  for line in "${plan[@]}"; do
    local w label seconds before=() after=()
    read -r w label seconds _ <<<"$line"; read -ra states <<<"$line"; states=("${states[@]:3}")
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
      if [ "$label" != - ]; then
        echo "window $w $i ${states[$i]} $((a[0] - b[0])) $((a[4] - b[4])) $((a[1] - b[1])) $((a[5] - b[5])) $label" \
             "$((a[2] - b[2])) $((a[3] - b[3]))"
      fi
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

SUMMARY=bench/crossover-summary.awk
[ "$SCHEDULE" = before-after ] && SUMMARY=bench/before-after-summary.awk
windows=$(mktemp)
for r in $(seq "$ROUNDS"); do
  while read -r kind a b c d e f g h j k; do
    if [ "$kind" = ledger ]; then  # one line per request metered
      echo "round $r proxy $a: $d requests answered, $e errors; metering counted $c, the ledger holds $b lines$([ "$b" = "$c" ] \
           || echo '  MISMATCH')" >&2
    else
      echo "window $r $a $b $c $d $e $f $g $h $j $k" | tee -a "$windows" >&2
    fi
  done < <(round)
  awk -v round="$r" '$2 == round' "$windows" | awk -f bench/window-lines.awk -f "$SUMMARY" >&2
done
awk -f bench/window-lines.awk -f "$SUMMARY" "$windows" | awk -v op="$OP" -v rate="$RATE" -v unit=proxies -f bench/overhead-summary.awk
if [ "$SCHEDULE" = before-after ]; then  # the two other figures, by the same summary
  for figure in after/before on/after; do
    awk -f bench/window-lines.awk -f "$SUMMARY" "$windows" | awk -v f="$figure" '{for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) + 0}' |
      awk -v op="$OP" -v rate="$RATE" -v unit=proxies -v what="$figure:" -f bench/overhead-summary.awk
  done
fi
if [ "$PROFILE" = 1 ] && [ "$SCHEDULE" = before-after ]; then  # the switched proxies' phases b and c: the same code
  awk -v round="$ROUNDS" '$2 == round && $4 % 2 == 0 && $10 != "a"' "$windows" >"$windows.profiled"
  awk '{printf "target/crossover-profile/profile-%s/%s-%s.collapsed\n", $4, $5, $3}' "$windows.profiled" | sort -u |
    xargs awk -f bench/crossover-profile.awk "$windows.profiled"
  rm -f "$windows.profiled"
elif [ "$PROFILE" = 1 ]; then  # the last round's profiles: samples per 1000 requests, on windows against off windows
  awk -v round="$ROUNDS" '$2 == round' "$windows" | awk -f bench/crossover-profile.awk - target/crossover-profile/profile-*/*.collapsed
fi
rm -f "$windows"
