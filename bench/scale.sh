#!/usr/bin/env bash
# Scale (issue 20): a tenants file of TENANTS tenants, and the Prometheus series of PROM_TENANTS tenants × MODELS models.
#  1. TenantScaleBench, in one JVM: reading the file (a start, and every reload), the heap its snapshot keeps, and
#     identifying a request by tenant header, tag headers and access key; at 100 tenants and at TENANTS.
#  2. PrometheusScaleBench, in one JVM: the proxy's own Prometheus code filled with one Converse request per tenant and
#     model (then with a ConverseStream too): heap, scrape size and samples, scrape CPU.
#  3. The packaged proxy (demo profile: the built-in simulator in the same JVM) with the TENANTS file: time to ready,
#     RSS beside the two-tenant demo, each reload's delay (file written → "loaded" logged, polling every 200 ms),
#     and one client's request latency by tag headers with and without reloads (an event loop held by a reload
#     would show in the worst latencies).
#  4. The packaged proxy driven through E2E_TENANTS (default PROM_TENANTS) × MODELS Converse requests (tenant
#     header, passthrough): heap and RSS before and after, and GET /metrics: time, bytes, samples.
#
#   mvn -B package -DskipTests && bash bench/scale.sh   # ~10 min idle, 25 on a loaded machine; needs curl, python3, jcmd
#   QUICK=1 bash bench/scale.sh                         # to check that it runs: 1,000 tenants, 50 × 20 series (~5 min)
#   PARTS=34 E2E_TENANTS=200 bash bench/scale.sh        # parts 3 and 4 only, part 4 with 200 tenants × MODELS
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${QUICK:-}" ]; then TENANTS=${TENANTS:-1000} PROM_TENANTS=${PROM_TENANTS:-50}; fi
TENANTS=${TENANTS:-10000}
PROM_TENANTS=${PROM_TENANTS:-1000}
MODELS=${MODELS:-20}
PARTS=${PARTS:-1234}                       # which of the parts below to run
E2E_TENANTS=${E2E_TENANTS:-$PROM_TENANTS} # part 4's tenants: the requests go through a loaded machine's proxy one by one
PORT=${PORT:-$((20000 + RANDOM % 20000))}
JAR=target/quarkus-app/quarkus-run.jar
. bench/micro-build.sh
javac -d "$OUT" -cp "$CP" -sourcepath bench/micro bench/micro/dev/bedrocktenant/tenant/TenantScaleBench.java \
  bench/micro/dev/bedrocktenant/metering/prometheus/PrometheusScaleBench.java
BENCH="java -Xmx2g -Dorg.jboss.logging.provider=jdk -cp $OUT:$CP" # a scrape of 1,000 × 20 streams is 160 MiB of text
echo "$(date -u +%FT%TZ) $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg) (wall-clock figures below move with it)"

if [[ $PARTS == *1* ]]; then
echo "== 1. tenants file: read, heap, identification (CPU time of one thread)"
for n in 100 "$TENANTS"; do $BENCH dev.bedrocktenant.tenant.TenantScaleBench "$n" "$OUT/tenants-$n.yaml"; done
fi
if [[ $PARTS == *2* ]]; then
echo "== 2. Prometheus series, in-process"
$BENCH dev.bedrocktenant.metering.prometheus.PrometheusScaleBench "$PROM_TENANTS" "$MODELS"
$BENCH dev.bedrocktenant.metering.prometheus.PrometheusScaleBench "$PROM_TENANTS" "$MODELS" stream | grep -v "^  "
fi

