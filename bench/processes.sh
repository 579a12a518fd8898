# Sourced by compare.sh and sdk-cold.sh, from the repository's root: starts the built-in simulator and proxies on
# free loopback ports and stops everything it started when the script exits. Needs curl and python3.
JAR=target/quarkus-app/quarkus-run.jar
PROXY_JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java  # the proxy's JVM (JAVA_HOME: e.g. JDK 25); the simulator keeps the system's
JAVA_OPTS=${JAVA_OPTS:-}                      # the proxy's JVM flags (-Xmx…, -XX:AOTCache=…)
[ -f "$JAR" ] || mvn -B -q -Dstyle.color=never package -DskipTests
WORK=$(mktemp -d)
started=()
trap 'kill "${started[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now_ns() { date +%s%N; }
await_url() {  # url [seconds]: until it answers 2xx; prints the nanoseconds waited since $t0
  local n=$(( ${2:-60} * 100 ))
  for _ in $(seq "$n"); do curl -sf -o /dev/null "$1" && { echo $(( $(now_ns) - t0 )); return; }; sleep 0.01; done
  echo "no answer from $1" >&2; exit 1
}
await_port() {  # host port: until something accepts connections there; prints the nanoseconds waited since $t0
  local rc
  for _ in $(seq 6000); do
    rc=0; curl -s -o /dev/null "http://$1:$2/" || rc=$?
    [ "$rc" != 7 ] && { echo $(( $(now_ns) - t0 )); return; }
    sleep 0.01
  done
  echo "nothing listens on $1:$2" >&2; exit 1
}

# The simulator: its own JVM, answering at once unless a request's [[sim:…]] directives ask otherwise. Sets SIM_URL
# and SIM_PID. On port 80 its URL has no port (compare.sh: Portkey signs the host without the port it sends).
# The upstream must be quieter than what is measured through it: it keeps no journal of requests, and its young
# generation is large enough that a collection comes every few seconds at saturation, not every few
# milliseconds (with a 10,000-request journal and a 256 MiB G1 heap, direct's own p99 at -c1 was 4.7 ms; like
# this, 1.1–1.4 ms).
start_simulator() {  # [host port]
  local host=${1:-127.0.0.1} port=${2:-$(free_port)}
  java -XX:+UseSerialGC -Xms1g -Xmx1g -Xmn768m -Dproxy.simulator.journal-size=0 -Dquarkus.http.port="$(free_port)" \
       -Dproxy.simulator.enabled=true -Dproxy.simulator.host="$host" \
       -Dproxy.simulator.port="$port" -Dproxy.tenants-file=deploy/demo/tenants.yaml -Dproxy.ledger.dir="$WORK/sim-ledger" \
       -Dproxy.profiles.discovery.enabled=false -Dquarkus.log.level=WARN -jar "$JAR" >"$WORK/simulator.log" 2>&1 &
  started+=($!); SIM_PID=$!
  SIM_URL="http://$host$([ "$port" = 80 ] || echo ":$port")"
  t0=$(now_ns); await_port "$host" "$port" >/dev/null
}

# Tenant acme with limits and budgets far above what a bench sends, so that admission runs as in production
# but never refuses; the demo file's acme allows 600 requests a minute.
cat >"$WORK/tenants.yaml" <<'YAML'
tenants:
  acme:
    tags: { TenantID: acme }
    profiles:
      "anthropic.claude-3-haiku-20240307-v1:0": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01"
    limits: { requestsPerMinute: 100000000, tokensPerMinute: 100000000000, maxConcurrent: 100000 }
    budget: { dailyUsd: 100000000, monthlyUsd: 1000000000 }
YAML

# A proxy in front of the simulator, re-signing and metering (Prometheus and the usage ledger) as configured by
# default. Sets PROXY_PID, PROXY_PORT and PROXY_READY_NS (JVM start to /q/health/ready answering).
start_proxy() {  # name
  PROXY_PORT=$(free_port)
  t0=$(now_ns)
  # shellcheck disable=SC2086  # JAVA_OPTS holds several flags
  $PROXY_JAVA $JAVA_OPTS -Dquarkus.http.port="$PROXY_PORT" -Dproxy.upstream-url="$SIM_URL" \
       -Dproxy.tenants-file="$WORK/tenants.yaml" -Dproxy.ledger.dir="$WORK/ledger-$1" -Dproxy.profiles.discovery.enabled=false \
       -Dproxy.signing.access-key-id=AKIASIMULATOR0000001 -Dproxy.signing.secret-access-key=simulator-secret-key \
       -Dproxy.metering.enabled=true -Dquarkus.log.level=WARN -jar "$JAR" >"$WORK/proxy-$1.log" 2>&1 &
  started+=($!); PROXY_PID=$!
  PROXY_READY_NS=$(await_url "http://127.0.0.1:$PROXY_PORT/q/health/ready")
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }  # pid

cpu_ns() {  # pid…: on-CPU nanoseconds of all their threads so far (/proc/<pid>/task/*/schedstat)
  local p; for p in "$@"; do cat /proc/"$p"/task/*/schedstat 2>/dev/null; done | awk '{s += $1} END {printf "%.0f\n", s}'
}
rss_kib() {  # pid…: resident set, KiB, summed
  local p; for p in "$@"; do awk '/^VmRSS:/ {print $2}' /proc/"$p"/status 2>/dev/null; done | awk '{s += $1} END {print s + 0}'
}
