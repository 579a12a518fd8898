#!/usr/bin/env bash
# What enforcement adds per request (AdmissionLatencyBench): the wait for admission and the time of settlement,
# one request at a time, with the counters in memory and in a redis-server on loopback (started here on a free
# port, stopped at the end). Each store runs in FORKS fresh JVMs; the script prints, per figure, the lowest,
# median and highest over the JVMs.
#
#   bash bench/admission-latency.sh        # needs: redis-server (Debian package), mvn package done (~3 min)
set -euo pipefail
cd "$(dirname "$0")/.."
FORKS=${FORKS:-5}
. bench/micro-build.sh
javac -d "$OUT" -cp "$CP" -sourcepath bench/micro bench/micro/dev/bedrocktenant/budget/AdmissionLatencyBench.java

PORT=${PORT:-$((20000 + RANDOM % 20000))}
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$OUT" >"$OUT/redis.log" 2>&1 &
REDIS=$!
trap 'kill $REDIS 2>/dev/null || true' EXIT
for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

for store in memory redis; do
  for fork in $(seq "$FORKS"); do
    java -Xmx256m -Dorg.jboss.logging.provider=jdk -cp "$OUT:$CP" dev.bedrocktenant.budget.AdmissionLatencyBench \
      "$store" "redis://127.0.0.1:$PORT" 2>/dev/null | grep "^$store "
  done | awk -v store="$store" -v forks="$FORKS" '
    { for (f = 3; f <= 5; f++) a[f, NR] = $f; for (f = 7; f <= 9; f++) s[f, NR] = $f }
    function row(name, arr, f,   i, j, v, t, n) {
      n = 0; for (i = 1; i <= NR; i++) v[++n] = arr[f, i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
      printf "%-7s %-14s µs over %d JVMs: lowest %s, median %s, highest %s\n", store, name, n, v[1], v[int((n + 1) / 2)], v[n]
    }
    END {
      row("admit median", a, 3); row("admit p99", a, 4); row("admit mean", a, 5)
      row("settle median", s, 7); row("settle p99", s, 8); row("settle mean", s, 9)
    }'
done
