#!/usr/bin/env bash
# What this proxy adds between an application and Bedrock, beside what nginx `proxy_pass` adds (the floor of any
# HTTP hop) and what Portkey's open-source AI gateway adds (a peer users pick instead), on this machine in one go
# with one load generator (wrk) in front of one built-in simulator:
#   direct   wrk -> simulator
#   nginx    wrk -> nginx proxy_pass, keep-alive upstream -> simulator
#   proxy    wrk -> this proxy (tenant acme, re-signing, metering: Prometheus and the usage ledger) -> simulator
#   portkey  wrk -> @portkey-ai/gateway, OpenAI-format chat calls it turns into signed Converse -> simulator
# Two upstreams: the simulator answering Converse at once, and ConverseStream's 100 events 5 ms apart.
# Per target and upstream: a warm-up at CONNECTIONS connections; `wrk -c1 --latency` (p50/p99, minus direct's);
# CONNECTIONS connections (requests/s; CPU per 1,000 requests from the target's threads' schedstat); RSS before
# any load and after the Converse load; JVM/process start to ready; the time to a stream's first event (a
# kept-alive Python client, minus direct's); each Converse call's own latency, timed one by one by that client
# (p50 and p99, minus direct's: no correction for coordinated omission). Prints one table, with each figure's ratio
# to nginx's and Portkey's.
#
#   bash bench/compare.sh            # ~10 min
#   QUICK=1 bash bench/compare.sh    # checks that it runs, ~3 min
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 JAVA_OPTS='-XX:AOTCache=app.aot' bash bench/compare.sh
#
# Needs wrk and nginx (Debian: wrk, nginx-light), node and npm (Portkey is installed into CACHE, outside the
# repository), python3 with botocore (wrk cannot sign: bench/presign.py signs its request for direct and nginx).
# Portkey signs the upstream's host without its port, so the simulator listens on port 80 of a loopback address
# of its own (SIM_HOST): run as root, or with PORTKEY=0 to leave Portkey out.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=${QUICK:-0}
WARMUP=${WARMUP:-$([ "$QUICK" = 1 ] && echo 3 || echo 20)}      # s at CONNECTIONS before each target's measures
DURATION=${DURATION:-$([ "$QUICK" = 1 ] && echo 4 || echo 20)}  # s per measure
CONNECTIONS=${CONNECTIONS:-16}
FIRST_EVENTS=${FIRST_EVENTS:-$([ "$QUICK" = 1 ] && echo 10 || echo 40)}  # streams timed to their first event
PER_REQUEST=${PER_REQUEST:-$([ "$QUICK" = 1 ] && echo 2000 || echo 20000)}  # Converse calls timed one by one
PORTKEY=${PORTKEY:-1}
PORTKEY_VERSION=1.15.2
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/btp-bench
SIM_HOST=${SIM_HOST:-127.77.0.1}
MODEL=anthropic.claude-3-haiku-20240307-v1:0
MODEL_PATH=/model/anthropic.claude-3-haiku-20240307-v1%3A0
PROMPT_ZERO='Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]]'
PROMPT_STREAM='Hello [[sim:input-tokens=120]] [[sim:output-tokens=100]] [[sim:events=100]] [[sim:pause-ms=5]]'

for tool in wrk nginx curl; do command -v $tool >/dev/null || { echo "needs $tool: apt-get install -y wrk nginx-light curl" >&2; exit 1; }; done
python3 -c 'import botocore' || { echo "needs python3 with botocore" >&2; exit 1; }
if [ "$PORTKEY" = 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "Portkey needs the simulator on port 80: run as root, or PORTKEY=0" >&2; exit 1; }
  PORTKEY_DIR=$CACHE/portkey-$PORTKEY_VERSION
  [ -f "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" ] ||
    npm install --prefix "$PORTKEY_DIR" --no-audit --no-fund --silent "@portkey-ai/gateway@$PORTKEY_VERSION" >&2
fi
source bench/processes.sh
TARGETS=(direct nginx proxy); [ "$PORTKEY" = 1 ] && TARGETS+=(portkey)
declare -A R PIDS PORTS   # R[target.measure]: the figures