PROXY=
trap '[ -n "$PROXY" ] && kill "$PROXY" 2>/dev/null || true' EXIT
# start_proxy <name> <tenants file> [-Dkey=value…]: the jar in the demo profile on free ports; sets PROXY, prints ms to ready
start_proxy() {
  local name=$1 file=$2 began
  shift 2
  rm -rf "$OUT/ledger-$name"
  began=$(date +%s%3N)
  BENCH_SECRET=bench-signing-secret-0123456789 java -Xmx512m -Dquarkus.profile=demo -Dquarkus.http.port="$PORT" \
    -Dproxy.simulator.port=$((PORT + 1)) -Dproxy.upstream-url=http://127.0.0.1:$((PORT + 1)) \
    -Dproxy.control-plane-url=http://127.0.0.1:$((PORT + 1)) -Dproxy.tenants-file="$file" \
    -Dproxy.ledger.dir="$OUT/ledger-$name" "$@" -jar "$JAR" >"$OUT/proxy-$name.log" 2>&1 &
  PROXY=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; do
    kill -0 "$PROXY" 2>/dev/null || { tail -20 "$OUT/proxy-$name.log"; exit 1; }
    sleep 0.05
  done
  echo "$name: ready in $(($(date +%s%3N) - began)) ms"
}
stop_proxy() { kill "$PROXY"; wait "$PROXY" 2>/dev/null || true; PROXY=; }
rss() { awk '/VmRSS/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$PROXY/status"; }
# the heap live objects hold (the class histogram collects garbage first), and the RSS then
memory() { jcmd "$PROXY" GC.class_histogram | awk '/^Total/ { printf "heap live %.1f MiB", $3 / 1048576 }'; echo ", RSS $(rss)"; }

# probe <label> <seconds> [stop file]: one client, one kept-alive connection, Converse requests back to back,
# identified by tag headers, for that long or until the stop file exists; prints the latency percentiles (ms).
probe() {
  python3 - "$PORT" "$2" "$1" "${3:-}" <<'PY'
import http.client, os, sys, time
port, seconds, label, stop = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
conn = http.client.HTTPConnection("127.0.0.1", port)
body = b'{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}'
took, end, i = [], time.time() + seconds, 0
while time.time() < end and not (stop and os.path.exists(stop)):
    t = "tenant-%05d" % ((i * 7919) % 100)
    began = time.perf_counter()
    conn.request("POST", "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", body,
                 {"Content-Type": "application/json", "X-Bedrock-Tag-TenantID": t, "X-Bedrock-Tag-CostCenter": "cc%d" % ((i * 7919) % 100 % 50)})
    r = conn.getresponse(); r.read()
    if r.status != 200: sys.exit("%s: HTTP %d" % (t, r.status))
    took.append((time.perf_counter() - began) * 1000); i += 1
took.sort()
q = lambda p: took[min(len(took) - 1, int(p * len(took)))]
print("%s: %d requests, ms p50 %.2f p99 %.2f p99.9 %.2f max %.1f" % (label, len(took), q(.5), q(.99), q(.999), took[-1]))
PY
}

if [[ $PARTS == *3* ]]; then
echo "== 3. the proxy with $TENANTS tenants"
$BENCH dev.bedrocktenant.tenant.TenantScaleBench 2 "$OUT/tenants-demo.yaml" write
start_proxy demo "$OUT/tenants-demo.yaml"
sleep 3; echo "demo (2 tenants): idle, $(memory)"; stop_proxy
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ -f "$OUT/tenants-$TENANTS.yaml" ] || $BENCH dev.bedrocktenant.tenant.TenantScaleBench "$TENANTS" "$OUT/tenants-$TENANTS.yaml" write
cp "$OUT/tenants-$TENANTS.yaml" "$OUT/tenants-live.yaml"
start_proxy "tenants-$TENANTS" "$OUT/tenants-live.yaml" -Dproxy.tenants-reload-interval=200ms
sleep 3; echo "$TENANTS tenants: idle, $(memory)"
probe "no reload" 10
rm -f "$OUT/reloads-done"
probe "3 reloads" 600 "$OUT/reloads-done" &
PROBE=$!
for k in 1 2 3; do
  sleep 2.5
  echo "  tenant-extra-$k: { tags: { TenantID: extra-$k } }" >>"$OUT/tenants-live.yaml"
  written=$(date +%s%3N)
  until grep -q "loaded: $((TENANTS + k)) tenants" "$OUT/proxy-tenants-$TENANTS.log"; do sleep 0.01; done
  echo "reload $k: file written → loaded in $(($(date +%s%3N) - written)) ms (polling every 200 ms)"
done
sleep 1; touch "$OUT/reloads-done"
wait $PROBE
echo "$TENANTS tenants: after the reloads, $(memory)"
grep -c "Thread blocked" "$OUT/proxy-tenants-$TENANTS.log" | sed 's/^/event loop blocked warnings: /' || true
stop_proxy
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"

fi
if [[ $PARTS == *4* ]]; then
echo "== 4. the proxy with $E2E_TENANTS tenants × $MODELS models in Prometheus"
$BENCH dev.bedrocktenant.tenant.TenantScaleBench "$E2E_TENANTS" "$OUT/tenants-prom.yaml" write
start_proxy prometheus "$OUT/tenants-prom.yaml" -Dproxy.unmapped-model=passthrough \
  -Dproxy.profiles.discovery.enabled=false -Dproxy.profiles.auto-create=false
sleep 3; echo "before the series: $(memory)"
python3 - "$PORT" "$E2E_TENANTS" "$MODELS" <<'PY'
import http.client, sys, threading
port, tenants, models = (int(a) for a in sys.argv[1:])
body = b'{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}'
statuses = {}
def drive(part):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for t in range(part, tenants, 4):
        for m in range(models):
            conn.request("POST", "/model/bench.model-%02d-v1%%3A0/converse" % m, body,
                         {"Content-Type": "application/json", "X-Tenant-Id": "tenant-%05d" % t})
            r = conn.getresponse(); r.read()
            statuses[r.status] = statuses.get(r.status, 0) + 1
workers = [threading.Thread(target=drive, args=(p,)) for p in range(4)]
[w.start() for w in workers]; [w.join() for w in workers]
# tenants with allowedModels are refused the others (403): refusals are metered too, in series of their own
print("sent %d requests, by status %s" % (sum(statuses.values()), dict(sorted(statuses.items()))))
PY
sleep 2; echo "with the series: $(memory)"
for i in 1 2 3 4 5; do
  curl -s -o "$OUT/metrics.txt" -w "GET /metrics: %{time_total} s, %{size_download} bytes" "http://127.0.0.1:$PORT/metrics"
  echo ", $(grep -c '^bedrock_tenant_' "$OUT/metrics.txt") bedrock_tenant_ samples, $(grep -vc '^#' "$OUT/metrics.txt") in all"
done
curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w "GET /metrics gzip: %{time_total} s, %{size_download} bytes\n" "http://127.0.0.1:$PORT/metrics"
echo "after 5 scrapes: $(memory)"
stop_proxy
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
fi
