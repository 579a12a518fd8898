#!/usr/bin/env bash
# A freshly started proxy, per JVM variant: time from launch to /q/health/ready, RSS idle, RSS after 20,000
# requests, and the latency it adds over calls 1-100, 101-1,000 and 1,001-3,000 of a simple kept-alive client
# (bench/fresh-client.py: Python http.client, one Converse call every 2 ms) — what an application at a
# sidecar's typical rate lives with before the JIT has compiled the proxy. Calls 3,001-20,000 follow back to back.
#
#   bash bench/startup-footprint.sh 'LABEL|JAVA_HOME|JAVA_OPTS[|TRAINING_OPTS]' ...
#
# An empty JAVA_HOME is the java on the PATH; words of JAVA_OPTS not starting with "-" (MALLOC_ARENA_MAX=2) are
# set in the proxy's environment. With TRAINING_OPTS (e.g. -XX:ArchiveClassesAtExit=F.jsa or, on
# JDK 25, -XX:AOTCacheOutput=F.aot) the variant is first trained once: a proxy started with them serves
# TRAIN_CALLS calls and is stopped, so the JVM writes its archive for JAVA_OPTS to load. Without arguments:
# the default JVM against the recommended flags. Variants run interleaved, ROUNDS times, one proxy at a time
# (the simulator beside it, its own JVM, warmed first): the machine's drift falls on every variant alike.
# cpu_ms is the CPU time all its threads used until ready (less sensitive to the machine's load than ready_ms).
# Added latency is a range's median minus the median of the same client straight to the simulator (signed)
# in the same round. The load average is printed with each round: compare variants of one run only.
#
# Needs: mvn package done, curl, python3 with botocore (Debian python3-botocore) for the direct calls.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
CALLS=${CALLS:-3000}           # paced calls, one every INTERVAL_MS
INTERVAL_MS=${INTERVAL_MS:-2}
TOTAL=${TOTAL:-20000}          # requests served before the loaded RSS is read
SETTLE=${SETTLE:-5}            # seconds between ready and the idle RSS
TRAIN_CALLS=${TRAIN_CALLS:-3000}
SIM_PORT=${SIM_PORT:-18981}
PORT=${PORT:-18980}
JAR=target/quarkus-app/quarkus-run.jar
RECOMMENDED='-XX:+UseSerialGC -Xms24m -Xmn16m -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=128m -XX:TrimNativeHeapInterval=1000 MALLOC_ARENA_MAX=2'
[ $# -gt 0 ] || set -- 'default||' "recommended||$RECOMMENDED"

dir=$(mktemp -d)
cat >"$dir/tenants.yaml" <<'EOF'
tenants:
  acme:
    tags: { TenantID: acme }
    profiles:
      "anthropic.claude-3-haiku-20240307-v1:0": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01"
EOF
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT

java_of() { if [ -n "$1" ]; then echo "$1/bin/java"; else echo java; fi; }
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"; }  # all threads
rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
ready() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/q/health/ready" 2>/dev/null | grep -q 200; }

# proxy JAVA_HOME OPTS LEDGER: starts one in front of the simulator (discovery from it too, as a pod does from
# Bedrock's control plane), metering to a ledger of its own; sets $proxy
start_proxy() {
  local envs=() opts=() o
  ! ready $PORT || { echo "port $PORT already answers: another proxy would be measured (set PORT)" >&2; exit 1; }
  for o in $2; do if [[ $o == -* ]]; then opts+=("$o"); else envs+=("$o"); fi; done  # NAME=value: environment
  env "${envs[@]}" "$(java_of "$1")" "${opts[@]}" -Dquarkus.http.port=$PORT -Dproxy.upstream-url=http://127.0.0.1:$SIM_PORT \
    -Dproxy.control-plane-url=http://127.0.0.1:$SIM_PORT -Dproxy.tenants-file="$dir/tenants.yaml" \
    -Dproxy.ledger.dir="$3" -Dproxy.signing.access-key-id=AKIASIMULATOR0000001 \
    -Dproxy.signing.secret-access-key=simulator-secret-key -Dquarkus.log.level=WARN -jar "$JAR" >>"$dir/proxy.log" 2>&1 &
  proxy=$!; pids+=("$proxy")
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

median() { sort -n | awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : "NaN"}'; }

java -Xmx256m -Dquarkus.http.port=$((SIM_PORT + 100)) -Dproxy.simulator.enabled=true -Dproxy.simulator.port=$SIM_PORT \
     -Dproxy.tenants-file="$dir/tenants.yaml" -Dproxy.profiles.discovery.enabled=false -Dproxy.ledger.dir="$dir/sim-ledger" \
     -Dquarkus.log.level=WARN -jar "$JAR" >"$dir/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do ready $((SIM_PORT + 100)) && break; sleep 0.1; done
python3 bench/fresh-client.py $SIM_PORT 10000 0 sign >/dev/null  # the simulator JIT-compiled before any figure

for v in "$@"; do  # training runs
  IFS='|' read -r label home opts training <<<"$v"
  [ -n "${training:-}" ] || continue
  echo "training $label: $TRAIN_CALLS calls" >&2
  start_proxy "$home" "$training" "$dir/train-ledger"
  for _ in $(seq 600); do ready $PORT && break; sleep 0.05; done
  python3 bench/fresh-client.py $PORT "$TRAIN_CALLS" 0 >/dev/null
  stop "$proxy"
done

printf '%-14s %5s %9s %9s %9s %9s %11s %11s %11s  %s\n' variant round ready_ms cpu_ms idle_MiB 20k_MiB add_1-100_ms \
  add_-1000_ms add_-3000_ms load_1min
for r in $(seq "$ROUNDS"); do
  direct=$(python3 bench/fresh-client.py $SIM_PORT "$CALLS" "$INTERVAL_MS" sign | awk '{print $2}' | median)
  echo "round $r: straight to the simulator, median $direct µs per call" >&2
  for v in "$@"; do
    IFS='|' read -r label home opts training <<<"$v"
    rm -rf "$dir/ledger"
    t0=$(date +%s%N)
    start_proxy "$home" "$opts" "$dir/ledger"
    until ready $PORT; do
      kill -0 "$proxy" 2>/dev/null || { echo "$label did not start:" >&2; tail -20 "$dir/proxy.log" >&2; exit 1; }
      sleep 0.01
    done
    ready_ms=$((($(date +%s%N) - t0) / 1000000)) ready_cpu=$(cpu_ms "$proxy")
    sleep "$SETTLE"
    idle=$(rss_mib "$proxy")
    python3 bench/fresh-client.py $PORT "$CALLS" "$INTERVAL_MS" >"$dir/calls"
    python3 bench/fresh-client.py $PORT $((TOTAL - CALLS)) 0 >/dev/null
    sleep 2
    loaded=$(rss_mib "$proxy")
    stop "$proxy"
    added() { awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b {print $2}' "$dir/calls" | median \
              | awk -v d="$direct" '{printf "%.2f", ($1 - d) / 1000}'; }
    printf '%-14s %5s %9s %9s %9s %9s %11s %11s %11s  %s\n' "$label" "$r" "$ready_ms" "$ready_cpu" "$idle" "$loaded" \
      "$(added 1 100)" "$(added 101 1000)" "$(added 1001 "$CALLS")" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done | tee "$dir/rows"
awk '{ if (!($1 in n)) order[++k] = $1; c = ++n[$1]; for (f = 3; f <= 9; f++) v[$1, f, c] = $f }
     function med(name, f,   i, j, t, a, c) { c = n[name]; for (i = 1; i <= c; i++) a[i] = v[name, f, i]
       for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
       return a[int((c + 1) / 2)] }
     END { print "medians over the rounds:"
           for (i = 1; i <= k; i++) { m = order[i]
             printf "%-14s ready %s ms (CPU %s ms), RSS idle %s MiB, after %d requests %s MiB, added %s / %s / %s ms\n",
               m, med(m, 3), med(m, 4), med(m, 5), total, med(m, 6), med(m, 7), med(m, 8), med(m, 9) } }' \
    total="$TOTAL" "$dir/rows"