if [ "$PORTKEY" = 1 ]; then start_simulator "$SIM_HOST" 80; else start_simulator; fi
SIM_AUTHORITY=${SIM_URL#http://}
PORTS[direct]=${SIM_AUTHORITY#*:}; [ "${PORTS[direct]}" = "$SIM_AUTHORITY" ] && PORTS[direct]=80
host_of() { [ "$1" = direct ] && echo "${SIM_AUTHORITY%:*}" || echo 127.0.0.1; }

# Request bodies: Bedrock's Converse for direct, nginx and the proxy; OpenAI's chat format for Portkey.
for upstream in zero stream; do
  prompt=PROMPT_${upstream^^}
  printf '{"messages":[{"role":"user","content":[{"text":"%s"}]}]}' "${!prompt}" >"$WORK/body-$upstream"
  printf '{"model":"%s","stream":%s,"messages":[{"role":"user","content":"%s"}]}' "$MODEL" \
         "$([ $upstream = stream ] && echo true || echo false)" "${!prompt}" >"$WORK/portkey-body-$upstream"
done
path_of() { [ "$1" = portkey ] && echo /v1/chat/completions || echo "$MODEL_PATH/$([ "$2" = stream ] && echo converse-stream || echo converse)"; }
headers() {  # target upstream: writes the headers file its requests carry (signed afresh: good for 15 minutes)
  local out=$WORK/headers-$1-$2
  if [ "$1" = portkey ]; then
    printf '%s\n' 'Content-Type: application/json' 'x-portkey-provider: bedrock' 'x-portkey-aws-region: us-east-1' \
      'x-portkey-aws-access-key-id: AKIASIMULATOR0000001' 'x-portkey-aws-secret-access-key: simulator-secret-key' \
      "x-portkey-custom-host: $SIM_URL" >"$out"
  else  # the same signed bytes to all three, as an SDK would send them; the proxy re-signs for the simulator
    { python3 bench/presign.py "$SIM_URL$(path_of "$1" "$2")" "$WORK/body-$2"; echo "Host: $SIM_AUTHORITY"
      echo 'X-Tenant-Id: acme'; } >"$out"
  fi
  echo "$out"
}
body_of() { [ "$1" = portkey ] && echo "$WORK/portkey-body-$2" || echo "$WORK/body-$2"; }
wrk_script() {  # target upstream: a wrk Lua script sending that request
  local lua=$WORK/wrk-$1-$2.lua name value
  { echo 'wrk.method = "POST"'
    echo "local f = io.open([==[$(body_of "$1" "$2")]==]); wrk.body = f:read('*a'); f:close()"
    while IFS= read -r line; do name=${line%%: *} value=${line#*: }; echo "wrk.headers[ [==[$name]==] ] = [==[$value]==]"; done \
      <"$(headers "$1" "$2")"
  } >"$lua"
  echo "$lua"
}
run_wrk() {  # target upstream connections seconds: wrk's output, failing on any answer that is not 2xx
  local out
  out=$(wrk -t"$(( $3 > 1 ? 2 : 1 ))" -c"$3" -d"$4"s --timeout 10s --latency -s "$(wrk_script "$1" "$2")" \
            "http://$(host_of "$1"):${PORTS[$1]}$(path_of "$1" "$2")")
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then echo "$1 $2: $out" >&2; exit 1; fi
  echo "$out"
}
us() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else if (v ~ /[0-9]s$/) print n * 1e6; else print n * 60e6 }'; }

start_nginx() {
  PORTS[nginx]=$(free_port)
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
user root;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  upstream bedrock { server $SIM_AUTHORITY; keepalive 32; }
  server {
    listen 127.0.0.1:${PORTS[nginx]};
    client_max_body_size 25m;
    location / {
      proxy_pass http://bedrock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_buffering off;  # streams: each event as it comes
    }
  }
}
EOF
  t0=$(now_ns)
  nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" &
  local master=$!
  started+=("$master")
  R[nginx.ready]=$(await_port 127.0.0.1 "${PORTS[nginx]}")
  sleep 0.5; PIDS[nginx]="$master $(pgrep -P "$master" | tr '\n' ' ')"  # master and workers
}
start_portkey() {
  PORTS[portkey]=$(free_port)
  t0=$(now_ns)
  (cd "$PORTKEY_DIR" && TRUSTED_CUSTOM_HOSTS=$SIM_HOST exec node node_modules/@portkey-ai/gateway/build/start-server.js \
       --port="${PORTS[portkey]}" --headless) >"$WORK/portkey.log" 2>&1 &
  started+=($!); PIDS[portkey]=$!
  R[portkey.ready]=$(await_port 127.0.0.1 "${PORTS[portkey]}")
}

echo "starting: simulator at $SIM_URL; ${TARGETS[*]}" >&2
start_nginx
start_proxy compare; PIDS[proxy]=$PROXY_PID PORTS[proxy]=$PROXY_PORT R[proxy.ready]=$PROXY_READY_NS
[ "$PORTKEY" = 1 ] && start_portkey
sleep 1
for t in nginx proxy portkey; do [ -n "${PIDS[$t]:-}" ] && R[$t.rss_idle]=$(rss_kib ${PIDS[$t]}); done

for upstream in zero stream; do
  for t in "${TARGETS[@]}"; do
    echo "$upstream upstream, $t: warm-up ${WARMUP}s, -c1 ${DURATION}s, -c$CONNECTIONS ${DURATION}s" >&2
    run_wrk "$t" "$upstream" "$CONNECTIONS" "$WARMUP" >/dev/null
    out=$(run_wrk "$t" "$upstream" 1 "$DURATION")
    R[$t.$upstream.p50]=$(us "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    R[$t.$upstream.p99]=$(us "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    before=$(cpu_ns ${PIDS[$t]:-})
    out=$(run_wrk "$t" "$upstream" "$CONNECTIONS" "$DURATION")
    cpu=$(( $(cpu_ns ${PIDS[$t]:-}) - before ))
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    R[$t.$upstream.rps]=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    [ -n "${PIDS[$t]:-}" ] && R[$t.$upstream.cpu]=$(awk -v c="$cpu" -v n="$requests" 'BEGIN {printf "%.1f", c / 1e6 / n * 1000}')  # ms per 1,000
    [ "$upstream" = zero ] && [ -n "${PIDS[$t]:-}" ] && R[$t.rss_loaded]=$(rss_kib ${PIDS[$t]})
  done
done
for t in "${TARGETS[@]}"; do
  echo "first events, $t: $FIRST_EVENTS streams" >&2
  read -r R[$t.first] R[$t.first99] < <(python3 bench/first-event.py "$(host_of "$t")" "${PORTS[$t]}" "$(path_of "$t" stream)" \
      "$(body_of "$t" stream)" "$(headers "$t" stream)" "$FIRST_EVENTS" 5)
done

# wrk's -c1 p99 counts a stall as the requests it held back (coordinated omission), so one pause of any process on
# the machine fills it; timed one by one, each call's own latency: a proxy's collector pauses show, others' do not.
for t in "${TARGETS[@]}"; do
  echo "per request, $t: $PER_REQUEST Converse calls" >&2
  read -r R[$t.one] R[$t.one99] < <(python3 bench/first-event.py "$(host_of "$t")" "${PORTS[$t]}" "$(path_of "$t" zero)" \
      "$(body_of "$t" zero)" "$(headers "$t" zero)" "$PER_REQUEST" 1000)
done

# The table: added figures are over direct's; ratios are the proxy's figure over nginx's and over Portkey's.
added() { awk -v a="${R[$1.$2]}" -v d="${R[direct.$2]}" 'BEGIN {printf "%.0f", a - d}'; }  # target key
row() {  # label kind key: kind added (µs over direct), abs (as measured), mib (KiB shown in MiB), ms (ns shown in ms)
  local label=$1 kind=$2 key=$3 t v cells=() vals=()
  for t in "${TARGETS[@]}"; do
    v=${R[$t.$key]:-}
    if [ -z "$v" ]; then cells+=("—"); vals+=(""); continue; fi
    case $kind in
      added) if [ "$t" = direct ]; then cells+=("($v)"); vals+=(""); continue; fi; v=$(added "$t" "$key") ;;
      mib) v=$(awk -v k="$v" 'BEGIN {printf "%.0f", k / 1024}') ;;
      ms) v=$(awk -v n="$v" 'BEGIN {printf "%.0f", n / 1e6}') ;;
    esac
    cells+=("$v"); vals+=("$v")
  done
  [ "$PORTKEY" = 1 ] || { cells+=("—"); vals+=(""); }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "—"; else printf "%.2f", a / b }'; }
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "${cells[@]}" "$(ratio "${vals[2]}" "${vals[1]}")" \
         "$(ratio "${vals[2]}" "${vals[3]}")"
}
echo
echo "compare.sh: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+changes'), $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
     "proxy on $($PROXY_JAVA -version 2>&1 | head -1) ${JAVA_OPTS:+($JAVA_OPTS)}, WARMUP=$WARMUP DURATION=$DURATION"
echo
echo "| measure | direct | nginx | proxy | Portkey | proxy ÷ nginx | proxy ÷ Portkey |"
echo "|---|---|---|---|---|---|---|"
row "added p50, Converse at once, -c1, µs (direct: its own)" added zero.p50
row "added p99, Converse at once, -c1, µs" added zero.p99
row "added p50, stream of 100 events 5 ms apart, whole stream, -c1, µs" added stream.p50
row "added p99, the same, µs" added stream.p99
row "requests/s, Converse at once, -c$CONNECTIONS" abs zero.rps
row "CPU ms per 1,000 Converse, -c$CONNECTIONS" abs zero.cpu
row "CPU ms per 1,000 streams of 100 events, -c$CONNECTIONS" abs stream.cpu
row "RSS idle, MiB" mib rss_idle
row "RSS after the Converse load, MiB" mib rss_loaded
row "start to ready, ms" ms ready
row "added time to a stream's first event, median, µs" added first
row "added time to a stream's first event, p99, µs" added first99
row "added p50 per request, Converse at once, one Python client, µs" added one
row "added p99 per request, the same, µs" added one99
