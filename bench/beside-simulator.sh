# Sourced by soak.sh and idle-streams.sh, from the repository's root after `OUT` and `dir` (a scratch directory)
# are set: a proxy in front of the built-in simulator, each its own JVM on free ports, for tenant `soak` (limits
# and a budget far above any load here, so that every call is admitted and settled). Sets SIM_PORT, PORT and the
# pids `simulator` and `proxy`; both are added to `pids`, for the caller's trap to end.
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || mvn -B -q -Dstyle.color=never package -DskipTests

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
await() {  # port, pid: until the process listens there
  for _ in $(seq 300); do
    kill -0 "$2" 2>/dev/null || { echo "process $2 ended; its log is in $OUT" >&2; exit 1; }
    curl -s -o /dev/null "http://127.0.0.1:$1/q/health/ready" && return; sleep 0.1  # (a health check is no metered request)
  done
  echo "nothing listens on port $1" >&2; exit 1
}

PORT=$(free_port) SIM_PORT=$(free_port) SIM_HTTP_PORT=$(free_port)  # (other benchmarks may run beside this one)
cat >"$dir/tenants.yaml" <<'TENANTS'
tenants:
  soak:
    profiles:
      "anthropic.claude-3-haiku-20240307-v1:0": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/soak0haiku01"
    limits: { requestsPerMinute: 1000000, tokensPerMinute: 1000000000, maxConcurrent: 100000 }
    budget: { dailyUsd: 1000000, monthlyUsd: 10000000 }
TENANTS

# start_proxy LIMIT JAVA_OPTIONS…: the proxy, after running LIMIT (a shell command such as `ulimit -S -f 256`, or
# `:`) in its shell; its log through a pipe, so that a file size limit is the ledger's, not the log's
start_proxy() {
  local limit=$1; shift
  java -Xmx256m -Dproxy.simulator.journal-size=0 -Dquarkus.http.port=$SIM_HTTP_PORT -Dproxy.simulator.enabled=true \
       -Dproxy.simulator.port=$SIM_PORT \
       -Dproxy.tenants-file="$dir/tenants.yaml" -Dproxy.ledger.dir="$dir/sim-ledger" -Dquarkus.log.level=WARN \
       -jar "$JAR" >"$OUT/simulator.log" 2>&1 &
  simulator=$!
  pids+=($simulator)
  bash -c "$limit"' && exec "$@"' - java "$@" -Dquarkus.http.port=$PORT -Dproxy.upstream-url=http://127.0.0.1:$SIM_PORT \
       -Dproxy.tenants-file="$dir/tenants.yaml" -Dproxy.ledger.dir="$dir/ledger" -Dproxy.profiles.discovery.enabled=false \
       -Dproxy.signing.access-key-id=AKIASIMULATOR0000001 -Dproxy.signing.secret-access-key=simulator-secret-key \
       -jar "$JAR" > >(cat >"$OUT/proxy.log") 2>&1 &
  proxy=$!
  pids+=($proxy)
  await $SIM_PORT $simulator
  await $PORT $proxy
}

# proxy_sample: "rss_kib fds threads conns_from_apps conns_to_bedrock"
proxy_sample() {
  echo "$(awk '/^VmRSS/ {print $2}' /proc/$proxy/status) $(ls /proc/$proxy/fd | wc -l)" \
       "$(awk '/^Threads/ {print $2}' /proc/$proxy/status)" \
       "$(ss -Htn state established "( sport = :$PORT )" | wc -l) $(ss -Htn state established "( dport = :$SIM_PORT )" | wc -l)"
}
