# Sourced by the metering benches: the built-in simulator they all send to, the request they all send, and
# how they count the requests a proxy received. Needs JAR and SIM_PORT.

# 120 input tokens (30 from cache), 40 output tokens in 20 text events for the stream
BODY='{"messages":[{"role":"user","content":[{"text":"Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]] [[sim:cache-read=30]] [[sim:events=20]]"}]}]}'

start_simulator() {  # in a JVM of its own (not counted); killed when the script exits
  java -Xmx256m -Dquarkus.http.port=18900 -Dproxy.simulator.enabled=true -Dproxy.simulator.port="$SIM_PORT" \
       -Dproxy.tenants-file=deploy/demo/tenants.yaml -Dquarkus.log.level=WARN -jar "$JAR" >/tmp/bench-sim.log 2>&1 &
  SIM=$!
  trap 'kill $SIM 2>/dev/null || true' EXIT
  sleep 4
}

received_bytes() {  # port: bytes the proxy has received on its open connections (the load's requests)
  ss -tin state established "( sport = :$1 )" | grep -o 'bytes_received:[0-9]*' | awk -F: '{s += $2} END {printf "%.0f\n", s}'
}
