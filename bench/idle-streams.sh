#!/usr/bin/env bash
# STREAMS (10,000) concurrent idle ConverseStreams, each on its own connection: every one gets its first event,
# then Bedrock (the simulator) says nothing more for minutes. Reports how many made it and how fast, the proxy's
# resident memory, descriptors and connections while they are held, the time a Converse call takes meanwhile,
# and whether descriptors and connections come back once the streams are gone. The file-descriptor limit is
# raised for the three processes (the proxy holds two descriptors a stream: the application's and Bedrock's).
#
#   bash bench/idle-streams.sh                 # ~3 min
#   STREAMS=2000 bash bench/idle-streams.sh
set -euo pipefail
cd "$(dirname "$0")/.."
STREAMS=${STREAMS:-10000}
HOLD=${HOLD:-30}                        # seconds the streams are held once all have their first event
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
ulimit -n "$(ulimit -Hn)"               # as far as allowed; inherited by the simulator, the proxy and the client
if [ "$(ulimit -n)" != unlimited ] && [ $((STREAMS * 2 + 300)) -gt "$(ulimit -n)" ]; then
  echo "the proxy needs $((STREAMS * 2 + 300)) file descriptors, the hard limit is $(ulimit -n): run as root with" \
       "a higher one (ulimit -Hn), or fewer STREAMS (at most $((($(ulimit -n) - 300) / 2)))" >&2
  exit 1
fi
OUT=target/idle-streams
rm -rf "$OUT" && mkdir -p "$OUT"
dir=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT
. bench/beside-simulator.sh
# every stream holds a connection to Bedrock: the pool must not make the 201st wait
start_proxy : $JAVA_OPTS -Dproxy.upstream.max-connections=$((STREAMS + 100))

before=$(proxy_sample)
python3 bench/idle-streams.py $PORT "$STREAMS" "$HOLD" >"$OUT/client.txt" 2>&1 &
client=$!
pids+=($client)
until grep -q '^holding' "$OUT/client.txt" 2>/dev/null; do kill -0 $client 2>/dev/null || break; sleep 1; done
cat "$OUT/client.txt"
held=$(proxy_sample)
converse_ms=$(curl -s -o /dev/null -w '%{time_total}' -H 'X-Tenant-Id: soak' -H 'Content-Type: application/json' \
  -d '{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}' \
  "http://127.0.0.1:$PORT/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse" | awk '{printf "%.1f", $1 * 1000}')
wait $client && client_ok=1 || client_ok=0
sleep 5
after=$(proxy_sample)
echo "proxy (rss_kib fds threads conns_from_apps conns_to_bedrock): before $before; held $held; 5 s after $after"
echo "a Converse while the streams were held: $converse_ms ms"
read -r _ fd0 _ _ _ <<<"$before"
read -r _ fd1 _ apps1 _ <<<"$after"
[ "$client_ok" = 1 ] && [ "$apps1" = 0 ] && [ "$fd1" -le $((fd0 + 4 + $(ss -Htn state established "( dport = :$SIM_PORT )" | wc -l))) ] \
  && echo "ok  every stream got its first event; descriptors and connections came back" || { echo FAIL; exit 1; }
